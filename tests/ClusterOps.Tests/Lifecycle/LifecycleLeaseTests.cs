using System.Text.Json.Nodes;
using ClusterOps.Core.Common;
using ClusterOps.Core.Lifecycle;
using ClusterOps.Kubernetes.Errors;
using ClusterOps.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ClusterOps.Tests.Lifecycle;

/// <summary>
/// Two lifecycle commands on one cluster at once: without a lease, an Undeploy and a Start 0.3-1.4 s apart both
/// reported success and lost 6 workloads, 18 Secrets and 6 Services. With the lifecycle lease, one runs and the other
/// fails with ClusterBusy before it changes anything (or they run one after the other), and nothing is lost.
/// </summary>
public sealed class LifecycleLeaseTests : IAsyncLifetime
{
    private readonly TmlSandbox _sb = new();
    private readonly ITestOutputHelper _out;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private const int Trials = 20;

    public LifecycleLeaseTests(ITestOutputHelper output) => _out = output;

    public async Task InitializeAsync()
    {
        await _sb.InitializeAsync();
        // As in the report: every request takes a little longer, so the two commands overlap for real.
        _sb.Server.Faults.AddLatency(TimeSpan.FromMilliseconds(5));
    }

    public Task DisposeAsync() => _sb.DisposeAsync();

    private ClusterLifecycle Lifecycle(string command, bool wait = false) => new(_sb.Api, lease: new LeaseOptions(command, wait));

    private Func<Task> Op(string name) => name switch
    {
        "Undeploy" => () => Lifecycle("Stop-TmlCluster -Mode Undeploy").StopAsync(new StopRequest(TmlSandbox.Ns, Mode: StopMode.Undeploy, Timeout: Timeout), new RecordingOperationContext()),
        "ScaleToZero" => () => Lifecycle("Stop-TmlCluster").StopAsync(new StopRequest(TmlSandbox.Ns, Timeout: Timeout), new RecordingOperationContext()),
        "Start" => () => Lifecycle("Start-TmlCluster").StartAsync(new StartRequest(TmlSandbox.Ns, TimeoutPerComponent: Timeout), new RecordingOperationContext()),
        "Remove" => () => new ClusterRemoval(_sb.Api, lease: new LeaseOptions("Remove-TmlCluster")).RemoveAsync(new RemoveRequest(TmlSandbox.Ns), new RecordingOperationContext()),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    /// <summary>Every workload, Service and Secret of the cluster, running or kept in the restore record.</summary>
    private async Task<SortedSet<string>> DefinitionsAsync()
    {
        var profile = TmlProfile.Create();
        var snap = await ClusterSnapshot.ReadAsync(_sb.Api, profile, TmlSandbox.Ns, CancellationToken.None);
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var c in profile.Components)
        {
            if (snap.Workloads.ContainsKey(c.Workload.Name) || snap.Record?.Contains(c.Workload.Kind.ToString(), c.Workload.Name) == true)
                names.Add($"{c.Workload.Kind}/{c.Workload.Name}");
            foreach (var s in c.Services.Where(s => snap.Services.ContainsKey(s) || snap.Record?.Contains("Service", s) == true))
                names.Add("Service/" + s);
            foreach (var s in c.Secrets.Where(s => snap.Secrets.ContainsKey(s) || snap.Record?.Contains("Secret", s) == true))
                names.Add("Secret/" + s);
        }
        return names;
    }

    [Theory]
    [InlineData("Undeploy", "Start")]
    [InlineData("Undeploy", "Undeploy")]
    [InlineData("ScaleToZero", "Start")]
    public async Task Two_commands_at_once_lose_nothing(string first, string second)
    {
        var all = await DefinitionsAsync();
        var storage = _sb.StorageFingerprint();
        Assert.True(all.Count >= 30, $"only {all.Count} definitions: {string.Join(", ", all)}");
        var random = new Random(42);
        var busy = 0;
        var serialised = 0;
        for (var trial = 1; trial <= Trials; trial++)
        {
            var outcomes = await RaceAsync(Op(first), Op(second), random.Next(0, 40));
            busy += outcomes.Count(o => o == "ClusterBusy");
            serialised += outcomes.All(o => o == "ok") ? 1 : 0;
            Assert.True(outcomes.Count(o => o == "ok") >= 1 && outcomes.All(o => o is "ok" or "ClusterBusy"),
                $"trial {trial} ({first}/{second}): {string.Join(", ", outcomes)}");

            // Nothing lost: every definition still exists, running or in the restore record, and a start brings the
            // whole cluster back with the same claims and volumes.
            Assert.Equal(all, await DefinitionsAsync());
            await Op("Start")();
            Assert.Equal(ComponentState.Running, await _sb.StateAsync());
            Assert.Equal(all, await DefinitionsAsync());
            Assert.Equal(storage, _sb.StorageFingerprint());
            Assert.Null(_sb.Get("leases", LifecycleLease.NameFor(TmlProfile.Create())));
        }
        _out.WriteLine($"{first}/{second}: {Trials} trials, {busy} ClusterBusy, {serialised} serialised, 0 objects lost");
        Assert.True(busy > 0, "the two commands never overlapped: the race was not exercised");
    }

    [Fact]
    public async Task Start_and_Remove_at_once_leave_either_the_whole_cluster_or_none()
    {
        var all = await DefinitionsAsync();
        var random = new Random(7);
        for (var trial = 1; trial <= Trials; trial++)
        {
            await Op("ScaleToZero")();
            var outcomes = await RaceAsync(Op("Start"), Op("Remove"), random.Next(0, 40));
            Assert.True(outcomes.Count(o => o == "ok") >= 1 && outcomes.All(o => o is "ok" or "ClusterBusy"),
                $"trial {trial}: {string.Join(", ", outcomes)}");
            var left = await DefinitionsAsync();
            if (outcomes[1] == "ok")
            {
                // The removal ran (alone, or after the start): it removed what delete-tml-cluster.sh removes, all of it.
                Assert.Empty(left);
                _out.WriteLine($"trial {trial}: removed ({string.Join(", ", outcomes)})");
                return; // the cluster is gone on purpose: nothing further to race on
            }
            Assert.Equal(all, left);
            Assert.Equal(ComponentState.Running, await _sb.StateAsync());
        }
    }

    /// <summary>Run both, the second <paramref name="offsetMs"/> later; "ok" or the failure's error id for each.</summary>
    private static async Task<string[]> RaceAsync(Func<Task> a, Func<Task> b, int offsetMs)
    {
        async Task<string> Run(Func<Task> op, int delay)
        {
            if (delay > 0)
                await Task.Delay(delay);
            try
            {
                await op();
                return "ok";
            }
            catch (OperationException ex)
            {
                return ex.ErrorId;
            }
        }
        return await Task.WhenAll(Task.Run(() => Run(a, 0)), Task.Run(() => Run(b, offsetMs)));
    }

    [Fact]
    public async Task A_busy_cluster_names_its_holder_and_changes_nothing()
    {
        var profile = TmlProfile.Create();
        var ctx = new RecordingOperationContext();
        await using (var held = await LifecycleLease.AcquireAsync(_sb.Api, profile, TmlSandbox.Ns, new LeaseOptions("Stop-TmlCluster -Mode Undeploy"), TimeProvider.System, ctx))
        {
            var before = _sb.Server.ResourceVersion;
            var ex = await Assert.ThrowsAsync<OperationException>(() => Op("Start")());
            Assert.Equal("ClusterBusy", ex.ErrorId);
            Assert.Equal(FailureKind.ResourceBusy, ex.Kind);
            Assert.Contains("Stop-TmlCluster -Mode Undeploy by " + Environment.UserName, ex.Message);
            Assert.Contains($"(pid {Environment.ProcessId})", ex.Message);
            Assert.Contains("Nothing was changed", ex.Message);
            Assert.Contains("-Wait", ex.RecommendedAction);
            Assert.Equal(before, _sb.Server.ResourceVersion);
        }
        Assert.Null(_sb.Get("leases", LifecycleLease.NameFor(profile)));
    }

    [Fact]
    public async Task With_Wait_the_second_command_runs_after_the_first()
    {
        var stop = Op("ScaleToZero")();
        // Start waits for the stop to release the lease, then starts what the stop stopped.
        await Task.Delay(20);
        await Lifecycle("Start-TmlCluster", wait: true).StartAsync(new StartRequest(TmlSandbox.Ns, TimeoutPerComponent: Timeout), new RecordingOperationContext());
        await stop;
        Assert.Equal(ComponentState.Running, await _sb.StateAsync());
    }

    [Fact]
    public async Task A_lease_whose_holder_stopped_renewing_is_taken_over_after_it_expires()
    {
        var profile = TmlProfile.Create();
        var name = LifecycleLease.NameFor(profile);
        // A holder on another machine that was killed: its lease was renewed 20 s ago and lasts 15 s.
        var renewed = DateTime.UtcNow.AddSeconds(-20).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        _sb.Server.Create(new JsonObject
        {
            ["apiVersion"] = "coordination.k8s.io/v1",
            ["kind"] = "Lease",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = TmlSandbox.Ns,
                ["labels"] = new JsonObject { [LifecycleLease.LeaseLabel] = name },
                ["annotations"] = new JsonObject { [LifecycleLease.HolderAnnotation] = "Stop-TmlCluster -Mode Undeploy by ops on runner-7 (pid 4242)" },
            },
            ["spec"] = new JsonObject { ["holderIdentity"] = "ops@runner-7/4242/deadbeef", ["leaseDurationSeconds"] = 15, ["acquireTime"] = renewed, ["renewTime"] = renewed },
        });
        var ctx = new RecordingOperationContext();
        await Lifecycle("Stop-TmlCluster").StopAsync(new StopRequest(TmlSandbox.Ns, Timeout: Timeout), ctx);
        Assert.Contains(ctx.Warnings, w => w.Contains("Took over the lifecycle lease") && w.Contains("ops on runner-7 (pid 4242)") && w.Contains("stopped renewing"));
        Assert.Equal(ComponentState.Stopped, await _sb.StateAsync());
        Assert.Null(_sb.Get("leases", name));
    }

    [Fact]
    public async Task A_live_lease_of_another_machine_is_respected_until_it_expires()
    {
        var profile = TmlProfile.Create();
        var name = LifecycleLease.NameFor(profile);
        var now = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        _sb.Server.Create(new JsonObject
        {
            ["apiVersion"] = "coordination.k8s.io/v1",
            ["kind"] = "Lease",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = TmlSandbox.Ns, ["labels"] = new JsonObject { [LifecycleLease.LeaseLabel] = name } },
            ["spec"] = new JsonObject { ["holderIdentity"] = "ops@runner-7/4242/deadbeef", ["leaseDurationSeconds"] = 2, ["acquireTime"] = now, ["renewTime"] = now },
        });
        var busy = await Assert.ThrowsAsync<OperationException>(() => Op("ScaleToZero")());
        Assert.Equal("ClusterBusy", busy.ErrorId);
        Assert.Contains("ops@runner-7/4242/deadbeef", busy.Message);

        // -Wait outlasts the 2 s lease (its holder never renews) and then takes it over.
        var ctx = new RecordingOperationContext();
        await Lifecycle("Stop-TmlCluster", wait: true).StopAsync(new StopRequest(TmlSandbox.Ns, Timeout: Timeout), ctx);
        Assert.Contains(ctx.Warnings, w => w.Contains("Took over"));
        Assert.Equal(ComponentState.Stopped, await _sb.StateAsync());
    }

    [Fact]
    public async Task The_restore_record_is_deleted_only_at_the_version_the_start_read()
    {
        await Op("Undeploy")();
        var record = TmlProfile.Create().RestoreRecordName;
        // Another writer changes the record after a start read it: the start must keep it.
        var api = new RecordChangingApi(_sb.Api, () => _sb.Server.Patch("secrets", TmlSandbox.Ns, record,
            new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { ["changed-by"] = "another-run" } } }));
        var ex = await Assert.ThrowsAsync<OperationException>(() =>
            new ClusterLifecycle(api).StartAsync(new StartRequest(TmlSandbox.Ns, TimeoutPerComponent: Timeout), new RecordingOperationContext()));
        Assert.Equal("RestoreRecordChanged", ex.ErrorId);
        Assert.NotNull(_sb.Get("secrets", record));
    }

    /// <summary>Changes the restore record just before the start deletes it, as a concurrent writer would.</summary>
    private sealed class RecordChangingApi(IClusterApi inner, Action change) : IClusterApi
    {
        public Task<JsonObject?> TryGetAsync(ApiKind kind, string? ns, string name, CancellationToken ct) => inner.TryGetAsync(kind, ns, name, ct);
        public Task<ApiList> ListAsync(ApiKind kind, string? ns, string? labelSelector, CancellationToken ct) => inner.ListAsync(kind, ns, labelSelector, ct);
        public Task<JsonObject> CreateAsync(ApiKind kind, string ns, JsonObject obj, CancellationToken ct) => inner.CreateAsync(kind, ns, obj, ct);
        public Task<JsonObject> PatchAsync(ApiKind kind, string? ns, string name, JsonObject patch, CancellationToken ct) => inner.PatchAsync(kind, ns, name, patch, ct);
        public IAsyncEnumerable<ApiWatchEvent> WatchAsync(ApiKind kind, string ns, string? labelSelector, string? resourceVersion, CancellationToken ct) =>
            inner.WatchAsync(kind, ns, labelSelector, resourceVersion, ct);

        public Task<bool> DeleteAsync(ApiKind kind, string? ns, string name, CancellationToken ct, string? resourceVersion = null)
        {
            if (kind == ApiKind.Secret && name == TmlProfile.Create().RestoreRecordName)
                change();
            return inner.DeleteAsync(kind, ns, name, ct, resourceVersion);
        }
    }
}
