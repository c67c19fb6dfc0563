using ClusterOps.Cmdlets.Infrastructure;
using ClusterOps.Tests.Cmdlets.Fixtures;
using ClusterOps.Tests.Infrastructure;

namespace ClusterOps.Tests.Cmdlets;

public sealed class CmdletRulesTests : IDisposable
{
    private readonly string _helpFolder = Directory.CreateTempSubdirectory("clusterops-help-").FullName;

    public void Dispose() => Directory.Delete(_helpFolder, recursive: true);

    private static IReadOnlyList<CmdletMetadata> ModuleCmdlets() =>
        typeof(ClusterOpsCmdlet).Assembly.GetTypes()
            .Where(t => !t.IsAbstract)
            .Select(CmdletMetadata.Read)
            .OfType<CmdletMetadata>()
            .ToList();

    [Fact]
    public void Every_cmdlet_in_the_module_follows_the_rules()
    {
        var rules = CmdletRules.ForRepository();
        var violations = ModuleCmdlets().SelectMany(rules.Check).ToList();
        Assert.True(violations.Count == 0, "Cmdlet rule violations:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void Manifest_exports_exactly_the_cmdlet_classes()
    {
        var exported = CmdletRules.ManifestCmdlets(RepoPaths.Manifest);
        var found = ModuleCmdlets().Select(c => c.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        Assert.Empty(found.Except(exported, StringComparer.OrdinalIgnoreCase));
        Assert.Empty(exported.Except(found, StringComparer.OrdinalIgnoreCase));
    }

    [Fact]
    public void Manifest_reader_sees_names_and_ignores_comments()
    {
        var path = Path.Combine(_helpFolder, "m.psd1");
        File.WriteAllText(path, "@{\n CmdletsToExport = @(\n  # 'Commented-Out'\n  'Get-Thing'\n  \"Set-Thing\" # trailing\n )\n}\n");
        Assert.Equal(new[] { "Get-Thing", "Set-Thing" }, CmdletRules.ManifestCmdlets(path).Order());
    }

    [Fact]
    public void The_checker_reports_every_broken_rule_of_the_bad_fixtures()
    {
        var rules = new CmdletRules(_helpFolder, new HashSet<string>());

        var destroy = rules.Check(CmdletMetadata.Read(typeof(DestroyBadThingCommand))!);
        Assert.Contains(destroy, v => v.Contains("'Destroy' is not an approved PowerShell verb"));
        Assert.Contains(destroy, v => v.Contains("no [OutputType]"));
        Assert.Contains(destroy, v => v.Contains("no help page"));

        var remove = rules.Check(CmdletMetadata.Read(typeof(RemoveBadWidgetCommand))!);
        Assert.Contains(remove, v => v.Contains("does not declare SupportsShouldProcess"));
        Assert.Contains(remove, v => v.Contains("no valid DefaultParameterSetName"));
        Assert.Contains(remove, v => v.Contains("'ByName' and 'ById' cannot be told apart"));
        Assert.Contains(remove, v => v.Contains("share position 0"));
        Assert.Contains(remove, v => v.Contains("more than one ValueFromPipeline"));
        Assert.Contains(remove, v => v.Contains($"{typeof(BadWidgetInfo).FullName} has no table view"));
    }

    [Fact]
    public void A_well_formed_cmdlet_with_help_and_view_has_no_violations()
    {
        File.WriteAllText(Path.Combine(_helpFolder, "Get-GoodWidget.md"), GoodHelp("-Name", "-Id"));
        var rules = new CmdletRules(_helpFolder, new HashSet<string> { typeof(BadWidgetInfo).FullName! });
        Assert.Empty(rules.Check(CmdletMetadata.Read(typeof(GetGoodWidgetCommand))!));
    }

    [Fact]
    public void Help_pages_must_document_every_parameter_and_hold_two_examples()
    {
        File.WriteAllText(Path.Combine(_helpFolder, "Get-GoodWidget.md"),
            GoodHelp("-Name", "-Retired").Replace("### Example 2: by id", "### Not an example"));
        var rules = new CmdletRules(_helpFolder, new HashSet<string> { typeof(BadWidgetInfo).FullName! });

        var violations = rules.Check(CmdletMetadata.Read(typeof(GetGoodWidgetCommand))!);

        Assert.Contains(violations, v => v.Contains("does not document -Id"));
        Assert.Contains(violations, v => v.Contains("documents -Retired, which the cmdlet does not have"));
        Assert.Contains(violations, v => v.Contains("1 example(s)"));
    }

    [Fact]
    public void Metadata_is_read_from_attribute_data_not_from_stub_getters()
    {
        var meta = CmdletMetadata.Read(typeof(GetGoodWidgetCommand))!;
        Assert.Equal("Get-GoodWidget", meta.Name);
        Assert.Equal("ByName", meta.DefaultParameterSet);
        Assert.Equal(new[] { typeof(BadWidgetInfo) }, meta.OutputTypes);
        var id = Assert.Single(meta.Parameters, p => p.Name == "Id");
        Assert.True(id.Mandatory);
        Assert.Equal("ById", id.ParameterSet);
        Assert.Equal(0, Assert.Single(meta.Parameters, p => p.Name == "Name").Position);
    }

    private static string GoodHelp(params string[] parameters) =>
        "# Get-GoodWidget\n\n## SYNOPSIS\n\nGets widgets.\n\n## EXAMPLES\n\n### Example 1: all\n\n```powershell\nGet-GoodWidget\n```\n\n" +
        "### Example 2: by id\n\n```powershell\nGet-GoodWidget -Id 1\n```\n\n## PARAMETERS\n\n" +
        string.Concat(parameters.Select(p => $"### {p}\n\nText.\n\n"));
}
