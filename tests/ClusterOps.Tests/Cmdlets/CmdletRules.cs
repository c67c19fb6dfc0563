using System.Management.Automation;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace ClusterOps.Tests.Cmdlets;

/// <summary>
/// The module's cmdlet rules (design.md "Conventions"), as a checker that returns violations. Tests run it over every
/// cmdlet in ClusterOps.Cmdlets and over deliberately bad fixtures, so each rule is shown to bite.
/// </summary>
public sealed class CmdletRules
{
    /// <summary>Verbs whose cmdlets change state and therefore must support -WhatIf/-Confirm. Use- only changes
    /// the session's own defaults (Use-KubeContext writes no file and touches no cluster), so it is not listed.</summary>
    public static readonly IReadOnlySet<string> StateChangingVerbs = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "New", "Set", "Remove", "Start", "Stop", "Restart", "Suspend", "Resume", "Enable", "Disable", "Initialize",
        "Repair", "Add", "Clear", "Reset", "Rename", "Move", "Copy", "Install", "Uninstall", "Register", "Unregister",
        "Restore", "Backup", "Update", "Publish", "Unpublish", "Invoke", "Deploy", "Sync", "Approve", "Deny",
    };

    private readonly IReadOnlySet<string> _approvedVerbs;
    private readonly string _helpFolder;
    private readonly IReadOnlySet<string> _tableViewTypes;

    public CmdletRules(string helpFolder, IReadOnlySet<string> tableViewTypes)
    {
        _approvedVerbs = ApprovedVerbs();
        _helpFolder = helpFolder;
        _tableViewTypes = tableViewTypes;
    }

    public static CmdletRules ForRepository() =>
        new(Infrastructure.RepoPaths.HelpFolder, TableViewTypes(Infrastructure.RepoPaths.FormatFile));

    /// <summary>PowerShell's approved verbs: the constants of the Verbs* classes plus the verbs added after 5.1.</summary>
    public static IReadOnlySet<string> ApprovedVerbs()
    {
        var verbs = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Build", "Deploy" };
        foreach (var holder in new[]
                 {
                     typeof(VerbsCommon), typeof(VerbsCommunications), typeof(VerbsData), typeof(VerbsDiagnostic),
                     typeof(VerbsLifecycle), typeof(VerbsOther), typeof(VerbsSecurity),
                 })
        {
            foreach (var field in holder.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral))
                verbs.Add((string)field.GetRawConstantValue()!);
        }
        return verbs;
    }

    public static IReadOnlySet<string> TableViewTypes(string formatFile)
    {
        var doc = XDocument.Load(formatFile);
        return doc.Descendants("View")
            .Where(v => v.Element("TableControl") is not null)
            .SelectMany(v => v.Element("ViewSelectedBy")?.Elements("TypeName") ?? Enumerable.Empty<XElement>())
            .Select(t => t.Value.Trim())
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The quoted names inside CmdletsToExport = @( ... ), comments ignored.</summary>
    public static IReadOnlySet<string> ManifestCmdlets(string manifestPath)
    {
        var text = File.ReadAllText(manifestPath);
        var block = Regex.Match(text, @"CmdletsToExport\s*=\s*@\((?<body>[^)]*)\)", RegexOptions.Singleline);
        if (!block.Success)
            throw new InvalidDataException($"{manifestPath} has no CmdletsToExport = @( ... ) list");
        var body = string.Join('\n', block.Groups["body"].Value.Split('\n').Select(l => l.Split('#')[0]));
        return Regex.Matches(body, @"'([^']+)'|""([^""]+)""")
            .Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyList<string> Check(CmdletMetadata c)
    {
        var violations = new List<string>();
        if (!_approvedVerbs.Contains(c.Verb))
            violations.Add($"{c.Name}: verb '{c.Verb}' is not an approved PowerShell verb");
        if (c.OutputTypes.Count == 0)
            violations.Add($"{c.Name}: no [OutputType]");
        if (StateChangingVerbs.Contains(c.Verb) && !c.SupportsShouldProcess)
            violations.Add($"{c.Name}: changes state but does not declare SupportsShouldProcess");
        violations.AddRange(CheckParameterSets(c));
        violations.AddRange(CheckHelp(c));
        foreach (var output in c.OutputTypes.Where(t => t.Namespace?.StartsWith("System", StringComparison.Ordinal) != true))
        {
            if (!_tableViewTypes.Contains(output.FullName!))
                violations.Add($"{c.Name}: output type {output.FullName} has no table view in the format file");
        }
        return violations;
    }

    private static IEnumerable<string> CheckParameterSets(CmdletMetadata c)
    {
        var sets = c.ParameterSets;
        if (sets.Count > 1 && (c.DefaultParameterSet is null || !sets.Contains(c.DefaultParameterSet)))
            yield return $"{c.Name}: {sets.Count} parameter sets but no valid DefaultParameterSetName";

        HashSet<string> Members(string set) => c.Parameters
            .Where(p => p.ParameterSet == set || p.ParameterSet == CmdletMetadata.AllSets)
            .Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        HashSet<string> MandatoryIn(string set) => c.Parameters
            .Where(p => p.ParameterSet == set && p.Mandatory)
            .Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);

        for (var i = 0; i < sets.Count; i++)
        {
            for (var j = i + 1; j < sets.Count; j++)
            {
                string a = sets[i], b = sets[j];
                bool aUnique = MandatoryIn(a).Except(Members(b)).Any();
                bool bUnique = MandatoryIn(b).Except(Members(a)).Any();
                bool involvesDefault = a == c.DefaultParameterSet || b == c.DefaultParameterSet;
                var other = a == c.DefaultParameterSet ? b : a;
                bool otherReachable = Members(other).Except(Members(other == a ? b : a)).Any();
                if (involvesDefault ? !otherReachable : !(aUnique || bUnique))
                    yield return $"{c.Name}: parameter sets '{a}' and '{b}' cannot be told apart";
            }
        }

        foreach (var set in sets)
        {
            var inSet = c.Parameters.Where(p => p.ParameterSet == set || p.ParameterSet == CmdletMetadata.AllSets).ToList();
            foreach (var clash in inSet.Where(p => p.Position >= 0).GroupBy(p => p.Position).Where(g => g.Select(p => p.Name).Distinct().Count() > 1))
                yield return $"{c.Name}: parameters {string.Join(", ", clash.Select(p => p.Name).Distinct())} share position {clash.Key} in set '{set}'";
            // A DontShow catch-all (KubeCmdlet.PipelineInput sees every object to recognise a piped context) binds
            // alongside the cmdlet's own pipeline parameter; two visible ones would compete for the same object.
            var pipeline = inSet.Where(p => p.ValueFromPipeline && !p.DontShow).Select(p => p.Name).Distinct().ToList();
            if (pipeline.Count > 1)
                yield return $"{c.Name}: more than one ValueFromPipeline parameter in set '{set}': {string.Join(", ", pipeline)}";
        }
    }

    private IEnumerable<string> CheckHelp(CmdletMetadata c)
    {
        var page = Path.Combine(_helpFolder, c.Name + ".md");
        if (!File.Exists(page))
        {
            yield return $"{c.Name}: no help page {page}";
            yield break;
        }
        var text = File.ReadAllText(page);
        var documented = Regex.Matches(text, @"^### -(\w+)\s*$", RegexOptions.Multiline).Select(m => m.Groups[1].Value)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var missing in c.ParameterNames.Where(p => !documented.Contains(p)))
            yield return $"{c.Name}: help page does not document -{missing}";
        // A DontShow parameter need not be documented, but may be (a kept no-op switch says what it was).
        var declared = c.ParameterNames.Concat(c.Parameters.Select(p => p.Name)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var stale in documented.Where(d => !declared.Contains(d)))
            yield return $"{c.Name}: help page documents -{stale}, which the cmdlet does not have";
        var examples = Regex.Matches(text, @"^### Example", RegexOptions.Multiline).Count;
        if (examples < 2)
            yield return $"{c.Name}: help page has {examples} example(s); at least 2 are required";
        if (!Regex.IsMatch(text, @"^## SYNOPSIS\s*\n\s*\S", RegexOptions.Multiline))
            yield return $"{c.Name}: help page has no SYNOPSIS text";
    }
}
