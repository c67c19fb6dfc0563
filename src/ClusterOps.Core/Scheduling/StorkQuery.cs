using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using ClusterOps.Core.Common;
using ClusterOps.Kubernetes.Http;
using ClusterOps.Kubernetes.Resources;

namespace ClusterOps.Core.Scheduling;

/// <summary>
/// -Name semantics shared by the Get- cmdlets: literal names are fetched one by one and a missing one is a
/// non-terminating ObjectNotFound; wildcards filter a paged list and are silent when nothing matches.
/// </summary>
internal static class StorkQuery
{
    public static async IAsyncEnumerable<JsonObject> GetAsync(KubeClient client, ResourceType<JsonObject> type, string? ns,
        IReadOnlyList<string>? names, IOperationContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var patterns = NamePattern.From(names);
        if (patterns.Count > 0 && patterns.All(p => !p.HasWildcards) && (ns is not null || !type.Namespaced))
        {
            foreach (var pattern in patterns)
            {
                var item = await client.TryGetAsync(type, ns, pattern.Pattern, cancellationToken).ConfigureAwait(false);
                if (item is null)
                    context.WriteError(NotFound(type, pattern.Pattern, ns), pattern.Pattern);
                else
                    yield return item;
            }
            yield break;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal); // names are case-sensitive (NamePattern)
        await foreach (var item in client.ListAsync(type, ns, null, cancellationToken).ConfigureAwait(false))
        {
            var name = StorkResources.Name(item);
            if (!NamePattern.MatchesAny(patterns, name))
                continue;
            seen.Add(name);
            yield return item;
        }
        foreach (var literal in patterns.Where(p => !p.HasWildcards && !seen.Contains(p.Pattern)))
            context.WriteError(NotFound(type, literal.Pattern, ns), literal.Pattern);
    }

    public static OperationException NotFound(ResourceType<JsonObject> type, string name, string? ns) =>
        new(type.Kind + "NotFound", FailureKind.ObjectNotFound,
            type.Namespaced && ns is not null ? $"{type.Kind} '{name}' was not found in namespace '{ns}'." : $"{type.Kind} '{name}' was not found.", name);
}
