using System.Runtime.CompilerServices;
using System.Threading.Channels;
using ClusterOps.Core.Common;
using ClusterOps.Kubernetes.Http;
using ClusterOps.Kubernetes.Resources;

namespace ClusterOps.Core.Storage;

/// <param name="ProgressId">Write-Progress activity id; each namespace waited at the same time needs its own.</param>
public sealed record ClaimWaitRequest(string Namespace, IReadOnlyList<string> Names, string For = "Bound", TimeSpan? Timeout = null,
    int ProgressId = ClaimWaiter.ProgressActivityId)
{
    public TimeSpan EffectiveTimeout => Timeout ?? TimeSpan.FromMinutes(5);
}

/// <summary>
/// Wait-PersistentVolumeClaim: list the claims, then watch from the list's version until each reaches the wanted
/// phase (each is emitted the moment it does). A claim that does not exist is a non-terminating not-found error, as
/// kubectl wait reports it; one deleted during the wait is an error too. When the timeout fires, each claim still
/// waiting gets its own non-terminating error (its name as the target, its phase and the timeout in the message)
/// and the claims that made it are already out: the timeout is a per-claim outcome, not a failure of the call.
/// </summary>
public sealed class ClaimWaiter
{
    public const int ProgressActivityId = 4712;

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
        // One error per claim still waiting (never a list as the target): -ErrorAction applies to each.
        void ReportTimeout()
        {
            foreach (var name in pending.Count > 0 ? pending.Keys.ToList() : wanted)
            {
                var at = pending.TryGetValue(name, out var current) ? current : "not yet read";
                ctx.WriteError(new OperationException("ClaimWaitTimeout", FailureKind.OperationTimeout,
                    $"PersistentVolumeClaim '{name}' in namespace '{request.Namespace}' was still {at} when -TimeoutSec " +
                    $"({request.EffectiveTimeout.TotalSeconds:0} s) ran out waiting for it to be {phase}.", name)
                {
                    RecommendedAction = "kubectl describe pvc <name> shows why a claim is not bound (no matching volume, a provisioner error, WaitForFirstConsumer).",
                });
            }
            ctx.WriteProgress(new OperationProgress(request.ProgressId, $"Waiting for claims in '{request.Namespace}' to be {phase}", "Timed out", 100, Completed: true));
        }

        KubeList<PersistentVolumeClaim> list;
        try
        {
            list = await _client.ListAllAsync(KubeResources.PersistentVolumeClaims, request.Namespace,
                new ListOptions { FieldSelector = field }, cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            ReportTimeout(); // the whole wait is bounded, the first list included
            yield break;
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
        void Progress() => ctx.WriteProgress(new OperationProgress(request.ProgressId, $"Waiting for claims in '{request.Namespace}' to be {phase}",
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
                moved = false;
                ReportTimeout();
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
                ctx.WriteProgress(new OperationProgress(request.ProgressId, $"Waiting for claims in '{request.Namespace}' to be {phase}", "Done", 100, Completed: true));
                yield break;
            }
        }
    }

    /// <summary>
    /// Waits on several namespaces (or clusters) at the same time and streams each claim the moment it is ready, so
    /// the whole wait lasts as long as the slowest claim, not the sum of the namespaces. A failure of one wait (the
    /// cluster unreachable, access denied) stops the others and ends the call.
    /// </summary>
    public static async IAsyncEnumerable<PersistentVolumeClaimInfo> WaitManyAsync(
        IReadOnlyList<(ClaimWaiter Waiter, ClaimWaitRequest Request)> waits, IOperationContext ctx,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var ready = Channel.CreateUnbounded<PersistentVolumeClaimInfo>();
        async Task Run(ClaimWaiter waiter, ClaimWaitRequest request)
        {
            try
            {
                await foreach (var claim in waiter.WaitAsync(request, ctx, stop.Token).ConfigureAwait(false))
                    await ready.Writer.WriteAsync(claim, stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                await stop.CancelAsync().ConfigureAwait(false); // the others stop now, not at their timeout
                throw;
            }
        }
        var all = Task.WhenAll(waits.Select(w => Run(w.Waiter, w.Request)).ToList());
        _ = all.ContinueWith(_ => ready.Writer.TryComplete(), TaskScheduler.Default);
        await foreach (var claim in ready.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            yield return claim;
        await all.ConfigureAwait(false); // surfaces the first failure
    }

    private static bool IsAt(PersistentVolumeClaim pvc, string phase) =>
        pvc.Metadata.DeletionTimestamp is null && string.Equals(pvc.Status?.Phase, phase, StringComparison.Ordinal);
}
