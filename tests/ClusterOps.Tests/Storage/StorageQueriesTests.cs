using System.Text.Json.Nodes;
using ClusterOps.Core.Common;
using ClusterOps.Core.Storage;
using ClusterOps.Kubernetes.Errors;
using ClusterOps.Kubernetes.Http;
using ClusterOps.Tests.Infrastructure;

namespace ClusterOps.Tests.Storage;

public class StorageQueriesTests : IAsyncLifetime
{
    private readonly StorageSandbox _sb = new();

    public async Task InitializeAsync()
    {
        await _sb.InitializeAsync();
        _sb.Claim("tml", "nosqlvol-cass-set-0-0", "Bound", "cass-1-local-pv-node-1");
        _sb.Claim("tml", "sqlvol-mysql-set-0-0", "Bound", "db-1-local-pv-node-1", app: "mysql-svc", modes: new[] { "ReadWriteMany", "ReadWriteOnce" }, storageClass: "sql-storage-class");
        _sb.Claim("tml", "logvol-log-set-0-0", "Pending", app: "log-svc", storageClass: "log-storage-class");
        _sb.Claim("shop", "data-0", "Bound", "pv-shop", app: "shop");
        _sb.Volume("cass-1-local-pv-node-1", "tml", "nosqlvol-cass-set-0-0", policy: "Delete");
        _sb.Volume("db-1-local-pv-node-1", "tml", "sqlvol-mysql-set-0-0");
        _sb.Volume("spare", null, null, phase: "Available", app: "spare");
    }

    public Task DisposeAsync() => _sb.DisposeAsync();

    private async Task<List<T>> Collect<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var i in items)
            list.Add(i);
        return list;
    }

    [Fact]
    public async Task Lists_claims_of_a_namespace_with_kubectl_cells()
    {
        var ctx = new RecordingOperationContext();
        var claims = await Collect(new StorageQueries(_sb.Client).ListClaimsAsync(new ClaimQuery("tml"), ctx));
        Assert.Equal(new[] { "logvol-log-set-0-0", "nosqlvol-cass-set-0-0", "sqlvol-mysql-set-0-0" }, claims.Select(c => c.Name).OrderBy(n => n));
        var sql = claims.Single(c => c.Name == "sqlvol-mysql-set-0-0");
        Assert.Equal(("Bound", "db-1-local-pv-node-1", (long?)(2L << 30), "RWO,RWX", "sql-storage-class", "tml"), (sql.Status, sql.Volume, sql.Capacity, sql.AccessModes, sql.StorageClass, sql.Namespace));
        Assert.Equal(1L << 30, sql.Requested); // sizes are bytes: they sort and compare as numbers
        Assert.Equal("Filesystem", sql.VolumeMode);
        Assert.NotNull(sql.Created);
        Assert.NotNull(sql.Object);
        var pending = claims.Single(c => c.Status == "Pending");
        Assert.Equal(("", (long?)null, ""), (pending.Volume, pending.Capacity, pending.AccessModes)); // nothing until bound, as kubectl
        Assert.Empty(ctx.Errors);
    }

    [Fact]
    public async Task Filters_by_selector_wildcard_and_status_across_namespaces()
    {
        var q = new StorageQueries(_sb.Client);
        var ctx = new RecordingOperationContext();
        Assert.Equal(new[] { "data-0" }, (await Collect(q.ListClaimsAsync(new ClaimQuery(null, Selector: "app=shop"), ctx))).Select(c => c.Name));
        Assert.Equal(new[] { "nosqlvol-cass-set-0-0", "sqlvol-mysql-set-0-0" },
            (await Collect(q.ListClaimsAsync(new ClaimQuery("tml", Names: new[] { "*sql*" }), ctx))).Select(c => c.Name).OrderBy(n => n));
        Assert.Empty(await Collect(q.ListClaimsAsync(new ClaimQuery("tml", Names: new[] { "*SQL*" }), ctx))); // names are case-sensitive
        Assert.Equal(new[] { "logvol-log-set-0-0" }, (await Collect(q.ListClaimsAsync(new ClaimQuery(null, Status: "pending"), ctx))).Select(c => c.Name));
        Assert.Equal(new[] { "shop", "tml", "tml", "tml" }, (await Collect(q.ListClaimsAsync(new ClaimQuery(null), ctx))).Select(c => c.Namespace).OrderBy(n => n));
        Assert.Empty(ctx.Errors);
    }

    [Fact]
    public async Task Missing_literal_name_is_a_non_terminating_not_found()
    {
        var ctx = new RecordingOperationContext();
        var claims = await Collect(new StorageQueries(_sb.Client).ListClaimsAsync(new ClaimQuery("tml", Names: new[] { "nope", "logvol-log-set-0-0" }), ctx));
        Assert.Equal(new[] { "logvol-log-set-0-0" }, claims.Select(c => c.Name));
        var error = Assert.IsType<OperationException>(Assert.Single(ctx.Errors).Error);
        Assert.Equal("PersistentVolumeClaimNotFound", error.ErrorId);
        Assert.Contains("'nope'", error.Message);
    }

    [Fact]
    public async Task Missing_literal_among_wildcards_is_reported_after_the_list()
    {
        // A wildcard makes it a list; only the literal names are tracked, and only the missing one is reported.
        var ctx = new RecordingOperationContext();
        var claims = await Collect(new StorageQueries(_sb.Client).ListClaimsAsync(
            new ClaimQuery("tml", Names: new[] { "*sql*", "nope", "logvol-log-set-0-0" }), ctx));
        Assert.Equal(new[] { "logvol-log-set-0-0", "nosqlvol-cass-set-0-0", "sqlvol-mysql-set-0-0" }, claims.Select(c => c.Name).OrderBy(n => n));
        var error = Assert.IsType<OperationException>(Assert.Single(ctx.Errors).Error);
        Assert.Equal("PersistentVolumeClaimNotFound", error.ErrorId);
        Assert.Contains("'nope'", error.Message);
    }

    [Fact]
    public async Task Bad_selector_and_status_fail_before_any_request()
    {
        var q = new StorageQueries(_sb.Client);
        var ex = await Assert.ThrowsAsync<OperationException>(() => Collect(q.ListClaimsAsync(new ClaimQuery("tml", Selector: "app in (x"), new RecordingOperationContext())));
        Assert.Equal("InvalidLabelSelector", ex.ErrorId);
        var ex2 = await Assert.ThrowsAsync<OperationException>(() => Collect(q.ListClaimsAsync(new ClaimQuery("tml", Status: "Available"), new RecordingOperationContext())));
        Assert.Equal("InvalidClaimStatus", ex2.ErrorId);
    }

    [Fact]
    public async Task Results_stream_page_by_page()
    {
        for (var i = 0; i < 600; i++)
            _sb.Claim("shop", $"bulk-{i:D4}", "Pending", app: "bulk");
        // The fault is armed when the first claim arrives, so only a request made after that fails: the second
        // page. A lister that buffered every page before yielding would never meet it.
        var got = new List<string>();
        var ex = await Assert.ThrowsAsync<KubeApiException>(async () =>
        {
            await foreach (var c in new StorageQueries(_sb.Client).ListClaimsAsync(new ClaimQuery("shop", Selector: "app=bulk"), new RecordingOperationContext()))
            {
                if (got.Count == 0)
                    _sb.Server.Faults.FailNext(1, "GET", "/api/v1/namespaces/shop/persistentvolumeclaims", 400);
                got.Add(c.Name);
            }
        });
        Assert.Equal(400, ex.Code);
        Assert.Equal(500, got.Count);
    }

    [Fact]
    public async Task Lists_volumes_with_kubectl_cells()
    {
        var ctx = new RecordingOperationContext();
        var q = new StorageQueries(_sb.Client);
        var pvs = await Collect(q.ListVolumesAsync(new VolumeQuery(), ctx));
        Assert.Equal(3, pvs.Count);
        var cass = pvs.Single(p => p.Name == "cass-1-local-pv-node-1");
        Assert.Equal(((long?)(2L << 30), "RWO,RWX", "Delete", "Bound", "tml/nosqlvol-cass-set-0-0", "nosql-storage-class"),
            (cass.Capacity, cass.AccessModes, cass.ReclaimPolicy, cass.Status, cass.Claim, cass.StorageClass));
        Assert.Equal("", pvs.Single(p => p.Name == "spare").Claim);
        Assert.Equal(new[] { "spare" }, (await Collect(q.ListVolumesAsync(new VolumeQuery(Selector: "app=spare"), ctx))).Select(p => p.Name));
        Assert.Equal(new[] { "db-1-local-pv-node-1" }, (await Collect(q.ListVolumesAsync(new VolumeQuery(Names: new[] { "db-*" }), ctx))).Select(p => p.Name));
        await Collect(q.ListVolumesAsync(new VolumeQuery(Names: new[] { "gone" }), ctx));
        Assert.Equal("PersistentVolumeNotFound", Assert.IsType<OperationException>(Assert.Single(ctx.Errors).Error).ErrorId);
    }

    [Fact]
    public async Task Wait_emits_each_claim_when_it_binds_via_the_watch()
    {
        var ctx = new RecordingOperationContext();
        var waiter = new ClaimWaiter(_sb.Client);
        var results = new List<PersistentVolumeClaimInfo>();
        var wait = Task.Run(async () =>
        {
            await foreach (var c in waiter.WaitAsync(new ClaimWaitRequest("tml", new[] { "logvol-log-set-0-0", "nosqlvol-cass-set-0-0", "missing" }, "Bound", TimeSpan.FromSeconds(20)), ctx))
                lock (results) results.Add(c);
        });
        // The bound claim is emitted at once; the pending one only after it binds.
        await WaitUntil(() => { lock (results) return results.Count == 1; });
        Assert.Equal("nosqlvol-cass-set-0-0", results[0].Name);
        _sb.Server.Patch("persistentvolumeclaims", "tml", "logvol-log-set-0-0", JsonNode.Parse("""{"spec":{"volumeName":"log-pv"}}""")!.AsObject());
        _sb.Server.Patch("persistentvolumeclaims", "tml", "logvol-log-set-0-0",
            JsonNode.Parse("""{"status":{"phase":"Bound","capacity":{"storage":"2Gi"},"accessModes":["ReadWriteOnce"]}}""")!.AsObject(), status: true);
        await wait.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(new[] { "nosqlvol-cass-set-0-0", "logvol-log-set-0-0" }, results.Select(r => r.Name));
        Assert.Equal(("Bound", "log-pv", (long?)(2L << 30)), (results[1].Status, results[1].Volume, results[1].Capacity));
        Assert.Equal("PersistentVolumeClaimNotFound", Assert.IsType<OperationException>(Assert.Single(ctx.Errors).Error).ErrorId);
        Assert.NotEmpty(ctx.Progress);
    }

    [Fact]
    public async Task Wait_timeout_is_one_non_terminating_error_per_claim_still_pending_after_the_ready_ones()
    {
        var ctx = new RecordingOperationContext();
        var waiter = new ClaimWaiter(_sb.Client);
        var ready = await Collect(waiter.WaitAsync(new ClaimWaitRequest("tml", new[] { "logvol-log-set-0-0", "nosqlvol-cass-set-0-0" }, "Bound",
            TimeSpan.FromMilliseconds(700)), ctx));

        Assert.Equal("nosqlvol-cass-set-0-0", Assert.Single(ready).Name);
        var (error, _) = Assert.Single(ctx.Errors);
        var ex = Assert.IsType<OperationException>(error);
        Assert.Equal("ClaimWaitTimeout", ex.ErrorId);
        Assert.Equal(FailureKind.OperationTimeout, ex.Kind);
        Assert.Equal("logvol-log-set-0-0", ex.Target); // the claim itself, never a list of names
        Assert.Contains("still Pending", ex.Message);
        Assert.Contains("-TimeoutSec (1 s)", ex.Message);
    }

    [Fact]
    public async Task Wait_timeout_also_bounds_a_slow_first_list()
    {
        _sb.Server.Faults.AddLatency(TimeSpan.FromSeconds(3), "/api/v1/namespaces/tml/persistentvolumeclaims");
        var ctx = new RecordingOperationContext();
        var started = DateTime.UtcNow;
        var ready = await Collect(new ClaimWaiter(_sb.Client).WaitAsync(
            new ClaimWaitRequest("tml", new[] { "logvol-log-set-0-0" }, "Bound", TimeSpan.FromMilliseconds(300)), ctx));

        Assert.Empty(ready);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(2.5), "the timeout did not bound the first list");
        var ex = Assert.IsType<OperationException>(Assert.Single(ctx.Errors).Error);
        Assert.Equal("ClaimWaitTimeout", ex.ErrorId);
        Assert.Equal("logvol-log-set-0-0", ex.Target);
    }

    [Fact]
    public async Task Namespaces_are_waited_at_the_same_time_so_the_wait_lasts_as_long_as_the_slowest()
    {
        _sb.Claim("shop", "data-pending", "Pending", app: "shop");
        var ctx = new RecordingOperationContext();
        var timeout = TimeSpan.FromSeconds(2);
        var waits = new List<(ClaimWaiter, ClaimWaitRequest)>
        {
            (new ClaimWaiter(_sb.Client), new ClaimWaitRequest("tml", new[] { "logvol-log-set-0-0", "nosqlvol-cass-set-0-0" }, "Bound", timeout)),
            (new ClaimWaiter(_sb.Client), new ClaimWaitRequest("shop", new[] { "data-pending", "data-0" }, "Bound", timeout, ClaimWaiter.ProgressActivityId + 1)),
        };
        var started = DateTime.UtcNow;
        var ready = await Collect(ClaimWaiter.WaitManyAsync(waits, ctx));
        var elapsed = DateTime.UtcNow - started;

        Assert.Equal(new[] { "data-0", "nosqlvol-cass-set-0-0" }, ready.Select(c => c.Name).Order());
        Assert.Equal(new[] { "data-pending", "logvol-log-set-0-0" },
            ctx.Errors.Select(e => Assert.IsType<OperationException>(e.Error)).Select(e => (string)e.Target!).Order());
        // One after the other would take two timeouts (4 s); together, one.
        Assert.True(elapsed < TimeSpan.FromSeconds(3.5), $"waited {elapsed.TotalSeconds:0.0} s for two namespaces with a 2 s timeout");
    }

    [Fact]
    public async Task A_failing_namespace_ends_the_wait_of_all_namespaces_with_its_error()
    {
        _sb.Server.Faults.FailNext(1, "GET", "/api/v1/namespaces/shop/persistentvolumeclaims*", 403);
        var waits = new List<(ClaimWaiter, ClaimWaitRequest)>
        {
            (new ClaimWaiter(_sb.Client), new ClaimWaitRequest("tml", new[] { "logvol-log-set-0-0" }, "Bound", TimeSpan.FromSeconds(30))),
            (new ClaimWaiter(_sb.Client), new ClaimWaitRequest("shop", new[] { "data-0" }, "Bound", TimeSpan.FromSeconds(30), ClaimWaiter.ProgressActivityId + 1)),
        };
        var started = DateTime.UtcNow;
        await Assert.ThrowsAsync<KubeApiException>(() => Collect(ClaimWaiter.WaitManyAsync(waits, new RecordingOperationContext())));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10), "the other namespace's wait was not stopped");
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("condition not reached");
            await Task.Delay(20);
        }
    }
}
