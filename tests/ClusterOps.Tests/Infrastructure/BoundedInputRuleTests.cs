using System.Text.RegularExpressions;
using ClusterOps.Core.Common;
using ClusterOps.Kubernetes.Errors;

namespace ClusterOps.Tests.Infrastructure;

/// <summary>
/// Issue 13 §3: every user file goes through the one bounded reader (ClusterOps.Kubernetes/Input). These rules keep
/// a new loader from reading a file or parsing YAML around it.
/// </summary>
public sealed class BoundedInputRuleTests
{
    [Fact]
    public void Only_the_client_layer_references_YamlDotNet()
    {
        // Core parses YAML through BoundedYaml; a direct reference would let it build a YamlStream again.
        Assert.DoesNotContain("YamlDotNet", typeof(IOperationContext).Assembly.GetReferencedAssemblies().Select(a => a.Name));
        Assert.Contains("YamlDotNet", typeof(KubeApiException).Assembly.GetReferencedAssemblies().Select(a => a.Name));
    }

    [Fact]
    public void No_module_source_reads_whole_files_or_builds_YAML_trees_outside_the_bounded_reader()
    {
        var unbounded = new Regex(@"File\.(ReadAllText|ReadAllBytes|ReadAllLines|ReadLines|OpenText)\s*\(|new\s+YamlStream\b|\.Load\(\s*new\s+StringReader|new\s+Parser\s*\(");
        var offenders = new[] { "ClusterOps.Kubernetes", "ClusterOps.Core", "ClusterOps.Cmdlets" }
            .SelectMany(p => Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "src", p), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}Input{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (f, i, line)))
            .Where(x => !x.line.TrimStart().StartsWith("//", StringComparison.Ordinal) && unbounded.IsMatch(x.line))
            .Select(x => $"{Path.GetRelativePath(RepoPaths.Root, x.f)}:{x.i + 1}: {x.line.Trim()}")
            .ToList();

        Assert.True(offenders.Count == 0, "Read user files with BoundedFile/BoundedYaml:\n" + string.Join("\n", offenders));
    }
}
