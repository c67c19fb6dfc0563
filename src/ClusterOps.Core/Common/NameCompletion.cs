using System.Collections.Concurrent;
using ClusterOps.Kubernetes.Http;
using ClusterOps.Kubernetes.Resources;

namespace ClusterOps.Core.Common;

/// <summary>
/// What every name completer shares: names fetched within a short budget, kept a few seconds so repeated Tab presses
/// do not each hit the server, filtered by what was typed (a prefix, or a wildcard pattern), and never an exception
/// (a completer must not throw: not installed, unreachable, forbidden or too slow simply offers nothing).
/// </summary>
public static class NameCompletion
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(2);
    private static readonly ConcurrentDictionary<string, (DateTimeOffset At, IReadOnlyList<string> Names)> Cache = new(StringComparer.Ordinal);

    /// <param name="cacheKey">Identifies the cluster and the list (server, context, kind, namespace).</param>
    public static async Task<IReadOnlyList<string>> CompleteAsync(string cacheKey, Func<CancellationToken, Task<IEnumerable<string>>> fetch, string? typed)
    {
        try
        {
            if (!Cache.TryGetValue(cacheKey, out var cached) || DateTimeOffset.UtcNow - cached.At > CacheFor)
            {
                using var budget = new CancellationTokenSource(Budget);
                var names = await fetch(budget.Token).ConfigureAwait(false);
                cached = (DateTimeOffset.UtcNow, names.Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList());
                Cache[cacheKey] = cached;
            }
            return Filter(cached.Names, typed);
        }
        catch (Exception)
        {
            return Array.Empty<string>();
        }
    }

    /// <summary>The names matching what was typed: a prefix, or a wildcard pattern; quotes being typed are ignored.</summary>
    public static IReadOnlyList<string> Filter(IEnumerable<string> names, string? typed)
    {
        var word = (typed ?? "").Trim('\'', '"');
        var pattern = new NamePattern(NamePattern.ContainsWildcards(word) ? word : word + "*", ignoreCase: true);
        return names.Where(pattern.IsMatch).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The names on the first page of a list: completion offers what one request can bring.</summary>
    public static async Task<IEnumerable<string>> FirstPageAsync<T>(KubeClient client, ResourceType<T> type, string? ns, Func<T, string?> name, CancellationToken ct)
        where T : class
    {
        await foreach (var page in client.ListPagesAsync(type, type.Namespaced ? ns : null, new ListOptions { PageSize = 500 }, ct).ConfigureAwait(false))
            return page.Items.Select(name).OfType<string>().ToList();
        return Array.Empty<string>();
    }

    public static string KeyFor(KubeClient client, string list, string? ns) => $"{client.Server}|{client.ContextName}|{list}|{ns}";
}
