using System.Collections;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Management.Automation.Language;
using ClusterOps.Kubernetes;
using ClusterOps.Kubernetes.Http;
using ClusterOps.Kubernetes.Resources;

namespace ClusterOps.Cmdlets.Infrastructure;

/// <summary>
/// Namespace names of a cluster for completion: one bounded list call (2 s), cached 30 s per context, never throws.
/// </summary>
public static class KubeNamespaceNames
{
    private static readonly ConcurrentDictionary<string, (DateTimeOffset At, IReadOnlyList<string> Names)> Cache = new(StringComparer.Ordinal);

    public static async Task<IReadOnlyList<string>> ListAsync(KubeSession session, string? word, TimeSpan timeout)
    {
        var key = session.Client.Server + "\n" + session.ContextName;
        if (!Cache.TryGetValue(key, out var entry) || DateTimeOffset.UtcNow - entry.At > TimeSpan.FromSeconds(30))
        {
            using var cts = new CancellationTokenSource(timeout);
            var names = new List<string>();
            await foreach (var ns in session.Client.ListAsync(KubeResources.Namespaces, null, new ListOptions(), cts.Token).ConfigureAwait(false))
                names.Add(ns.Metadata.Name ?? "");
            entry = (DateTimeOffset.UtcNow, names);
            Cache[key] = entry;
        }
        var prefix = (word ?? "").Trim('\'', '"');
        return entry.Names.Where(n => n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).ToList();
    }
}

/// <summary>Completes -Namespace from the cluster of the -Context / -KubeConfig being typed (or the session default).</summary>
public sealed class KubeNamespaceCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            var session = KubeConnectionCache.Shared.GetSession(new KubeSessionRequest(
                fakeBoundParameters?["KubeConfig"] as string, fakeBoundParameters?["Context"] as string));
            // Completion runs on the pipeline thread: block briefly rather than leave the user waiting on a dead cluster.
            var names = Task.Run(() => KubeNamespaceNames.ListAsync(session, wordToComplete, TimeSpan.FromSeconds(2))).GetAwaiter().GetResult();
            return names.Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n)).ToList();
        }
        catch (Exception)
        {
            return Array.Empty<CompletionResult>();
        }
    }
}
