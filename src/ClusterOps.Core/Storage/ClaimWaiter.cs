using System.Runtime.CompilerServices;
using ClusterOps.Core.Common;
using ClusterOps.Kubernetes.Http;
using ClusterOps.Kubernetes.Resources;

namespace ClusterOps.Core.Storage;

public sealed record ClaimWaitRequest(string Namespace, IReadOnlyList<string> Names, string For = "Bound", TimeSpan? Timeout = null)
{
    public TimeSpan EffectiveTimeout => Timeout ?? TimeSpan.FromMinutes(5);
}

/// <summary>
/// Wait-PersistentVolumeClaim: list the claims, then watch from the list's version until each reaches the wanted
/// phase (each is emitted the moment it does). A claim that does not exist is a non-terminating not-found error, as
/// kubectl wait reports it; one deleted during the wait is an error too. The timeout names every claim still
/// waiting and its phase.
/// </summary>
public sealed class ClaimWaiter
{
    private readonly KubeClient _client;
    private readonly TimeProvider _time;

    public ClaimWaiter(KubeClient client, TimeProvider? time = null)
    {
        _client = client;
        _time = time ?? TimeProvider.System;
    }

    public async IAsyncEnumerable<PersistentVolumeClaimInfo> WaitAsync(ClaimWaitRequest request, IOperationContext ctx,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        if (!StorageQueries.ClaimPhases.Contains(request.For, StringComparer.OrdinalIgnoreCase))
            throw new OperationException("InvalidClaimStatus", FailureKind.InvalidArgument,
                $"-For must be one of {string.Join(", ", StorageQueries.ClaimPhases)}; got '{request.For}'.", request.For);
        var wanted = request.Names.Distinct(StringComparer.Ordinal).ToList();
        if (wanted.Count == 0)
            yield break;
        var phase = StorageQueries.ClaimPhases.First(p => p.Equals(request.For, StringComparison.OrdinalIgnoreCase));

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(request.EffectiveTimeout);
        var pending = new Dictionary<string, string>(StringComparer.Ordinal); // name → current phase
        // One claim: watch just it (fieldSelector); several: watch the namespace and filter.
        var field = wanted.Count == 1 ? $"metadata.name={wanted[0]}" : null;
        OperationException TimedOut() => new("ClaimWaitTimeout", FailureKind.OperationTimeout,
            $"Timed out after {request.EffectiveTimeout.TotalSeconds:0} s waiting for claims to be {phase}: {string.Join(", ", pending.Count > 0 ? pending.Select(p => $"{p.Key} ({p.Value})") : wanted)}.",
            pending.Count > 0 ? pending.Keys.ToList() : wanted)
        {
            RecommendedAction = "kubectl describe pvc <name> shows why a claim is not bound (no matching volume, a provisioner error, WaitForFirstConsumer).",
        };

        KubeList<PersistentVolumeClaim> list;
        try
        {
            list = await _client.ListAllAsync(KubeResources.PersistentVolumeClaims, request.Namespace,
                new ListOptions { FieldSelector = field }, cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw TimedOut(); // the whole wait is bounded, the first list included
        }
        var byName = list.Items.ToDictionary(c => c.Metadata.Name ?? "", StringComparer.Ordinal);
        foreach (var name in wanted)
        {
            if (!byName.TryGetValue(name, out var pvc))
            {
                ctx.WriteError(new OperationException("PersistentVolumeClaimNotFound", FailureKind.ObjectNotFound,
                    $"PersistentVolumeClaim '{name}' was not found in namespace '{request.Namespace}'.", name));
                continue;
            }
            if (IsAt(pvc, phase))
                yield return PersistentVolumeClaimInfo.From(pvc, _time.GetUtcNow());
            else
                pending[name] = pvc.Status?.Phase ?? "Pending";
        }
        if (pending.Count == 0)
            yield break;

        var total = pending.Count;
        void Progress() => ctx.WriteProgress(new OperationProgress(4712, $"Waiting for claims in '{request.Namespace}' to be {phase}",
            $"{total - pending.Count}/{total} {phase}", (total - pending.Count) * 100 / total, string.Join(", ", pending.Select(p => $"{p.Key} {p.Value}"))));
        Progress();

        var events = _client.WatchAsync(KubeResources.PersistentVolumeClaims, request.Namespace,
            new WatchOptions { ResourceVersion = list.Metadata.ResourceVersion, FieldSelector = field }, cts.Token);
        await using var e = events.GetAsyncEnumerator(cts.Token);
        while (true)
        {
            bool moved;
            try
            {
                moved = await e.MoveNextAsync().ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw TimedOut();
            }
            if (!moved)
                yield break;
            var ev = e.Current;
            var pvc = ev.Object;
            if (pvc?.Metadata.Name is not { } name || !pending.ContainsKey(name))
                continue;
            if (ev.Type == WatchEventType.Deleted)
            {
                pending.Remove(name);
                ctx.WriteError(new OperationException("PersistentVolumeClaimDeleted", FailureKind.ObjectNotFound,
                    $"PersistentVolumeClaim '{name}' was deleted while waiting for it to be {phase}.", name));
            }
            else if (IsAt(pvc, phase))
            {
                pending.Remove(name);
                yield return PersistentVolumeClaimInfo.From(pvc, _time.GetUtcNow());
            }
            else
            {
                pending[name] = pvc.Status?.Phase ?? "Pending";
            }
            Progress();
            if (pending.Count == 0)
            {
                ctx.WriteProgress(new OperationProgress(4712, $"Waiting for claims in '{request.Namespace}' to be {phase}", "Done", 100, Completed: true));
                yield break;
            }
        }
    }

    private static bool IsAt(PersistentVolumeClaim pvc, string phase) =>
        pvc.Metadata.DeletionTimestamp is null && string.Equals(pvc.Status?.Phase, phase, StringComparison.Ordinal);
}
