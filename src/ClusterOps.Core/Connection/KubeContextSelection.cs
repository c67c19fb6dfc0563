using ClusterOps.Core.Common;
using ClusterOps.Kubernetes.Config;

namespace ClusterOps.Core.Connection;

/// <summary>
/// What a cluster cmdlet's -Context values select from the merged kubeconfig: the contexts to run in (file order within
/// a pattern, first mention wins, no duplicates), the literal names that exist nowhere (errors) and the wildcards that
/// matched nothing (warnings). A value that is exactly a context's name selects that context even when it contains
/// wildcard characters, so a context named "prod[eu]" stays reachable by its name.
/// </summary>
public sealed record KubeContextSelection(IReadOnlyList<string> Contexts, IReadOnlyList<string> Unknown, IReadOnlyList<string> EmptyPatterns)
{
    public static KubeContextSelection From(KubeConfig config, IEnumerable<string> requested)
    {
        var contexts = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var unknown = new List<string>();
        var empty = new List<string>();
        foreach (var value in requested.Where(v => !string.IsNullOrEmpty(v)))
        {
            if (config.Contexts.ContainsKey(value))
            {
                if (seen.Add(value))
                    contexts.Add(value);
                continue;
            }
            var pattern = new NamePattern(value);
            var matches = config.ContextsInOrder.Select(c => c.Name).Where(pattern.IsMatch).ToList();
            if (matches.Count == 0)
            {
                (pattern.HasWildcards ? empty : unknown).Add(pattern.HasWildcards ? value : NamePattern.Unescape(value));
                continue;
            }
            contexts.AddRange(matches.Where(seen.Add));
        }
        return new KubeContextSelection(contexts, unknown, empty);
    }
}
