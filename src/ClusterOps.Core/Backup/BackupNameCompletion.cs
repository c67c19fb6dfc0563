using System.Collections.Concurrent;
using ClusterOps.Kubernetes.Http;

namespace ClusterOps.Core.Backup;

/// <summary>
/// Backup names for tab completion. Never throws (a completer must not), answers within a short budget, and keeps
/// each namespace's names for a few seconds so repeated Tab presses do not hit the API server each time.
/// </summary>
public static class BackupNameCompletion
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(3);
    private static readonly ConcurrentDictionary<string, (DateTimeOffset At, IReadOnlyList<string> Names)> Cache = new();

    public static async Task<IReadOnlyList<string>> CompleteAsync(KubeClient client, string @namespace, string? wordToComplete,
        bool restores = false, CancellationToken cancellationToken = default)
    {
        try
        {
            var key = $"{client.Server}|{client.ContextName}|{@namespace}|{restores}";
            if (!Cache.TryGetValue(key, out var cached) || DateTimeOffset.UtcNow - cached.At > CacheFor)
            {
                using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                budget.CancelAfter(Budget);
                var type = restores ? ThreescaleResources.Restores : ThreescaleResources.Backups;
                var list = await client.ListAllAsync(type, @namespace, null, budget.Token).ConfigureAwait(false);
                cached = (DateTimeOffset.UtcNow, list.Items.Select(i => i.Name()).OrderBy(n => n, StringComparer.Ordinal).ToList());
                Cache[key] = cached;
            }
            var prefix = (wordToComplete ?? "").Trim('\'', '"');
            return cached.Names.Where(n => n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).ToList();
        }
        catch (Exception)
        {
            // Not installed, unreachable, forbidden, too slow: completion simply offers nothing.
            return Array.Empty<string>();
        }
    }
}
