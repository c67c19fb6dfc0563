using System.Management.Automation;
using ClusterOps.Cmdlets.Infrastructure;
using ClusterOps.Tests.Cmdlets;
using ClusterOps.Tests.Infrastructure;

namespace ClusterOps.Tests.Hosting;

/// <summary>
/// The cmdlets as PowerShell itself sees them (Get-Command in a real 7.6 runspace), checked against the manifest and
/// against what <see cref="CmdletMetadata"/> reads from the attributes, so the attribute-based rule checks cannot
/// drift from the engine's view.
/// </summary>
public sealed class LiveCmdletMetadataTests(ModuleRunspace ps) : IClassFixture<ModuleRunspace>
{
    private static readonly Dictionary<string, CmdletMetadata> Declared =
        typeof(ClusterOpsCmdlet).Assembly.GetTypes()
            .Where(t => !t.IsAbstract)
            .Select(CmdletMetadata.Read)
            .OfType<CmdletMetadata>()
            .ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);

    private List<CmdletInfo> Exported() =>
        ps.Invoke("Get-Command -Module ClusterOps -CommandType Cmdlet").Objects.Cast<CmdletInfo>().ToList();

    [Fact]
    public void Get_Command_lists_exactly_the_manifest_exports()
    {
        var live = Exported().Select(c => c.Name).Order(StringComparer.OrdinalIgnoreCase).ToList();
        var listed = CmdletRules.ManifestCmdlets(RepoPaths.Manifest).Order(StringComparer.OrdinalIgnoreCase).ToList();
        Assert.Equal(listed, live);
    }

    [Fact]
    public void Every_parameter_set_of_every_cmdlet_resolves_and_matches_the_declared_attributes()
    {
        var problems = new List<string>();
        foreach (var cmdlet in Exported())
        {
            ReadOnlyCollectionOfSets sets;
            try
            {
                // The engine validates the metadata here (duplicate positions, two default pipeline parameters...).
                sets = new(cmdlet.ParameterSets.ToList());
            }
            catch (Exception ex)
            {
                problems.Add($"{cmdlet.Name}: parameter sets do not resolve: {ex.Message}");
                continue;
            }
            var declared = Declared[cmdlet.Name];
            var liveDefault = sets.Items.SingleOrDefault(s => s.IsDefault)?.Name;
            if (sets.Items.Count > 1 && liveDefault != declared.DefaultParameterSet)
                problems.Add($"{cmdlet.Name}: default set is '{liveDefault}' live, '{declared.DefaultParameterSet}' declared");

            foreach (var set in sets.Items)
            {
                foreach (var p in set.Parameters.Where(p => !CommonParameters.Contains(p.Name)))
                {
                    var decl = declared.Parameters.FirstOrDefault(d => d.Name == p.Name
                        && (d.ParameterSet == set.Name || d.ParameterSet == CmdletMetadata.AllSets));
                    if (decl is null)
                    {
                        problems.Add($"{cmdlet.Name}: -{p.Name} in set '{set.Name}' is not declared there");
                        continue;
                    }
                    if (decl.Mandatory != p.IsMandatory || decl.ValueFromPipeline != p.ValueFromPipeline
                        || decl.ValueFromPipelineByPropertyName != p.ValueFromPipelineByPropertyName
                        || (decl.Position >= 0 ? decl.Position : int.MinValue) != p.Position)
                    {
                        problems.Add($"{cmdlet.Name}: -{p.Name} in set '{set.Name}' differs: declared {decl}, live mandatory={p.IsMandatory} " +
                            $"position={p.Position} byValue={p.ValueFromPipeline} byName={p.ValueFromPipelineByPropertyName}");
                    }
                }
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>
    /// PowerShell fixes the parameter set before the first pipeline object when the default set's mandatory
    /// parameter takes pipeline input by property name and no other set's mandatory parameter does: a set whose
    /// mandatory parameter takes the object by value is then never reached from the pipeline (this is how
    /// <c>Get-SchedulePolicy | Test-SchedulePolicy</c> silently checked nothing).
    /// </summary>
    [Fact]
    public void No_parameter_set_that_takes_pipeline_objects_by_value_is_shadowed_by_the_default_set()
    {
        var problems = new List<string>();
        foreach (var cmdlet in Exported())
        {
            var sets = cmdlet.ParameterSets;
            var defaultSet = sets.SingleOrDefault(s => s.IsDefault);
            if (defaultSet is null || sets.Count < 2)
                continue;
            static bool MandatoryByName(CommandParameterSetInfo s) => s.Parameters.Any(p => p.IsMandatory && p.ValueFromPipelineByPropertyName);
            static bool MandatoryByValue(CommandParameterSetInfo s) => s.Parameters.Any(p => p.IsMandatory && p.ValueFromPipeline);
            var others = sets.Where(s => !s.IsDefault).ToList();
            if (MandatoryByName(defaultSet) && !MandatoryByValue(defaultSet) && !others.Any(MandatoryByName))
            {
                foreach (var shadowed in others.Where(MandatoryByValue))
                    problems.Add($"{cmdlet.Name}: set '{shadowed.Name}' is never reached from the pipeline (default '{defaultSet.Name}' latches)");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static readonly HashSet<string> CommonParameters = new(
        ["Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable",
         "WarningVariable", "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable", "WhatIf", "Confirm"],
        StringComparer.OrdinalIgnoreCase);

    private sealed record ReadOnlyCollectionOfSets(List<CommandParameterSetInfo> Items);
}
