using System.Reflection;
using System.Text.RegularExpressions;
using ClusterOps.Cmdlets.PersistentState;
using ClusterOps.Core.PersistentState;

namespace ClusterOps.Tests.PersistentState;

/// <summary>
/// The PersistentState cmdlets as PowerShell will see them, read through CustomAttributeData (the stub SMA's
/// attribute getters return defaults), plus their help pages, views and manifest entries.
/// </summary>
public sealed class PersistentStateCmdletMetadataTests
{
    public static TheoryData<Type, string, bool, Type> Cmdlets => new()
    {
        { typeof(InitializePersistentStateCommand), "Initialize-PersistentState", true, typeof(PersistentStateResult) },
        { typeof(TestPersistentStateCommand), "Test-PersistentState", false, typeof(PersistentStateStatus) },
        { typeof(RepairServiceAccountMountCommand), "Repair-ServiceAccountMount", true, typeof(ServiceAccountMountResult) },
    };

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Cmdlet_declares_name_ShouldProcess_and_output_type(Type type, string name, bool changesState, Type output)
    {
        var cmdlet = Attribute(type, "CmdletAttribute");
        Assert.Equal(name, $"{cmdlet.ConstructorArguments[0].Value}-{cmdlet.ConstructorArguments[1].Value}");
        Assert.Equal(changesState, Named(cmdlet, "SupportsShouldProcess") is true);
        var outputType = Attribute(type, "OutputTypeAttribute");
        Assert.Equal(output, ((IEnumerable<CustomAttributeTypedArgument>)outputType.ConstructorArguments[0].Value!).Single().Value);
    }

    [Theory]
    [InlineData(typeof(InitializePersistentStateCommand))]
    [InlineData(typeof(TestPersistentStateCommand))]
    public void Directory_and_Preset_are_exclusive_sets_and_Path_is_in_both(Type type)
    {
        Assert.Equal("Directory", Named(Attribute(type, "CmdletAttribute"), "DefaultParameterSetName"));
        Assert.Equal(["Directory"], SetsOf(type, "Directory"));
        Assert.Equal(["Preset"], SetsOf(type, "Preset"));
        Assert.Equal(["__AllParameterSets"], SetsOf(type, "Path"));
        var path = ParameterAttributes(type, "Path").Single();
        Assert.Equal(true, Named(path, "Mandatory"));
        Assert.Equal(0, Named(path, "Position"));
    }

    /// <summary>
    /// An entrypoint must never prompt, so the cmdlet stays Medium; -ReplaceUnrecorded, the one change that moves data,
    /// is confirmed at High impact by the cmdlet itself. -AdoptExisting still binds for old entrypoints, hidden.
    /// </summary>
    [Fact]
    public void Initialize_is_Medium_impact_with_ReplaceUnrecorded_confirmed_by_the_cmdlet_and_AdoptExisting_hidden()
    {
        var type = typeof(InitializePersistentStateCommand);
        Assert.Equal(2 /* ConfirmImpact.Medium */, Convert.ToInt32(Named(Attribute(type, "CmdletAttribute"), "ConfirmImpact")));
        Assert.True(typeof(IHighImpactConfirmation).IsAssignableFrom(type));
        Assert.Equal(true, Named(ParameterAttributes(type, "AdoptExisting").Single(), "DontShow"));
        Assert.Null(Named(ParameterAttributes(type, "ReplaceUnrecorded").Single(), "DontShow"));
        foreach (var name in new[] { "ReplaceUnrecorded", "AllowMissingDirectory", "AdminPassword", "AdminPasswordPath", "CloudifyConfigPath" })
            Assert.Equal(["__AllParameterSets"], SetsOf(type, name));
        Assert.Equal(typeof(System.Security.SecureString), type.GetProperty("AdminPassword")!.PropertyType);
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Help_page_documents_every_parameter_with_two_examples(Type type, string name, bool changesState, Type output)
    {
        var page = File.ReadAllText(Path.Combine(RepoRoot(), "docs", "help", name + ".md"));
        Assert.Contains($"title: {name}", page, StringComparison.Ordinal);
        Assert.True(Regex.Matches(page, "^### Example \\d+:", RegexOptions.Multiline).Count >= 2, "two examples");
        foreach (var parameter in type.GetProperties().Where(p => p.DeclaringType == type && ParameterAttributes(type, p.Name).Any()))
            Assert.Contains($"### -{parameter.Name}", page, StringComparison.Ordinal);
        if (changesState)
        {
            Assert.Contains("### -WhatIf", page, StringComparison.Ordinal);
            Assert.Contains("### -Confirm", page, StringComparison.Ordinal);
        }
        Assert.Contains($"### {output.FullName}", page, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Manifest_exports_it_and_a_view_exists_for_its_output(Type type, string name, bool changesState, Type output)
    {
        _ = type;
        _ = changesState;
        Assert.Contains($"'{name}'", File.ReadAllText(Path.Combine(RepoRoot(), "module", "ClusterOps.psd1")), StringComparison.Ordinal);
        Assert.Contains($"<TypeName>{output.FullName}</TypeName>", File.ReadAllText(Path.Combine(RepoRoot(), "module", "ClusterOps.Format.ps1xml")), StringComparison.Ordinal);
    }

    private static CustomAttributeData Attribute(Type type, string name) =>
        type.GetCustomAttributesData().Single(a => a.AttributeType.Name == name);

    private static object? Named(CustomAttributeData attribute, string name) =>
        attribute.NamedArguments.SingleOrDefault(a => a.MemberName == name).TypedValue.Value;

    private static IEnumerable<CustomAttributeData> ParameterAttributes(Type type, string property) =>
        type.GetProperty(property)!.GetCustomAttributesData().Where(a => a.AttributeType.Name == "ParameterAttribute");

    private static string[] SetsOf(Type type, string property) =>
        ParameterAttributes(type, property).Select(a => (string?)Named(a, "ParameterSetName") ?? "__AllParameterSets").ToArray();

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ClusterOps.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("Repository root not found.");
    }
}
