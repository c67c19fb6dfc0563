using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using ClusterOps.Cmdlets.Infrastructure;
using ClusterOps.Core.Storage;
using ClusterOps.Kubernetes.Http;
using ClusterOps.Kubernetes.Resources;

namespace ClusterOps.Cmdlets.Storage;

/// <summary>
/// Tab completion of claim and volume names from the cluster (honours -KubeConfig, -Context, -Namespace). Bounded
/// to one page and two seconds; any failure offers nothing, because a completer must never throw.
/// </summary>
public abstract class StorageNameCompleter : IArgumentCompleter
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(2);

    protected abstract Task<IEnumerable<string>> NamesAsync(KubeClient client, string ns, CancellationToken ct);

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            var session = KubeConnectionCache.Shared.GetSession(new KubeSessionRequest(
                fakeBoundParameters?["KubeConfig"] as string, fakeBoundParameters?["Context"] as string, fakeBoundParameters?["Namespace"] as string));
            using var cts = new CancellationTokenSource(Budget);
            var names = NamesAsync(session.Client, session.Namespace, cts.Token).GetAwaiter().GetResult();
            return NameCompletion.Complete(names, wordToComplete)
                .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n))
                .ToList();
        }
        catch (Exception)
        {
            return Array.Empty<CompletionResult>();
        }
    }

    protected static async Task<IEnumerable<string>> FirstPageAsync<T>(KubeClient client, ResourceType<T> type, string? ns, Func<T, string?> name, CancellationToken ct)
        where T : class
    {
        await foreach (var page in client.ListPagesAsync(type, ns, new ListOptions { PageSize = 500 }, ct).ConfigureAwait(false))
            return page.Items.Select(name).OfType<string>().ToList();
        return Array.Empty<string>();
    }
}

/// <summary>Completes -Name of the claim cmdlets.</summary>
public sealed class PersistentVolumeClaimNameCompleter : StorageNameCompleter
{
    protected override Task<IEnumerable<string>> NamesAsync(KubeClient client, string ns, CancellationToken ct) =>
        FirstPageAsync(client, KubeResources.PersistentVolumeClaims, ns, c => c.Metadata.Name, ct);
}

/// <summary>Completes -Name of Get-PersistentVolume.</summary>
public sealed class PersistentVolumeNameCompleter : StorageNameCompleter
{
    protected override Task<IEnumerable<string>> NamesAsync(KubeClient client, string ns, CancellationToken ct) =>
        FirstPageAsync(client, KubeResources.PersistentVolumes, null, v => v.Metadata.Name, ct);
}
