using System.Text.Json.Nodes;
using System.Threading.Channels;
using ClusterOps.Core.Common;
using ClusterOps.Kubernetes.Errors;
using ClusterOps.Kubernetes.Http;
using ClusterOps.Kubernetes.Resources;

namespace ClusterOps.Core.Backup;

/// <summary>What to follow: one backup or restore resource, the Jobs and pods of its namespace, and how to read them.</summary>
internal sealed record FollowSpec(
    ResourceType<JsonObject> ResourceType,
    string Namespace,
    string Name,
    string Activity,
    int ActivityId,
    Func<JsonObject, IReadOnlyCollection<JsonObject>, IReadOnlyCollection<JsonObject>, IReadOnlyCollection<JsonObject>, ProgressSnapshot> Interpret,
    bool FollowApiManagers,
    string FailedErrorId,
    string TimedOutErrorId);

/// <summary>
/// Follows an operator-driven backup or restore with watches (list, then watch from the list's resourceVersion)
/// on the resource, the Jobs and the pods of its namespace, re-reading the steps on every change. Ends when the
/// operator marks it completed, when one of its Jobs fails (which the operator itself never notices), when the
/// resource disappears, or at the timeout.
/// </summary>
internal sealed class OperatorFollower
{
    private readonly KubeClient _client;
    private readonly FollowSpec _spec;
    private readonly IOperationContext _context;
    private readonly object _gate = new();
    private readonly Dictionary<string, JsonObject> _resources = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> _jobs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> _pods = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> _apiManagers = new(StringComparer.Ordinal);
    private readonly Channel<Exception?> _signals = Channel.CreateUnbounded<Exception?>(new UnboundedChannelOptions { SingleReader = true });
    private int _seeded;

    public OperatorFollower(KubeClient client, FollowSpec spec, IOperationContext context)
    {
        _client = client;
        _spec = spec;
        _context = context;
    }

    public async Task<JsonObject> FollowAsync(TimeSpan? timeout)
    {
        using var timeoutSource = new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(_context.CancellationToken, timeoutSource.Token);
        if (timeout is { } limit && limit > TimeSpan.Zero)
            timeoutSource.CancelAfter(limit);
        var token = linked.Token;
        var feeds = new List<Task>
        {
            FeedAsync(_spec.ResourceType, _resources, essential: true, token),
            FeedAsync(ThreescaleResources.Jobs, _jobs, essential: false, token),
            FeedAsync(ThreescaleResources.Pods, _pods, essential: false, token),
        };
        if (_spec.FollowApiManagers)
            feeds.Add(FeedAsync(ThreescaleResources.ApiManagers, _apiManagers, essential: false, token));

        ProgressSnapshot? last = null;
        JsonObject? lastResource = null;
        var warned = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            while (true)
            {
                var error = await _signals.Reader.ReadAsync(token).ConfigureAwait(false);
                if (error is not null)
                    throw error;
                if (Volatile.Read(ref _seeded) < feeds.Count)
                    continue;
                JsonObject? resource;
                ProgressSnapshot snapshot;
                lock (_gate)
                {
                    _resources.TryGetValue(_spec.Name, out resource);
                    if (resource is null)
                    {
                        throw new OperationException(_spec.ResourceType.Kind + "Deleted", FailureKind.OperationStopped,
                            $"{_spec.ResourceType.Kind} '{_spec.Name}' was deleted while waiting for it.", _spec.Name);
                    }
                    snapshot = _spec.Interpret(resource, _jobs.Values.ToList(), _pods.Values.ToList(), _apiManagers.Values.ToList());
                }
                if (snapshot.Failure is { PodReason: null })
                    snapshot = await ReinterpretWithFreshPodsAsync(resource, token).ConfigureAwait(false) ?? snapshot;
                Report(snapshot, last, warned);
                last = snapshot;
                lastResource = resource;
                if (snapshot.Failure is { } failure)
                {
                    throw new OperatorJobFailedException(_spec.FailedErrorId,
                        $"{_spec.ResourceType.Kind} '{_spec.Name}' cannot finish: {failure.Describe()}. The operator does not notice failed Jobs and would wait forever.",
                        _spec.Name, failure)
                    {
                        RecommendedAction = $"Read the pod's log (kubectl logs -n {_spec.Namespace} {failure.PodName ?? "job/" + failure.JobName}), fix the cause, then remove the {_spec.ResourceType.Kind} and start again.",
                    };
                }
                if (snapshot.Completed)
                    return resource;
            }
        }
        catch (OperationCanceledException) when (timeoutSource.IsCancellationRequested && !_context.CancellationToken.IsCancellationRequested)
        {
            var where = last?.Current is { } step
                ? $" It is at step {last.CurrentIndex} of {last.Steps.Count}, '{step.Name}'{(step.Detail is null ? "" : $" ({step.Detail})")}."
                : "";
            if (lastResource?.At("status") is not JsonObject { Count: > 0 })
                where += " The operator never updated its status: check that the 3scale operator is running and watches this namespace.";
            throw new OperationException(_spec.TimedOutErrorId, FailureKind.OperationTimeout,
                $"{_spec.ResourceType.Kind} '{_spec.Name}' did not complete within {timeout!.Value.TotalSeconds:0} s.{where} It goes on in the cluster; follow it with Get-{(_spec.ResourceType.Kind == ThreescaleApi.BackupKind ? "ApiManagerBackup" : "ApiManagerRestore")}.",
                _spec.Name);
        }
        finally
        {
            _context.WriteProgress(new OperationProgress(_spec.ActivityId, _spec.Activity, "Done", Completed: true));
            linked.Cancel();
            try { await Task.WhenAll(feeds).ConfigureAwait(false); }
            catch (Exception) { /* the feeds end by cancellation; a real failure was already surfaced through the channel */ }
        }
    }

    /// <summary>
    /// Jobs and pods arrive on separate watch streams, so a Job's Failed condition can be seen before its pod's
    /// terminated state. Before a failure is reported, the pods are read once more so the report names the cause.
    /// </summary>
    private async Task<ProgressSnapshot?> ReinterpretWithFreshPodsAsync(JsonObject resource, CancellationToken token)
    {
        try
        {
            var pods = await _client.ListAllAsync(ThreescaleResources.Pods, _spec.Namespace, null, token).ConfigureAwait(false);
            lock (_gate)
            {
                foreach (var pod in pods.Items)
                    _pods[pod.Name()] = pod;
                return _spec.Interpret(resource, _jobs.Values.ToList(), _pods.Values.ToList(), _apiManagers.Values.ToList());
            }
        }
        catch (KubeApiException ex) when (ex.StatusCode == System.Net.HttpStatusCode.Forbidden)
        {
            return null; // already warned by the pod feed; report the Job without its pod
        }
    }

    /// <param name="essential">False for what only explains progress (Jobs, pods, the APIManager): a user whose
    /// role may not read them still gets the wait, with a warning, instead of a failure.</param>
    private async Task FeedAsync(ResourceType<JsonObject> type, Dictionary<string, JsonObject> cache, bool essential, CancellationToken token)
    {
        var seeded = false;
        try
        {
            var list = await _client.ListAllAsync(type, _spec.Namespace, null, token).ConfigureAwait(false);
            lock (_gate)
            {
                foreach (var item in list.Items)
                    cache[item.Name()] = item;
            }
            Interlocked.Increment(ref _seeded);
            seeded = true;
            _signals.Writer.TryWrite(null);
            var options = new WatchOptions { ResourceVersion = list.Metadata.ResourceVersion, IncludeBookmarks = true };
            await foreach (var change in _client.WatchAsync(type, _spec.Namespace, options, token).ConfigureAwait(false))
            {
                lock (_gate)
                {
                    switch (change.Type)
                    {
                        case WatchEventType.Reset:
                            cache.Clear();
                            break;
                        case WatchEventType.Added or WatchEventType.Modified when change.Object is not null:
                            cache[change.Object.Name()] = change.Object;
                            break;
                        case WatchEventType.Deleted when change.Object is not null:
                            cache.Remove(change.Object.Name());
                            break;
                        default:
                            continue;
                    }
                }
                _signals.Writer.TryWrite(null);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (KubeApiException ex) when (!essential && ex.StatusCode == System.Net.HttpStatusCode.Forbidden)
        {
            _context.WriteWarning($"Cannot read {type.Plural} in namespace '{_spec.Namespace}' ({ex.Message}); waiting on the {_spec.ResourceType.Kind}'s status alone, so a failed Job cannot be reported.");
            if (!seeded)
                Interlocked.Increment(ref _seeded);
            _signals.Writer.TryWrite(null);
        }
        catch (Exception ex)
        {
            _signals.Writer.TryWrite(ex);
        }
    }

    private void Report(ProgressSnapshot now, ProgressSnapshot? before, HashSet<string> warned)
    {
        var step = now.Current;
        var status = step is null ? "Completed" : $"Step {now.CurrentIndex} of {now.Steps.Count}: {step.Name}";
        _context.WriteProgress(new OperationProgress(_spec.ActivityId, _spec.Activity, status, now.PercentComplete, step?.Detail));
        if (before?.Current?.Name != step?.Name)
            _context.WriteVerbose($"{_spec.ResourceType.Kind} '{_spec.Name}': {status}{(step?.JobName is null ? "" : $" (Job {step.JobName})")}");
        if (now.Stuck is { } stuck && warned.Add(stuck))
            _context.WriteWarning($"{_spec.ResourceType.Kind} '{_spec.Name}' is not progressing: {stuck}");
    }
}
