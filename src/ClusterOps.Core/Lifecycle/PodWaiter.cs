using System.Text.Json.Nodes;
using ClusterOps.Core.Common;
using ClusterOps.Kubernetes.Resources;

namespace ClusterOps.Core.Lifecycle;

/// <summary>
/// Waits on a workload's pods with a watch (list, then watch from the list's version): until enough are Ready, or
/// until none is left. A pod that cannot become Ready by waiting (CrashLoopBackOff, ImagePullBackOff, Unschedulable)
/// ends the wait at once with its name, reason and last message; the timeout bounds everything.
/// </summary>
public sealed class PodWaiter
{
    private readonly IClusterApi _api;

    public PodWaiter(IClusterApi api) => _api = api;

    /// <summary>Wait until <paramref name="desired"/> pods of the workload are Ready.</summary>
    public Task WaitReadyAsync(string ns, ComponentDefinition c, JsonObject? workload, int desired, TimeSpan timeout,
        Action<string> progress, CancellationToken ct) =>
        WaitAsync(ns, c, workload, timeout, progress, ct, pods =>
        {
            var live = pods.Where(p => !p.Terminating).ToList();
            var stuck = live.FirstOrDefault(p => p.StuckReason is not null && !p.Ready);
            if (stuck is not null)
                throw new OperationException("ComponentPodStuck", FailureKind.ResourceUnavailable,
                    $"{c.DisplayName}: pod {stuck.Name} is {stuck.StuckReason}{(stuck.Message is { Length: > 0 } m ? $": {m}" : "")}.",
                    stuck.Name);
            var ready = live.Count(p => p.Ready);
            progress($"{ready}/{desired} pods ready");
            return ready >= desired;
        }, () => $"{c.DisplayName} did not become ready within {timeout.TotalSeconds:0} s");

    /// <summary>Wait until no pod of the workload is left (scaled to zero or deleted).</summary>
    public Task WaitGoneAsync(string ns, ComponentDefinition c, JsonObject? workload, TimeSpan timeout, Action<string> progress, CancellationToken ct) =>
        WaitAsync(ns, c, workload, timeout, progress, ct, pods =>
        {
            progress(pods.Count == 0 ? "all pods gone" : $"{pods.Count} pod(s) terminating");
            return pods.Count == 0;
        }, () => $"the pods of {c.DisplayName} did not terminate within {timeout.TotalSeconds:0} s");

    private async Task WaitAsync(string ns, ComponentDefinition c, JsonObject? workload, TimeSpan timeout, Action<string> progress,
        CancellationToken ct, Func<IReadOnlyList<PodObservation>, bool> done, Func<string> timeoutMessage)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        var pods = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        var selector = ClusterSnapshot.SelectorOf(workload);
        IReadOnlyList<PodObservation> Current() => pods.Values.Select(ClusterSnapshot.PodOf).ToList();
        try
        {
            var list = await _api.ListAsync(ApiKind.Pod, ns, selector, cts.Token).ConfigureAwait(false);
            foreach (var p in list.Items.Where(p => ClusterSnapshot.BelongsTo(c, workload, p)))
                pods[ClusterSnapshot.NameOf(p)] = p;
            if (done(Current()))
                return;
            await foreach (var e in _api.WatchAsync(ApiKind.Pod, ns, selector, list.ResourceVersion, cts.Token).ConfigureAwait(false))
            {
                if (e.Type == WatchEventType.Reset)
                {
                    pods.Clear();
                    continue;
                }
                if (e.Object is null || !ClusterSnapshot.BelongsTo(c, workload, e.Object))
                    continue;
                var name = ClusterSnapshot.NameOf(e.Object);
                if (e.Type == WatchEventType.Deleted)
                    pods.Remove(name);
                else
                    pods[name] = e.Object;
                if (done(Current()))
                    return;
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            var states = Current();
            var detail = states.Count == 0 ? "no pods" : string.Join(", ", states.Select(p => $"{p.Name} {(p.Terminating ? "Terminating" : p.Ready ? "Ready" : "NotReady")}"));
            throw new OperationException("ComponentWaitTimeout", FailureKind.OperationTimeout, $"{timeoutMessage()} ({detail}).", c.Workload.ToString())
            {
                RecommendedAction = "Look at the pods (kubectl describe pod), then run the command again; it resumes where it stopped. Use -TimeoutSec to wait longer.",
            };
        }
    }
}
