using System.Management.Automation;
using System.Reflection;
using ClusterOps.Cmdlets.Backup;
using ClusterOps.Tests.Cmdlets;
using ClusterOps.Tests.Infrastructure;

namespace ClusterOps.Tests.Backup;

public sealed class BackupCmdletTests
{
    private static CmdletMetadata Read<T>() => CmdletMetadata.Read(typeof(T))!;

    [Fact]
    public void Start_ApiManagerBackup_has_a_new_volume_and_an_existing_volume_form()
    {
        var c = Read<StartApiManagerBackupCommand>();
        Assert.Equal("NewVolume", c.DefaultParameterSet);
        Assert.True(c.SupportsShouldProcess);
        Assert.Equal(new[] { "ExistingVolume", "NewVolume" }, c.ParameterSets.OrderBy(s => s));
        Assert.All(c.Parameters.Where(p => p.Name == "StorageSize"), p => Assert.True(p.Mandatory));
        Assert.Equal("NewVolume", Assert.Single(c.Parameters, p => p.Name == "StorageClass").ParameterSet);
        Assert.Equal("ExistingVolume", Assert.Single(c.Parameters, p => p.Name == "VolumeName").ParameterSet);
    }

    [Fact]
    public void Remove_ApiManagerBackup_is_high_impact_and_takes_names_from_the_pipeline()
    {
        var c = Read<RemoveApiManagerBackupCommand>();
        Assert.Equal("High", c.ConfirmImpact);
        Assert.True(Assert.Single(c.Parameters, p => p.Name == "Name").ValueFromPipelineByPropertyName);
        Assert.True(Assert.Single(c.Parameters, p => p.Name == "Namespace").ValueFromPipelineByPropertyName);
    }

    [Theory]
    [InlineData(typeof(GetApiManagerBackupCommand), typeof(ApiManagerBackupNameCompleter))]
    [InlineData(typeof(RemoveApiManagerBackupCommand), typeof(ApiManagerBackupNameCompleter))]
    [InlineData(typeof(GetApiManagerRestoreCommand), typeof(ApiManagerRestoreNameCompleter))]
    public void Names_complete_with_the_compiled_completer(Type cmdlet, Type completer)
    {
        var attribute = CustomAttributeData.GetCustomAttributes(cmdlet.GetProperty("Name")!)
            .Single(a => a.AttributeType == typeof(ArgumentCompleterAttribute));
        Assert.Equal(completer, attribute.ConstructorArguments[0].Value);
    }
}
