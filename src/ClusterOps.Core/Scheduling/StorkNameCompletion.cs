using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using ClusterOps.Core.Common;
using ClusterOps.Kubernetes.Http;
using ClusterOps.Kubernetes.Resources;

namespace ClusterOps.Core.Scheduling;

/// <summary>Which names a completer offers.</summary>
public enum StorkNameKind
{
    SchedulePolicy,
    MigrationSchedule,
    Migration,
    ClusterPair,
}

/// <summary>
/// Names for tab completion of policies, schedules, migrations and cluster pairs. Never throws, answers within a
/// short budget from one page, and keeps answers a few seconds so repeated Tab presses do not each hit the server.
/// Policies offer the namespace's NamespacedSchedulePolicies and the cluster's SchedulePolicies, as Stork looks them up.
/// </summary>
public static class StorkNameCompletion
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(2);
    private static readonly ConcurrentDictionary<string, (DateTimeOffset At, IReadOnlyList<string> Names)> Cache = new();

    public static async Task<IReadOnlyList<string>> CompleteAsync(KubeClient client, StorkNameKind kind, string? @namespace, string? wordToComplete)
    {
        try
        {
            var key = $"{client.Server}|{client.ContextName}|{kind}|{@namespace}";
            if (!Cache.TryGetValue(key, out var cached) || DateTimeOffset.UtcNow - cached.At > CacheFor)
            {
                using var budget = new CancellationTokenSource(Budget);
                var names = new List<string>();
                foreach (var (type, ns) in Sources(kind, @namespace))
                    names.AddRange(await FirstPageAsync(client, type, ns, budget.Token).ConfigureAwait(false));
                cached = (DateTimeOffset.UtcNow, names.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList());
                Cache[key] = cached;
            }
            return Filter(cached.Names, wordToComplete);
        }
        catch (Exception)
        {
            // Not installed, unreachable, forbidden, too slow: completion simply offers nothing.
            return Array.Empty<string>();
        }
    }

    /// <summary>The names matching what was typed: a prefix, or a wildcard pattern.</summary>
    public static IReadOnlyList<string> Filter(IEnumerable<string> names, string? typed)
    {
        var word = (typed ?? "").Trim('\'', '"');
        var pattern = new NamePattern(NamePattern.ContainsWildcards(word) ? word : word + "*");
        return names.Where(pattern.IsMatch).ToList();
    }

    private static IEnumerable<(ResourceType<JsonObject> Type, string? Namespace)> Sources(StorkNameKind kind, string? ns) => kind switch
    {
        StorkNameKind.SchedulePolicy => ns is null
            ? [(StorkResources.SchedulePolicies, null)]
            : [(StorkResources.NamespacedSchedulePolicies, ns), (StorkResources.SchedulePolicies, null)],
        StorkNameKind.MigrationSchedule => [(StorkResources.MigrationSchedules, ns)],
        StorkNameKind.Migration => [(StorkResources.Migrations, ns)],
        _ => [(StorkResources.ClusterPairs, ns)],
    };

    private static async Task<IReadOnlyList<string>> FirstPageAsync(KubeClient client, ResourceType<JsonObject> type, string? ns, CancellationToken ct)
    {
        try
        {
            await foreach (var page in client.ListPagesAsync(type, type.Namespaced ? ns : null, new ListOptions { PageSize = 500 }, ct).ConfigureAwait(false))
                return page.Items.Select(StorkResources.Name).Where(n => n.Length > 0).ToList();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // One missing kind (an older Stork without NamespacedSchedulePolicy) must not hide the others.
        }
        return Array.Empty<string>();
    }
}
