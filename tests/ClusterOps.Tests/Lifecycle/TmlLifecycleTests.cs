using System.Text.Json.Nodes;
using ClusterOps.Core.Common;
using ClusterOps.Core.Lifecycle;
using ClusterOps.Tests.Infrastructure;

namespace ClusterOps.Tests.Lifecycle;

/// <summary>Stop → check → start tours on the sandbox `tml` scenario, each on its own server.</summary>
public class TmlLifecycleTests : IAsyncLifetime
{
    private readonly TmlSandbox _sb = new();
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    /// <summary>A run first reads and then creates the cluster's lifecycle lease.</summary>
    private const int LeaseCalls = 2;

    public Task InitializeAsync() => _sb.InitializeAsync();
    public Task DisposeAsync() => _sb.DisposeAsync();

    private ClusterLifecycle Lifecycle => new(_sb.Api);

    private static List<LifecycleStepRecord> Steps(RecordingOperationContext ctx) => ctx.InformationOf<LifecycleStepRecord>().ToList();

    [Fact]
    public async Task Get_reports_each_component_in_start_order()
    {
        var rows = await Lifecycle.GetAsync(new ClusterRequest(TmlSandbox.Ns), new RecordingOperationContext());
        Assert.Equal(new[] { "NoSQL", "CM", "Log", "DB", "Cache", "TM" }, rows.Select(r => r.Component));
        Assert.All(rows, r => Assert.Equal(ComponentState.Running, r.State));
        Assert.All(rows, r => Assert.Equal(ComponentState.Running, r.ClusterState));
        var nosql = rows[0];
        Assert.Equal(("statefulset/cass-set-0", "1/1", "nosqlvol-cass-set-0-0", "1/1", "4/4"),
            (nosql.Workload, nosql.Replicas, nosql.Claims, nosql.ClaimsBound, nosql.SecretsPresent));
        Assert.Equal("0/0", rows.Single(r => r.Component == "TM").ClaimsBound);
    }

    [Fact]
    public async Task ScaleToZero_stop_check_start_round_trip()
    {
        var storage = _sb.StorageFingerprint();
        var stop = new RecordingOperationContext();
        await Lifecycle.StopAsync(new StopRequest(TmlSandbox.Ns, Timeout: Timeout), stop);

        var steps = Steps(stop);
        Assert.Empty(stop.Objects); // silent without -PassThru: the steps are information, not output (issue 12 §3)
        Assert.Equal(new[] { "CM", "TM", "Cache", "DB", "Log", "NoSQL" },
            steps.Where(s => s.Action == "ScaleToZero").Select(s => s.Component));
        Assert.All(steps, s => Assert.Equal(StepResult.Done, s.Result));
        Assert.Equal(6, steps.Count(s => s.Action == "WaitForPodsGone"));
        var check = steps.Last();
        Assert.Equal("CheckClaims", check.Action);
        Assert.Contains("4 claim(s) Bound", check.Message);
        Assert.Equal("1", _sb.Get("statefulsets", "cass-set-0")!["metadata"]!["annotations"]![LifecycleAnnotations.StoppedReplicas]!.GetValue<string>());
        Assert.Equal(0, _sb.Get("deployments", "tm-deploy-0")!["spec"]!["replicas"]!.GetValue<int>());
        Assert.Empty(_sb.Server.List("pods", TmlSandbox.Ns));
        Assert.NotNull(_sb.Get("secrets", "cm-property"));
        Assert.NotEmpty(stop.Progress);
        Assert.Contains(stop.Progress, p => p.Completed);
        Assert.Equal(storage, _sb.StorageFingerprint());
        Assert.Equal(ComponentState.Stopped, await _sb.StateAsync());

        // Again: nothing changes, and it says so.
        var again = new RecordingOperationContext();
        await Lifecycle.StopAsync(new StopRequest(TmlSandbox.Ns, Timeout: Timeout, PassThru: true), again);
        // -PassThru: one object type, the cluster acted on, one row per component, after the stop.
        var stoppedRows = again.Objects.ToList();
        Assert.Equal(6, stoppedRows.Count);
        Assert.All(stoppedRows, o => Assert.Equal(ComponentState.Stopped, Assert.IsType<ClusterComponentInfo>(o).ClusterState));
        Assert.DoesNotContain(Steps(again), s => s.Result == StepResult.Done && s.Action != "CheckClaims");
        Assert.Contains(Steps(again), s => s.Result == StepResult.Skipped && s.Message.StartsWith("already stopped"));
        Assert.Contains(again.Verbose, v => v.Contains("already stopped"));

        var start = new RecordingOperationContext();
        await Lifecycle.StartAsync(new StartRequest(TmlSandbox.Ns, TimeoutPerComponent: Timeout), start);
        Assert.Empty(start.Objects);
        Assert.Equal(new[] { "NoSQL", "CM", "Log", "DB", "Cache", "TM" },
            Steps(start).Where(s => s.Action == "ScaleUp").Select(s => s.Component));
        Assert.Equal(6, Steps(start).Count(s => s.Action == "WaitForReady" && s.Result == StepResult.Done));
        Assert.Null(_sb.Get("statefulsets", "cass-set-0")!["metadata"]!["annotations"]?[LifecycleAnnotations.StoppedReplicas]);
        Assert.Equal(ComponentState.Running, await _sb.StateAsync());
        Assert.Equal(storage, _sb.StorageFingerprint());

        var startAgain = new RecordingOperationContext();
        await Lifecycle.StartAsync(new StartRequest(TmlSandbox.Ns, TimeoutPerComponent: Timeout), startAgain);
        Assert.All(Steps(startAgain), s => Assert.Equal(StepResult.Skipped, s.Result));
        Assert.Contains(startAgain.Verbose, v => v.Contains("already running"));
    }

    [Fact]
    public async Task Undeploy_stop_keeps_a_verified_record_and_start_recreates_everything()
    {
        var storage = _sb.StorageFingerprint();
        var sqlData = _sb.Get("secrets", "sql-property")!["data"]!.ToJsonString();
        var tmType = _sb.Get("services", "tm-svc")!["spec"]!["type"]!.GetValue<string>();
        var secretValues = _sb.Server.List("secrets", TmlSandbox.Ns)
            .SelectMany(x => (x["data"] as JsonObject ?? new JsonObject()).Select(kv => kv.Value!.GetValue<string>()))
            .SelectMany(b64 => new[] { b64, System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(b64)) })
            .Where(v => v.Length >= 8)
            .ToList();
        Assert.NotEmpty(secretValues);
        var stop = new RecordingOperationContext();
        await Lifecycle.StopAsync(new StopRequest(TmlSandbox.Ns, Mode: StopMode.Undeploy, Timeout: Timeout), stop);

        var steps = Steps(stop);
        Assert.Equal("SaveRestoreRecord", steps[0].Action);
        Assert.Equal("DeleteSecret", steps[1].Action);
        var record = _sb.Get("secrets", "clusterops-tml-restore")!;
        Assert.Equal(RestoreRecord.SecretType, record["type"]!.GetValue<string>());
        Assert.NotNull(record["metadata"]!["annotations"]![RestoreRecord.ChecksumAnnotation]);
        foreach (var gone in new[] { ("statefulsets", "cass-set-0"), ("deployments", "tm-deploy-0"), ("services", "tm-svc"), ("secrets", "sql-property"), ("secrets", "cm-resource") })
            Assert.Null(_sb.Get(gone.Item1, gone.Item2));
        foreach (var kept in new[] { "cluster-property", "zones-property", "papi-property" })
            Assert.NotNull(_sb.Get("secrets", kept));
        Assert.Equal(storage, _sb.StorageFingerprint());
        Assert.Equal(ComponentState.Stopped, await _sb.StateAsync());
        // The record carries Secret data; none of it may reach any stream or step record.
        AssertNoSecretLeaks(secretValues, stop);

        var start = new RecordingOperationContext();
        await Lifecycle.StartAsync(new StartRequest(TmlSandbox.Ns, TimeoutPerComponent: Timeout), start);
        AssertNoSecretLeaks(secretValues, start);
        var order = Steps(start).Where(s => s.Action == "CreateWorkload").Select(s => s.Component).ToList();
        Assert.Equal(new[] { "NoSQL", "CM", "Log", "DB", "Cache", "TM" }, order);
        Assert.DoesNotContain(Steps(start), s => s.Result == StepResult.Failed);
        Assert.Equal(sqlData, _sb.Get("secrets", "sql-property")!["data"]!.ToJsonString());
        Assert.Equal(tmType, _sb.Get("services", "tm-svc")!["spec"]!["type"]!.GetValue<string>());
        Assert.Null(_sb.Get("secrets", "clusterops-tml-restore"));
        Assert.Equal(ComponentState.Running, await _sb.StateAsync());
        Assert.Equal(storage, _sb.StorageFingerprint());
    }

    [Fact]
    public async Task A_stuck_pod_fails_the_start_at_its_component_and_a_rerun_finishes()
    {
        await Lifecycle.StopAsync(new StopRequest(TmlSandbox.Ns, Timeout: Timeout), new RecordingOperationContext());
        _sb.Server.Patch("statefulsets", TmlSandbox.Ns, "mysql-set-0", JsonNode.Parse(
            """{"spec":{"template":{"metadata":{"annotations":{"sandbox.clusterops.io/fail":"CrashLoopBackOff"}}}}}""")!.AsObject());

        var ctx = new RecordingOperationContext();
        var ex = await Assert.ThrowsAsync<OperationException>(() =>
            Lifecycle.StartAsync(new StartRequest(TmlSandbox.Ns, TimeoutPerComponent: Timeout), ctx));
        Assert.Equal("ComponentPodStuck", ex.ErrorId);
        Assert.Contains("mysql-set-0-0", ex.Message);
        Assert.Contains("CrashLoopBackOff", ex.Message);
        Assert.Contains("Not started: Cache, TM", ex.Message);
        Assert.Equal(StepResult.Failed, Steps(ctx).Last().Result);
        Assert.Equal(0, _sb.Get("statefulsets", "cache-set-0")!["spec"]!["replicas"]!.GetValue<int>());
        Assert.NotNull(_sb.Get("statefulsets", "cache-set-0")!["metadata"]!["annotations"]![LifecycleAnnotations.StoppedReplicas]);

        _sb.Server.Patch("statefulsets", TmlSandbox.Ns, "mysql-set-0", JsonNode.Parse(
            """{"spec":{"template":{"metadata":{"annotations":{"sandbox.clusterops.io/fail":null}}}}}""")!.AsObject());
        foreach (var pod in _sb.Server.List("pods", TmlSandbox.Ns).Where(p => p["metadata"]!["name"]!.GetValue<string>().StartsWith("mysql-set-0")))
            _sb.Server.Delete("pods", TmlSandbox.Ns, pod["metadata"]!["name"]!.GetValue<string>());
        await Lifecycle.StartAsync(new StartRequest(TmlSandbox.Ns, TimeoutPerComponent: Timeout), new RecordingOperationContext());
        Assert.Equal(ComponentState.Running, await _sb.StateAsync());
    }

    [Fact]
    public async Task WhatIf_changes_nothing_and_lists_every_change()
    {
        var ctx = RecordingOperationContext.WhatIf();
        await Lifecycle.StopAsync(new StopRequest(TmlSandbox.Ns, Mode: StopMode.Undeploy, Timeout: Timeout), ctx);
        Assert.Contains(ctx.ShouldProcessCalls, c => c.Target == "secret/cm-property in namespace 'tml'" && c.Action == "Delete");
        Assert.Contains(ctx.ShouldProcessCalls, c => c.Target == "service/tm-svc in namespace 'tml'");
        Assert.Null(_sb.Get("secrets", "clusterops-tml-restore"));
        Assert.NotNull(_sb.Get("statefulsets", "cass-set-0"));
        Assert.DoesNotContain(Steps(ctx), s => s.Result == StepResult.Done && s.Action != "CheckClaims");
        Assert.Equal(ComponentState.Running, await _sb.StateAsync());
    }

    [Fact]
    public async Task Start_refuses_unbound_claims_unless_forced()
    {
        await Lifecycle.StopAsync(new StopRequest(TmlSandbox.Ns, Timeout: Timeout), new RecordingOperationContext());
        _sb.Server.Patch("persistentvolumeclaims", TmlSandbox.Ns, "sqlvol-mysql-set-0-0", JsonNode.Parse("""{"status":{"phase":"Lost"}}""")!.AsObject(), status: true);
        var ctx = new RecordingOperationContext();
        var ex = await Assert.ThrowsAsync<OperationException>(() => Lifecycle.StartAsync(new StartRequest(TmlSandbox.Ns, TimeoutPerComponent: Timeout), ctx));
        Assert.Equal("ClaimsNotBound", ex.ErrorId);
        Assert.Contains("sqlvol-mysql-set-0-0 (Lost)", ex.Message);
        Assert.Empty(Steps(ctx));
        Assert.Equal(ComponentState.Stopped, await _sb.StateAsync());
    }

    [Fact]
    public async Task Bad_input_is_reported_before_any_change()
    {
        var unknown = await Assert.ThrowsAsync<OperationException>(() => Lifecycle.StopAsync(new StopRequest("nope"), new RecordingOperationContext()));
        Assert.Equal("NamespaceNotFound", unknown.ErrorId);
        var zones = await Assert.ThrowsAsync<OperationException>(() => Lifecycle.StopAsync(new StopRequest(TmlSandbox.Ns, Zones: 0), new RecordingOperationContext()));
        Assert.Equal("InvalidZoneCount", zones.ErrorId);
        var empty = await Assert.ThrowsAsync<OperationException>(() => Lifecycle.GetAsync(new ClusterRequest("default"), new RecordingOperationContext()));
        Assert.Equal("ClusterNotFound", empty.ErrorId);
        Assert.Contains("No Mashery Local cluster found in namespace 'default'", empty.Message);

        _sb.Server.Delete("statefulsets", TmlSandbox.Ns, "mysql-set-0");
        _sb.Server.Delete("services", TmlSandbox.Ns, "mysql-svc-0");
        var partial = await Assert.ThrowsAsync<OperationException>(() => Lifecycle.StopAsync(new StopRequest(TmlSandbox.Ns, Mode: StopMode.Undeploy), new RecordingOperationContext()));
        Assert.Equal("ClusterIncomplete", partial.ErrorId);
        Assert.Contains("statefulset/mysql-set-0, service/mysql-svc-0", partial.Message);
        Assert.NotNull(_sb.Get("statefulsets", "cass-set-0"));
        Assert.Null(_sb.Get("secrets", "clusterops-tml-restore"));
    }

    [Fact]
    public async Task A_record_that_cannot_be_written_means_nothing_is_deleted()
    {
        // Fail exactly the record's create, the first call after the lease and the reads.
        const int reads = LeaseCalls + 7; // namespace, statefulsets, deployments, services, secrets, pods, claims
        var api = new FaultingClusterApi(_sb.Api, failAt: reads + 1);
        var ex = await Assert.ThrowsAsync<OperationException>(() =>
            new ClusterLifecycle(api).StopAsync(new StopRequest(TmlSandbox.Ns, Mode: StopMode.Undeploy, Timeout: Timeout), new RecordingOperationContext()));
        Assert.StartsWith("CREATE Secret/clusterops-tml-restore", api.Log[reads]);
        Assert.Equal("RestoreRecordNotSaved", ex.ErrorId);
        Assert.Contains("nothing was deleted", ex.Message);
        // Nothing but the run's own lease (released at its end) was deleted.
        Assert.DoesNotContain(api.Log, l => l.StartsWith("DELETE") && !l.StartsWith("DELETE Lease/"));
        Assert.NotNull(_sb.Get("secrets", "cm-property"));
        Assert.Equal(ComponentState.Running, await _sb.StateAsync());
    }

    [Fact]
    public async Task An_interrupted_undeploy_resumes_from_its_record()
    {
        var sqlData = _sb.Get("secrets", "sql-property")!["data"]!.ToJsonString();
        var cmData = _sb.Get("secrets", "cm-property")!["data"]!.ToJsonString();
        // Calls: the lease, 7 reads, record create, record read-back, then the deletes; fail the 3rd delete.
        var api = new FaultingClusterApi(_sb.Api, failAt: LeaseCalls + 7 + 2 + 3);
        await Assert.ThrowsAnyAsync<Exception>(() =>
            new ClusterLifecycle(api).StopAsync(new StopRequest(TmlSandbox.Ns, Mode: StopMode.Undeploy, Timeout: Timeout), new RecordingOperationContext()));
        Assert.Null(_sb.Get("secrets", "cm-property"));
        Assert.NotNull(_sb.Get("secrets", "clusterops-tml-restore"));

        var resume = new RecordingOperationContext();
        await Lifecycle.StopAsync(new StopRequest(TmlSandbox.Ns, Mode: StopMode.Undeploy, Timeout: Timeout), resume);
        Assert.Equal(ComponentState.Stopped, await _sb.StateAsync());
        await Lifecycle.StartAsync(new StartRequest(TmlSandbox.Ns, TimeoutPerComponent: Timeout), new RecordingOperationContext());
        Assert.Equal(cmData, _sb.Get("secrets", "cm-property")!["data"]!.ToJsonString());
        Assert.Equal(sqlData, _sb.Get("secrets", "sql-property")!["data"]!.ToJsonString());
        Assert.Equal(ComponentState.Running, await _sb.StateAsync());
    }

    [Fact]
    public async Task Remove_lists_every_deletion_under_WhatIf_then_deletes_the_cluster_and_its_claims()
    {
        var whatIf = RecordingOperationContext.WhatIf();
        await new ClusterRemoval(_sb.Api).RemoveAsync(new RemoveRequest(TmlSandbox.Ns), whatIf);
        Assert.Contains(whatIf.ShouldProcessCalls, c => c.Target == "persistentvolumeclaim/nosqlvol-cass-set-0-0 in namespace 'tml'"
            && c.Action.Contains("cass-1-local-pv-node-1 is kept (reclaim policy Retain)"));
        Assert.Contains(whatIf.ShouldProcessCalls, c => c.Target.StartsWith("storageclass/nosql-storage-class"));
        Assert.Contains(whatIf.ShouldProcessCalls, c => c.Target.StartsWith("secret/cluster-property"));
        Assert.Contains(whatIf.Warnings, w => w.Contains("retained") && w.Contains("cass-1-local-pv-node-1"));
        Assert.Equal(ComponentState.Running, await _sb.StateAsync());
        Assert.Equal(4, _sb.Server.List("persistentvolumeclaims", TmlSandbox.Ns).Count);

        var ctx = new RecordingOperationContext();
        await new ClusterRemoval(_sb.Api).RemoveAsync(new RemoveRequest(TmlSandbox.Ns), ctx);
        Assert.DoesNotContain(Steps(ctx), s => s.Result == StepResult.Failed);
        Assert.Empty(_sb.Server.List("statefulsets", TmlSandbox.Ns));
        Assert.Empty(_sb.Server.List("services", TmlSandbox.Ns));
        Assert.Null(_sb.Get("secrets", "cluster-property"));
        Assert.NotNull(_sb.Get("secrets", "tmgc-registry-key")); // the pull secret stays, as with the script
        Assert.Null(_sb.Server.Get("storageclasses", null, "nosql-storage-class"));
        Assert.Empty(_sb.Server.List("persistentvolumeclaims", TmlSandbox.Ns));
        Assert.NotNull(_sb.Server.Get("persistentvolumes", null, "cass-1-local-pv-node-1")); // Retain: the data survives
        var gone = await Assert.ThrowsAsync<OperationException>(() => Lifecycle.GetAsync(new ClusterRequest(TmlSandbox.Ns), new RecordingOperationContext()));
        Assert.Equal("ClusterNotFound", gone.ErrorId);
    }

    [Fact]
    public async Task A_record_of_another_zone_count_is_never_partly_restored()
    {
        await Lifecycle.StopAsync(new StopRequest(TmlSandbox.Ns, Mode: StopMode.Undeploy, Timeout: Timeout), new RecordingOperationContext());
        var ex = await Assert.ThrowsAsync<OperationException>(() =>
            Lifecycle.StartAsync(new StartRequest(TmlSandbox.Ns, Zones: 2, TimeoutPerComponent: Timeout), new RecordingOperationContext()));
        Assert.Equal("RestoreRecordMismatch", ex.ErrorId);
        Assert.Contains("-Zones 1", ex.RecommendedAction);
        Assert.NotNull(_sb.Get("secrets", "clusterops-tml-restore"));
        Assert.Null(_sb.Get("statefulsets", "cass-set-0"));
    }

    [Theory]
    [InlineData(StopMode.ScaleToZero, "whenScaled")]
    [InlineData(StopMode.Undeploy, "whenDeleted")]
    public async Task A_retention_policy_that_would_delete_claims_stops_the_stop_before_any_change(StopMode mode, string field)
    {
        _sb.Server.Patch("statefulsets", TmlSandbox.Ns, "mysql-set-0", new JsonObject
        {
            ["spec"] = new JsonObject { ["persistentVolumeClaimRetentionPolicy"] = new JsonObject { [field] = "Delete" } },
        });
        var ctx = new RecordingOperationContext();
        var ex = await Assert.ThrowsAsync<OperationException>(() =>
            Lifecycle.StopAsync(new StopRequest(TmlSandbox.Ns, Mode: mode, Timeout: Timeout), ctx));
        Assert.Equal("ClaimRetentionWouldDeleteData", ex.ErrorId);
        Assert.Contains("statefulset/mysql-set-0", ex.Message);
        Assert.Contains(field, ex.Message);
        Assert.Empty(Steps(ctx));
        Assert.Equal(ComponentState.Running, await _sb.StateAsync());
    }

    private static void AssertNoSecretLeaks(IReadOnlyList<string> values, RecordingOperationContext ctx)
    {
        var text = ctx.AllText + "\n" + string.Join("\n", ctx.Information.Select(i => i.Data).Concat(ctx.Objects).Select(o => o is LifecycleStepRecord r ? $"{r.Object} {r.Message}" : o.ToString()))
            + "\n" + string.Join("\n", ctx.ShouldProcessCalls.Select(c => $"{c.Target} {c.Action}"));
        foreach (var v in values)
            Assert.DoesNotContain(v, text);
    }

    [Fact]
    public async Task The_scenario_claims_read_as_the_seed_shows_them()
    {
        // The seed's "Persistent Volumes Check": NAME STATUS VOLUME CAPACITY ACCESSMODES STORAGECLASS.
        var claims = new List<global::ClusterOps.Core.Storage.PersistentVolumeClaimInfo>();
        await foreach (var c in new global::ClusterOps.Core.Storage.StorageQueries(_sb.Client).ListClaimsAsync(new global::ClusterOps.Core.Storage.ClaimQuery(TmlSandbox.Ns), new RecordingOperationContext()))
            claims.Add(c);
        Assert.Equal(
            new[]
            {
                "cachevol-cache-set-0-0 Bound cache-1-local-pv-node-1 2Gi RWO cache-storage-class",
                "logvol-log-set-0-0 Bound log-1-local-pv-node-1 2Gi RWO log-storage-class",
                "nosqlvol-cass-set-0-0 Bound cass-1-local-pv-node-1 2Gi RWO nosql-storage-class",
                "sqlvol-mysql-set-0-0 Bound db-1-local-pv-node-1 2Gi RWO sql-storage-class",
            },
            claims.Select(c => $"{c.Name} {c.Status} {c.Volume} {(global::ClusterOps.Core.Common.KubeSize.Format(c.Capacity))} {c.AccessModes} {c.StorageClass}").OrderBy(x => x));
    }

    [Fact]
    public async Task A_cluster_stopped_by_the_script_is_recognised_not_reported_absent()
    {
        // What stop-tml-cluster.sh leaves: claims, storage classes and cluster secrets, no definitions, no record.
        foreach (var c in TmlProfile.Create().InStopOrder())
        {
            foreach (var s in c.Secrets)
                _sb.Server.Delete("secrets", TmlSandbox.Ns, s);
            _sb.Server.Delete(c.Workload.Kind == WorkloadKind.StatefulSet ? "statefulsets" : "deployments", TmlSandbox.Ns, c.Workload.Name);
        }
        foreach (var s in TmlProfile.Create().ServicesInStopOrder())
            _sb.Server.Delete("services", TmlSandbox.Ns, s);
        foreach (var pod in _sb.Server.List("pods", TmlSandbox.Ns))
            _sb.Server.Delete("pods", TmlSandbox.Ns, pod["metadata"]!["name"]!.GetValue<string>());

        var rows = await Lifecycle.GetAsync(new ClusterRequest(TmlSandbox.Ns), new RecordingOperationContext());
        Assert.All(rows, r => Assert.Equal(ComponentState.Missing, r.State));
        Assert.Equal("1/1", rows[0].ClaimsBound);
        var ex = await Assert.ThrowsAsync<OperationException>(() =>
            Lifecycle.StartAsync(new StartRequest(TmlSandbox.Ns, TimeoutPerComponent: Timeout), new RecordingOperationContext()));
        Assert.Equal("ClusterDefinitionsMissing", ex.ErrorId);
        Assert.Contains("persistentvolumeclaim/nosqlvol-cass-set-0-0", ex.Message);
        Assert.Contains("secret/cluster-property", ex.Message);
        Assert.Contains("start-tml-cluster.sh", ex.RecommendedAction);
    }
}
