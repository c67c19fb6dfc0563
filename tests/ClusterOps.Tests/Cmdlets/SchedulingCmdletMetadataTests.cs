using System.Reflection;
using ClusterOps.Cmdlets.Infrastructure;
using ClusterOps.Cmdlets.Scheduling;

namespace ClusterOps.Tests.Cmdlets;

/// <summary>What users of the cluster scheduling cmdlets rely on: prompts, pipelines and completion.</summary>
public sealed class SchedulingCmdletMetadataTests
{
    private static CmdletMetadata Meta(Type type) => CmdletMetadata.Read(type)!;

    private static string? Completer(Type cmdlet, string parameter) =>
        (cmdlet.GetProperty(parameter, BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            ?? cmdlet.GetProperty(parameter, BindingFlags.Public | BindingFlags.Instance))!
        .GetCustomAttributesData().SingleOrDefault(a => a.AttributeType.Name == "ArgumentCompleterAttribute")
        ?.ConstructorArguments[0].Value is Type t ? t.Name : null;

    [Theory]
    [InlineData(typeof(RemoveSchedulePolicyCommand))]
    [InlineData(typeof(RemoveMigrationScheduleCommand))]
    [InlineData(typeof(EnableMigratedApplicationCommand))]
    [InlineData(typeof(DisableMigratedApplicationCommand))]
    public void Destructive_cmdlets_confirm_with_high_impact_and_take_Force(Type type)
    {
        var meta = Meta(type);
        Assert.True(meta.SupportsShouldProcess);
        Assert.Equal("High", meta.ConfirmImpact);
        Assert.Contains(meta.Parameters, p => p.Name == "Force");
    }

    [Theory]
    [InlineData(typeof(SuspendMigrationScheduleCommand))]
    [InlineData(typeof(ResumeMigrationScheduleCommand))]
    [InlineData(typeof(RemoveMigrationScheduleCommand))]
    [InlineData(typeof(WaitMigrationCommand))]
    [InlineData(typeof(SetSchedulePolicyCommand))]
    public void Schedule_and_policy_cmdlets_take_Name_and_Namespace_from_piped_objects(Type type)
    {
        var meta = Meta(type);
        Assert.Contains(meta.Parameters, p => p.Name == "Name" && p.ValueFromPipelineByPropertyName);
        var ns = type.GetProperty("Namespace")!;
        var binds = ns.GetCustomAttributesData().Where(a => a.AttributeType.Name == "ParameterAttribute")
            .SelectMany(a => a.NamedArguments).Any(n => n.MemberName == "ValueFromPipelineByPropertyName" && (bool)n.TypedValue.Value!);
        Assert.True(binds);
    }

    [Fact]
    public void Names_complete_from_the_cluster()
    {
        Assert.Equal(nameof(SchedulePolicyNameCompleter), Completer(typeof(GetSchedulePolicyCommand), "Name"));
        Assert.Equal(nameof(SchedulePolicyForScheduleCompleter), Completer(typeof(NewMigrationScheduleCommand), "SchedulePolicyName"));
        Assert.Equal(nameof(SchedulePolicyForScheduleCompleter), Completer(typeof(GetScheduleTriggerCommand), "Policy"));
        Assert.Equal(nameof(ClusterPairNameCompleter), Completer(typeof(NewMigrationScheduleCommand), "ClusterPair"));
        Assert.Equal(nameof(MigrationScheduleNameCompleter), Completer(typeof(SuspendMigrationScheduleCommand), "Name"));
        Assert.Equal(nameof(MigrationNameCompleter), Completer(typeof(WaitMigrationCommand), "Name"));
        Assert.Equal(nameof(ClusterPairNameCompleter), Completer(typeof(GetClusterPairCommand), "Name"));
    }

    [Fact]
    public void Get_ScheduleTrigger_takes_a_policy_name_or_object_or_a_file()
    {
        var meta = Meta(typeof(GetScheduleTriggerCommand));
        Assert.Equal(["Path", "Policy"], meta.ParameterSets.Order());
        Assert.Equal("Policy", meta.DefaultParameterSet);
        Assert.Equal(typeof(object), typeof(GetScheduleTriggerCommand).GetProperty("Policy")!.PropertyType);
        Assert.All(new[] { "Namespace", "Context", "KubeConfig" }, p => Assert.Contains(meta.Parameters, d => d.Name == p && d.ParameterSet == "Policy"));
        // Offline use must not need a kubeconfig: the cmdlet is not a KubeCmdlet.
        Assert.False(typeof(KubeCmdlet).IsAssignableFrom(typeof(GetScheduleTriggerCommand)));
    }

    [Fact]
    public void Get_KubeEvent_takes_any_object_from_the_pipeline()
    {
        var meta = Meta(typeof(GetKubeEventCommand));
        var input = Assert.Single(meta.Parameters, p => p.Name == "InputObject");
        Assert.True(input.ValueFromPipeline && input.Mandatory);
        Assert.DoesNotContain(meta.Parameters, p => p.Name is "Kind" or "Name" && p.ValueFromPipelineByPropertyName);
    }
}
