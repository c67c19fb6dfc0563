using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using ClusterOps.Core.Common;
using ClusterOps.Kubernetes.Errors;
using ClusterOps.Kubernetes.Resources;

namespace ClusterOps.Core.Lifecycle;

/// <summary>Who runs a lifecycle command, and how it treats a cluster that another command holds.</summary>
/// <param name="Command">What the holder is doing, e.g. "Stop-TmlCluster -Mode Undeploy" (shown to a waiting user).</param>
/// <param name="Wait">Wait for the holder to finish (or its lease to expire) instead of failing with ClusterBusy.</param>
/// <param name="WaitTimeout">How long <paramref name="Wait"/> waits at most.</param>
/// <param name="Take">False under -WhatIf: nothing is written, not even the lease.</param>
public sealed record LeaseOptions(string Command, bool Wait = false, TimeSpan? WaitTimeout = null, bool Take = true)
{
    /// <summary>How long a lease stays valid without renewal: a holder killed with SIGKILL blocks others this long.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(15);

    public static LeaseOptions Default { get; } = new("ClusterOps");
}

/// <summary>
/// A coordination.k8s.io/v1 Lease per cluster, held by one Stop/Start/Remove run at a time, the way Kubernetes
/// controllers elect a leader: taken with a create or a version-checked patch, renewed while the run lasts, released
/// at its end. Two runs on one cluster at once could otherwise both succeed while one deletes what the other starts.
/// A holder that died (SIGKILL) stops renewing; its lease is taken over once it has expired, or at once when it was a
/// process of this machine that no longer exists.
/// </summary>
public sealed class LifecycleLease : IAsyncDisposable
{
    public const string HolderAnnotation = "clusterops.io/holder";
    public const string LeaseLabel = "clusterops.io/lifecycle-lease";

    private readonly IClusterApi _api;
    private readonly string _ns;
    private readonly string _name;
    private readonly string _identity;
    private readonly LeaseOptions _options;
    private readonly TimeProvider _time;
    private readonly IOperationContext _outer;
    private readonly CancellationTokenSource _lost;
    private readonly CancellationTokenSource _stopRenewing = new();
    private string? _resourceVersion;
    private Task? _renewal;
    private volatile bool _leaseLost;
    private bool _taken = true;

    private LifecycleLease(IClusterApi api, string ns, string name, string identity, LeaseOptions options, TimeProvider time, IOperationContext outer)
    {
        _api = api;
        _ns = ns;
        _name = name;
        _identity = identity;
        _options = options;
        _time = time;
        _outer = outer;
        _lost = CancellationTokenSource.CreateLinkedTokenSource(outer.CancellationToken);
        Context = new LeasedOperationContext(outer, _lost.Token);
    }

    /// <summary>The caller's context, cancelled as well if the lease is lost (another run took it over).</summary>
    public IOperationContext Context { get; }

    /// <summary>The Lease's name for a cluster profile: one lease per cluster and namespace.</summary>
    public static string NameFor(ClusterProfile profile) => $"clusterops-lifecycle-{profile.Name}";

    /// <summary>"user@host/pid/run": unique per run, so two runs in one process exclude each other too.</summary>
    public static string NewIdentity() =>
        $"{Environment.UserName}@{Environment.MachineName}/{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}/{Guid.NewGuid().ToString("n")[..8]}";

    /// <summary>Take the cluster's lease, or fail with ClusterBusy naming the holder (or wait, with Wait).</summary>
    public static async Task<LifecycleLease> AcquireAsync(IClusterApi api, ClusterProfile profile, string ns, LeaseOptions options,
        TimeProvider time, IOperationContext ctx)
    {
        var lease = new LifecycleLease(api, ns, NameFor(profile), NewIdentity(), options, time, ctx);
        if (!options.Take)
            return lease;
        await lease.TakeAsync(profile, ctx.CancellationToken).ConfigureAwait(false);
        if (lease._taken)
            lease._renewal = Task.Run(() => lease.RenewAsync(lease._stopRenewing.Token));
        return lease;
    }

    private async Task TakeAsync(ClusterProfile profile, CancellationToken ct)
    {
        var started = _time.GetUtcNow();
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var current = await _api.TryGetAsync(ApiKind.Lease, _ns, _name, ct).ConfigureAwait(false);
            if (current is null)
            {
                try
                {
                    var created = await _api.CreateAsync(ApiKind.Lease, _ns, NewLease(transitions: 0), ct).ConfigureAwait(false);
                    _resourceVersion = VersionOf(created);
                    _outer.WriteVerbose($"Took the lifecycle lease {_ns}/{_name} as {_identity}.");
                    return;
                }
                catch (KubeApiException ex) when (ex.IsAlreadyExists)
                {
                    continue; // another run created it first: read whose it is
                }
                catch (KubeApiException ex) when (ex.IsNotFound)
                {
                    // No such namespace, so no cluster to protect: the operation itself says what is missing.
                    _outer.WriteVerbose($"No lifecycle lease was taken: namespace '{_ns}' does not exist.");
                    _taken = false;
                    return;
                }
            }

            var holder = LeaseState.Of(current, _time.GetUtcNow());
            if (holder.IsFree || holder.Expired || holder.ProcessGoneOnThisHost)
            {
                var why = holder.IsFree ? null
                    : holder.Expired ? $"its holder {holder.Description} stopped renewing it {holder.SinceRenewal.TotalSeconds:0} s ago (the run was killed or lost its connection)"
                    : $"its holder {holder.Description} was a process of this machine that no longer exists";
                try
                {
                    // The version read is the precondition: of two runs taking over at once, one gets a Conflict.
                    var patch = NewLease(holder.Transitions + (holder.IsFree ? 0 : 1));
                    patch["metadata"]!["resourceVersion"] = VersionOf(current);
                    var taken = await _api.PatchAsync(ApiKind.Lease, _ns, _name, patch, ct).ConfigureAwait(false);
                    _resourceVersion = VersionOf(taken);
                    if (why is not null)
                        _outer.WriteWarning($"Took over the lifecycle lease of the {profile.DisplayName} cluster in namespace '{_ns}': {why}. This run resumes where that one stopped.");
                    else
                        _outer.WriteVerbose($"Took the lifecycle lease {_ns}/{_name} as {_identity}.");
                    return;
                }
                catch (KubeApiException ex) when (ex.IsConflict || ex.IsNotFound)
                {
                    continue;
                }
            }

            var busy = $"The {profile.DisplayName} cluster in namespace '{_ns}' is busy: {holder.Description} holds its lifecycle lease " +
                $"(lease {_ns}/{_name}, taken {holder.Acquired?.ToString("u", CultureInfo.InvariantCulture) ?? "at an unknown time"}, renewed {holder.SinceRenewal.TotalSeconds:0} s ago; " +
                $"it expires {holder.Duration.TotalSeconds:0} s after its last renewal).";
            var waited = _time.GetUtcNow() - started;
            var limit = _options.WaitTimeout ?? TimeSpan.FromMinutes(10);
            if (!_options.Wait || waited >= limit)
            {
                throw new OperationException("ClusterBusy", FailureKind.ResourceBusy,
                    busy + (_options.Wait ? $" Waited {waited.TotalSeconds:0} s." : " Nothing was changed."), $"{_ns}/{_name}")
                {
                    RecommendedAction = _options.Wait
                        ? "Wait longer (-TimeoutSec), or find out what the holder is doing."
                        : "Run the command again with -Wait to wait for the holder to finish, or run it later.",
                };
            }
            _outer.WriteVerbose(busy + " Waiting for it to be released or to expire.");
            await WaitForChangeAsync(current, holder.ExpiresIn, limit - waited, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Until the lease changes (released, taken) or its holder's lease expires: a watch, not a poll.</summary>
    private async Task WaitForChangeAsync(JsonObject seen, TimeSpan expiresIn, TimeSpan remaining, CancellationToken ct)
    {
        var until = expiresIn < remaining ? expiresIn : remaining;
        using var timeout = new CancellationTokenSource(until > TimeSpan.Zero ? until : TimeSpan.FromMilliseconds(1), _time);
        using var both = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            await foreach (var e in _api.WatchAsync(ApiKind.Lease, _ns, $"{LeaseLabel}={_name}", VersionOf(seen), both.Token).ConfigureAwait(false))
            {
                if (e.Type is WatchEventType.Modified or WatchEventType.Deleted or WatchEventType.Reset)
                    return;
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // expired or out of time: read the lease again
        }
    }

    private JsonObject NewLease(int transitions)
    {
        var now = MicroTime(_time.GetUtcNow());
        return new JsonObject
        {
            ["apiVersion"] = "coordination.k8s.io/v1",
            ["kind"] = "Lease",
            ["metadata"] = new JsonObject
            {
                ["name"] = _name,
                ["namespace"] = _ns,
                ["labels"] = new JsonObject { [LeaseLabel] = _name },
                ["annotations"] = new JsonObject { [HolderAnnotation] = Describe() },
            },
            ["spec"] = new JsonObject
            {
                ["holderIdentity"] = _identity,
                ["leaseDurationSeconds"] = (int)Math.Ceiling(_options.Duration.TotalSeconds),
                ["acquireTime"] = now,
                ["renewTime"] = now,
                ["leaseTransitions"] = transitions,
            },
        };
    }

    private string Describe() =>
        $"{_options.Command} by {Environment.UserName} on {Environment.MachineName} (pid {Environment.ProcessId.ToString(CultureInfo.InvariantCulture)})";

    /// <summary>Renew at a third of the duration; a renewal refused because another run took the lease ends this run.</summary>
    private async Task RenewAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(_options.Duration / 3, _time);
        var lastRenewal = _time.GetUtcNow();
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                try
                {
                    var patch = new JsonObject
                    {
                        ["metadata"] = new JsonObject { ["resourceVersion"] = _resourceVersion },
                        ["spec"] = new JsonObject { ["renewTime"] = MicroTime(_time.GetUtcNow()) },
                    };
                    _resourceVersion = VersionOf(await _api.PatchAsync(ApiKind.Lease, _ns, _name, patch, ct).ConfigureAwait(false));
                    lastRenewal = _time.GetUtcNow();
                }
                catch (KubeApiException ex) when (ex.IsConflict || ex.IsNotFound)
                {
                    Lose($"another command took over the lifecycle lease {_ns}/{_name} ({ex.Reason})");
                    return;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A failed renewal is retried at the next tick, as long as the lease has not expired meanwhile.
                    if (_time.GetUtcNow() - lastRenewal >= _options.Duration)
                    {
                        Lose($"the lifecycle lease {_ns}/{_name} could not be renewed for {_options.Duration.TotalSeconds:0} s ({ex.Message})");
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Lose(string why)
    {
        _leaseLost = true;
        _outer.WriteWarning($"This run stopped because {why}: another command may now change the cluster. Check it with Get-TmlCluster, then run the command again.");
        _lost.Cancel();
    }

    /// <summary>Release: stop renewing and delete the lease if it is still ours (version-checked). Never throws.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_renewal is not null)
        {
            _stopRenewing.Cancel();
            await _renewal.ConfigureAwait(false);
            if (!_leaseLost)
                await ReleaseAsync().ConfigureAwait(false);
        }
        _stopRenewing.Dispose();
        _lost.Dispose();
    }

    private async Task ReleaseAsync()
    {
        // The run may have been cancelled (Ctrl+C): releasing must still happen, bounded on its own.
        using var release = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _api.DeleteAsync(ApiKind.Lease, _ns, _name, release.Token, _resourceVersion).ConfigureAwait(false);
                _outer.WriteVerbose($"Released the lifecycle lease {_ns}/{_name}.");
                return;
            }
            catch (KubeApiException ex) when (ex.IsConflict)
            {
                return; // no longer ours: another run took it over after it expired
            }
            catch (Exception) when (attempt < 3 && !release.IsCancellationRequested)
            {
                // a transient failure (or a cancellation that was not ours): try again
            }
            catch (Exception ex)
            {
                _outer.WriteWarning($"The lifecycle lease {_ns}/{_name} could not be released ({ex.Message}); it expires by itself {_options.Duration.TotalSeconds:0} s after this run.");
                return;
            }
        }
    }

    private static string? VersionOf(JsonObject o) => o["metadata"]?["resourceVersion"]?.GetValue<string>();

    private static string MicroTime(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>What a lease read from the cluster says about its holder.</summary>
    private sealed record LeaseState(string? Identity, string Description, DateTimeOffset? Acquired, TimeSpan SinceRenewal, TimeSpan Duration, int Transitions)
    {
        public bool IsFree => string.IsNullOrEmpty(Identity);
        public bool Expired => SinceRenewal >= Duration;
        public TimeSpan ExpiresIn => Duration - SinceRenewal;

        /// <summary>A holder on this machine whose process is gone (killed): no need to wait out its lease.</summary>
        public bool ProcessGoneOnThisHost
        {
            get
            {
                var parts = Identity?.Split('/') ?? [];
                if (parts.Length < 3 || !parts[0].EndsWith("@" + Environment.MachineName, StringComparison.Ordinal)
                    || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == Environment.ProcessId)
                    return false;
                try
                {
                    using var process = Process.GetProcessById(pid);
                    return process.HasExited;
                }
                catch (ArgumentException)
                {
                    return true; // no such process
                }
                catch (InvalidOperationException)
                {
                    return true;
                }
            }
        }

        public static LeaseState Of(JsonObject lease, DateTimeOffset now)
        {
            var spec = lease["spec"] as JsonObject;
            var identity = spec?["holderIdentity"]?.GetValue<string>();
            var seconds = spec?["leaseDurationSeconds"] is JsonValue d && d.TryGetValue<int>(out var s) ? s : 15;
            var renewed = Time(spec?["renewTime"]) ?? Time(spec?["acquireTime"]);
            var description = lease["metadata"]?["annotations"]?[HolderAnnotation]?.GetValue<string>() ?? identity ?? "another command";
            var transitions = spec?["leaseTransitions"] is JsonValue t && t.TryGetValue<int>(out var n) ? n : 0;
            return new LeaseState(identity, description, Time(spec?["acquireTime"]),
                renewed is { } r ? now - r : TimeSpan.MaxValue, TimeSpan.FromSeconds(seconds), transitions);
        }

        private static DateTimeOffset? Time(JsonNode? node) =>
            node is JsonValue v && v.TryGetValue<string>(out var text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
                ? t : null;
    }

    /// <summary>The caller's context with a token that also fires when the lease is lost.</summary>
    private sealed class LeasedOperationContext(IOperationContext inner, CancellationToken token) : IOperationContext
    {
        public CancellationToken CancellationToken => token;
        public bool ShouldProcess(string target, string action) => inner.ShouldProcess(target, action);
        public void WriteObject(object item) => inner.WriteObject(item);
        public void WriteError(Exception error, object? target = null) => inner.WriteError(error, target);
        public void WriteWarning(string message) => inner.WriteWarning(message);
        public void WriteVerbose(string message) => inner.WriteVerbose(message);
        public void WriteInformation(object data, string tag) => inner.WriteInformation(data, tag);
        public void WriteDebug(string message) => inner.WriteDebug(message);
        public void WriteProgress(OperationProgress progress) => inner.WriteProgress(progress);
    }
}
