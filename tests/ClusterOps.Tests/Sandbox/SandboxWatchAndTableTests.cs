using System.Net;
using System.Text.Json.Nodes;
using static ClusterOps.Tests.Sandbox.SandboxHttp;

namespace ClusterOps.Tests.Sandbox;

/// <summary>Watch streams, Table conversion and fault injection.</summary>
public sealed class SandboxWatchAndTableTests : IClassFixture<SandboxFixture>
{
    private const string TableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
    private readonly SandboxFixture _f;

    public SandboxWatchAndTableTests(SandboxFixture f) => _f = f;

    private HttpClient Http() => _f.Server.CreateHttpClient();

    /// <summary>Reads newline-delimited watch events until <paramref name="count"/> arrived or the stream ended.</summary>
    private static async Task<List<JsonObject>> ReadEventsAsync(HttpClient http, string path, int count, TimeSpan? within = null, string? accept = null)
    {
        using var cts = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(15));
        using var req = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept != null) req.Headers.TryAddWithoutValidation("Accept", accept);
        using var resp = await http.SendAsync(req, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        Assert.Equal(HttpStatusCode.OK, resp.StatusCode);
        using var reader = new StreamReader(await resp.Content.ReadAsStreamAsync(cts.Token));
        var events = new List<JsonObject>();
        while (events.Count < count)
        {
            string? line;
            try { line = await reader.ReadLineAsync(cts.Token); }
            catch (OperationCanceledException) { break; }
            if (line == null) break;
            if (line.Length > 0) events.Add(JsonNode.Parse(line)!.AsObject());
        }
        return events;
    }

    [Fact]
    public async Task Watch_from_a_list_resourceVersion_streams_added_modified_deleted()
    {
        var ns = _f.NewNamespace();
        var http = Http();
        var list = await http.GetJsonAsync($"/api/v1/namespaces/{ns}/configmaps");
        var rv = list.Object.Str("metadata", "resourceVersion");
        var watching = ReadEventsAsync(http, $"/api/v1/namespaces/{ns}/configmaps?watch=1&resourceVersion={rv}", 3);
        await Task.Delay(200);
        await http.PostJsonAsync($"/api/v1/namespaces/{ns}/configmaps", ConfigMap("w", ns));
        await http.SendAsync("PATCH", $"/api/v1/namespaces/{ns}/configmaps/w", Obj("""{"data":{"a":"b"}}"""), "application/merge-patch+json");
        await http.SendAsync("DELETE", $"/api/v1/namespaces/{ns}/configmaps/w");
        var events = await watching;
        Assert.Equal(["ADDED", "MODIFIED", "DELETED"], events.Select(e => e.Str("type")));
        Assert.All(events, e => Assert.Equal("w", e["object"].Str("metadata", "name")));
        var rvs = events.Select(e => long.Parse(e["object"].Str("metadata", "resourceVersion")!)).ToList();
        Assert.Equal(rvs.OrderBy(x => x), rvs);
        Assert.Equal(3, rvs.Distinct().Count());
    }

    [Fact]
    public async Task Watch_replays_history_after_an_older_resourceVersion()
    {
        var ns = _f.NewNamespace();
        var http = Http();
        var rv = (await http.GetJsonAsync($"/api/v1/namespaces/{ns}/configmaps")).Object.Str("metadata", "resourceVersion");
        await http.PostJsonAsync($"/api/v1/namespaces/{ns}/configmaps", ConfigMap("h1", ns));
        await http.PostJsonAsync($"/api/v1/namespaces/{ns}/configmaps", ConfigMap("h2", ns));
        var events = await ReadEventsAsync(http, $"/api/v1/namespaces/{ns}/configmaps?watch=true&resourceVersion={rv}", 2);
        Assert.Equal(["h1", "h2"], events.Select(e => e["object"].Str("metadata", "name")));
    }

    [Fact]
    public async Task Watch_without_resourceVersion_starts_with_the_current_objects()
    {
        var ns = _f.NewNamespace();
        var http = Http();
        await http.PostJsonAsync($"/api/v1/namespaces/{ns}/configmaps", ConfigMap("now", ns));
        var events = await ReadEventsAsync(http, $"/api/v1/namespaces/{ns}/configmaps?watch=1", 1);
        Assert.Equal("ADDED", events.Single().Str("type"));
    }

    [Fact]
    public async Task Watch_list_sends_initial_state_then_an_initial_events_end_bookmark()
    {
        var ns = _f.NewNamespace();
        var http = Http();
        await http.PostJsonAsync($"/api/v1/namespaces/{ns}/configmaps", ConfigMap("one", ns));
        await http.PostJsonAsync($"/api/v1/namespaces/{ns}/configmaps", ConfigMap("two", ns));
        var events = await ReadEventsAsync(http, $"/api/v1/namespaces/{ns}/configmaps?watch=1&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan", 3);
        Assert.Equal(["ADDED", "ADDED", "BOOKMARK"], events.Select(e => e.Str("type")));
        Assert.Equal("true", events[2]["object"].Str("metadata", "annotations", "k8s.io/initial-events-end"));
        Assert.True(long.Parse(events[2]["object"].Str("metadata", "resourceVersion")!) >= long.Parse(events[1]["object"].Str("metadata", "resourceVersion")!));
    }

    [Fact]
    public async Task Watch_with_a_selector_reports_objects_leaving_it_as_deleted()
    {
        var ns = _f.NewNamespace();
        var http = Http();
        var rv = (await http.GetJsonAsync($"/api/v1/namespaces/{ns}/configmaps")).Object.Str("metadata", "resourceVersion");
        await http.PostJsonAsync($"/api/v1/namespaces/{ns}/configmaps", ConfigMap("sel", ns, new JsonObject { ["app"] = "x" }));
        await http.PostJsonAsync($"/api/v1/namespaces/{ns}/configmaps", ConfigMap("other", ns, new JsonObject { ["app"] = "y" }));
        await http.SendAsync("PATCH", $"/api/v1/namespaces/{ns}/configmaps/sel", Obj("""{"metadata":{"labels":{"app":"z"}}}"""), "application/merge-patch+json");
        var events = await ReadEventsAsync(http, $"/api/v1/namespaces/{ns}/configmaps?watch=1&labelSelector=app%3Dx&resourceVersion={rv}", 2);
        Assert.Equal(["ADDED", "DELETED"], events.Select(e => e.Str("type")));
        Assert.All(events, e => Assert.Equal("sel", e["object"].Str("metadata", "name")));
    }

    [Fact]
    public async Task Watch_field_selector_on_name_as_kubectl_wait_uses_it()
    {
        var ns = _f.NewNamespace();
        var http = Http();
        var rv = (await http.GetJsonAsync($"/api/v1/namespaces/{ns}/configmaps")).Object.Str("metadata", "resourceVersion");
        await http.PostJsonAsync($"/api/v1/namespaces/{ns}/configmaps", ConfigMap("a", ns));
        await http.PostJsonAsync($"/api/v1/namespaces/{ns}/configmaps", ConfigMap("b", ns));
        var events = await ReadEventsAsync(http, $"/api/v1/namespaces/{ns}/configmaps?watch=true&fieldSelector=metadata.name%3Db&resourceVersion={rv}", 1);
        Assert.Equal("b", events.Single()["object"].Str("metadata", "name"));
    }

    [Fact]
    public async Task Watch_sends_bookmarks_when_allowed_and_ends_at_timeoutSeconds()
    {
        var ns = _f.NewNamespace();
        var http = Http();
        var rv = (await http.GetJsonAsync($"/api/v1/namespaces/{ns}/configmaps")).Object.Str("metadata", "resourceVersion");
        var events = await ReadEventsAsync(http, $"/api/v1/namespaces/{ns}/configmaps?watch=true&allowWatchBookmarks=true&timeoutSeconds=3&resourceVersion={rv}", 100, TimeSpan.FromSeconds(20));
        Assert.NotEmpty(events);
        Assert.All(events, e => Assert.Equal("BOOKMARK", e.Str("type")));
        Assert.Equal("ConfigMap", events[0]["object"].Str("kind"));
        Assert.Equal(rv, events[0]["object"].Str("metadata", "resourceVersion"));
    }

    [Fact]
    public async Task Watch_from_a_compacted_resourceVersion_gets_an_error_event_with_410()
    {
        await using var server = await SandboxFixture.StartAsync();
        var http = server.CreateHttpClient();
        var rv = (await http.GetJsonAsync("/api/v1/namespaces/default/configmaps")).Object.Str("metadata", "resourceVersion");
        server.Create(ConfigMap("after", "default"));
        server.Faults.Compact();
        var events = await ReadEventsAsync(http, $"/api/v1/namespaces/default/configmaps?watch=1&resourceVersion={rv}", 1);
        var e = events.Single();
        Assert.Equal("ERROR", e.Str("type"));
        Assert.Equal("Status", e["object"].Str("kind"));
        Assert.Equal("410", e["object"].Str("code"));
        Assert.Equal("Expired", e["object"].Str("reason"));
        Assert.StartsWith($"too old resource version: {rv} (", e["object"].Str("message"));
    }

    [Fact]
    public async Task Close_watches_fault_ends_open_streams()
    {
        var ns = _f.NewNamespace();
        var http = Http();
        var rv = (await http.GetJsonAsync($"/api/v1/namespaces/{ns}/secrets")).Object.Str("metadata", "resourceVersion");
        var watching = ReadEventsAsync(http, $"/api/v1/namespaces/{ns}/secrets?watch=1&resourceVersion={rv}", 10, TimeSpan.FromSeconds(30));
        await Task.Delay(500);
        Assert.True(_f.Server.Faults.CloseWatches() >= 1);
        var finished = await Task.WhenAny(watching, Task.Delay(TimeSpan.FromSeconds(10)));
        Assert.Same(watching, finished);
        Assert.Empty(await watching);
    }

    [Fact]
    public async Task Pod_table_has_the_real_columns_and_partial_object_metadata_rows()
    {
        var ns = _f.NewNamespace();
        _f.Server.Create(Obj("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-0","namespace":"__NS__","labels":{"app":"web"},"annotations":{"sandbox.clusterops.io/fail":"CrashLoopBackOff"}},
             "spec":{"containers":[{"name":"c","image":"x"}],"nodeName":"node-1"},
             "status":{"phase":"Running","podIP":"10.1.0.5","containerStatuses":[{"name":"c","ready":false,"restartCount":4,"image":"x","imageID":"","state":{"waiting":{"reason":"CrashLoopBackOff","message":"back-off"}}}]}}
            """.Replace("__NS__", ns)));
        var r = await Http().GetJsonAsync($"/api/v1/namespaces/{ns}/pods?limit=500", TableAccept);
        Assert.Equal("Table", r.Object.Str("kind"));
        Assert.Equal("meta.k8s.io/v1", r.Object.Str("apiVersion"));
        var cols = r.Object["columnDefinitions"]!.AsArray();
        Assert.Equal(["Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node", "Readiness Gates"], cols.Select(c => c.Str("name")));
        Assert.Equal(["0", "0", "0", "0", "0", "1", "1", "1", "1"], cols.Select(c => c.Str("priority")));
        var row = Assert.Single(r.Object["rows"]!.AsArray());
        var cells = row!["cells"]!.AsArray();
        Assert.Equal("web-0", cells[0].Str());
        Assert.Equal("0/1", cells[1].Str());
        Assert.Equal("CrashLoopBackOff", cells[2].Str());
        Assert.Equal("4", cells[3].Str());
        Assert.Equal("10.1.0.5", cells[5].Str());
        Assert.Equal("node-1", cells[6].Str());
        Assert.Equal("PartialObjectMetadata", row["object"].Str("kind"));
        Assert.Equal(ns, row["object"].Str("metadata", "namespace"));
        Assert.Equal("web", row["object"].Str("metadata", "labels", "app"));
    }

    [Fact]
    public async Task Pvc_table_shows_capacity_only_when_bound_and_volume_mode_at_priority_1()
    {
        var ns = _f.NewNamespace();
        var bound = Pvc("bound", ns, storageClass: "fast");
        bound["spec"]!["volumeName"] = "pv-1";
        bound["status"] = Obj("""{"phase":"Bound","capacity":{"storage":"5Gi"},"accessModes":["ReadWriteOnce","ReadWriteMany"]}""");
        _f.Server.Create(bound);
        _f.Server.Create(Pvc("pending", ns));
        var r = await Http().GetJsonAsync($"/api/v1/namespaces/{ns}/persistentvolumeclaims", TableAccept);
        var cols = r.Object["columnDefinitions"]!.AsArray();
        Assert.Equal(["Name", "Status", "Volume", "Capacity", "Access Modes", "StorageClass", "VolumeAttributesClass", "Age", "VolumeMode"], cols.Select(c => c.Str("name")));
        Assert.Equal("1", cols[8].Str("priority"));
        var rows = r.Object["rows"]!.AsArray().Select(x => x!["cells"]!.AsArray().Select(c => c.Str()).ToList()).ToList();
        Assert.Equal(["bound", "Bound", "pv-1", "5Gi", "RWO,RWX", "fast", "<unset>"], rows[0].Take(7));
        Assert.Equal("Filesystem", rows[0][8]);
        Assert.Equal(["pending", "Pending", "", "", "", ""], rows[1].Take(6));
    }

    [Fact]
    public async Task Single_get_and_watch_events_are_tables_when_asked()
    {
        var ns = _f.NewNamespace();
        var http = Http();
        var rv = (await http.GetJsonAsync($"/api/v1/namespaces/{ns}/configmaps")).Object.Str("metadata", "resourceVersion");
        await http.PostJsonAsync($"/api/v1/namespaces/{ns}/configmaps", ConfigMap("t", ns, data: new JsonObject { ["a"] = "1", ["b"] = "2" }));
        var single = await http.GetJsonAsync($"/api/v1/namespaces/{ns}/configmaps/t", TableAccept);
        Assert.Equal("Table", single.Object.Str("kind"));
        Assert.Equal(["Name", "Data", "Age"], single.Object["columnDefinitions"]!.AsArray().Select(c => c.Str("name")));
        Assert.Equal("2", single.Object["rows"]![0]!["cells"]![1].Str());

        await http.SendAsync("PATCH", $"/api/v1/namespaces/{ns}/configmaps/t", Obj("""{"data":{"c":"3"}}"""), "application/merge-patch+json");
        var events = await ReadEventsAsync(http, $"/api/v1/namespaces/{ns}/configmaps?watch=1&resourceVersion={rv}", 2, accept: TableAccept);
        Assert.All(events, e => Assert.Equal("Table", e["object"].Str("kind")));
        Assert.NotNull(events[0]["object"]!["columnDefinitions"]);
        Assert.Equal("3", events[1]["object"]!["rows"]![0]!["cells"]![1].Str());
    }

    [Fact]
    public async Task Crd_printer_columns_drive_the_table()
    {
        var http = Http();
        var crd = Obj("""
            {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"dials.test.io"},
             "spec":{"group":"test.io","scope":"Namespaced","names":{"plural":"dials","kind":"Dial"},
             "versions":[{"name":"v1","served":true,"storage":true,"additionalPrinterColumns":[
               {"name":"Level","type":"integer","jsonPath":".spec.level"},
               {"name":"Ready","type":"string","jsonPath":".status.conditions[?(@.type==\"Ready\")].status"},
               {"name":"Age","type":"date","jsonPath":".metadata.creationTimestamp"}]}]}}
            """);
        Assert.Equal(HttpStatusCode.Created, (await http.PostJsonAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd)).Status);
        var ns = _f.NewNamespace();
        _f.Server.Create(Obj("""{"apiVersion":"test.io/v1","kind":"Dial","metadata":{"name":"d","namespace":"__NS__"},"spec":{"level":7},"status":{"conditions":[{"type":"Ready","status":"True"}]}}""".Replace("__NS__", ns)));
        var r = await http.GetJsonAsync($"/apis/test.io/v1/namespaces/{ns}/dials", TableAccept);
        Assert.Equal(["Name", "Level", "Ready", "Age"], r.Object["columnDefinitions"]!.AsArray().Select(c => c.Str("name")));
        var cells = r.Object["rows"]![0]!["cells"]!.AsArray();
        Assert.Equal("7", cells[1].Str());
        Assert.Equal("True", cells[2].Str());
    }

    [Fact]
    public async Task Injected_failures_return_status_with_retry_after_then_recover()
    {
        await using var server = await SandboxFixture.StartAsync();
        var http = server.CreateHttpClient();
        server.Faults.FailNext(2, "GET", "/api/v1/namespaces/*/configmaps", 429, TimeSpan.FromSeconds(3));
        var first = await http.GetJsonAsync("/api/v1/namespaces/default/configmaps");
        Assert.Equal(429, (int)first.Status);
        Assert.Equal("TooManyRequests", first.Object.Str("reason"));
        Assert.Equal("3", first.Headers.RetryAfter!.Delta!.Value.TotalSeconds.ToString());
        Assert.Equal(429, (int)(await http.GetJsonAsync("/api/v1/namespaces/default/configmaps")).Status);
        Assert.Equal(HttpStatusCode.OK, (await http.GetJsonAsync("/api/v1/namespaces/default/configmaps")).Status);

        server.Faults.FailNext(1, "POST", "*", 503);
        Assert.Equal(HttpStatusCode.OK, (await http.GetJsonAsync("/api/v1/namespaces/default/configmaps")).Status);
        var post = await http.PostJsonAsync("/api/v1/namespaces/default/configmaps", ConfigMap("x", "default"));
        Assert.Equal(503, (int)post.Status);
        Assert.Equal("ServiceUnavailable", post.Object.Str("reason"));

        server.Faults.DropNext(1, null, "/api/v1/namespaces/default/secrets");
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => http.GetJsonAsync("/api/v1/namespaces/default/secrets"));
        Assert.Equal(HttpStatusCode.OK, (await http.GetJsonAsync("/api/v1/namespaces/default/secrets")).Status);
    }

    [Fact]
    public async Task Admin_endpoint_needs_its_own_token_and_injects_faults()
    {
        await using var server = await SandboxFixture.StartAsync();
        var kube = server.CreateHttpClient();
        var denied = await kube.SendAsync("POST", "/sandbox/admin/faults", Obj("""{"method":"GET","path":"*","count":1,"status":500}"""));
        Assert.Equal(401, (int)denied.Status);
        var admin = server.CreateHttpClient(server.AdminToken);
        var ok = await admin.SendAsync("POST", "/sandbox/admin/faults", Obj("""{"method":"GET","path":"/api/v1/*","count":1,"status":500}"""));
        Assert.Equal(HttpStatusCode.OK, ok.Status);
        var failed = await kube.GetJsonAsync("/api/v1/namespaces");
        Assert.Equal(500, (int)failed.Status);
        Assert.Equal("InternalError", failed.Object.Str("reason"));
        Assert.Equal(HttpStatusCode.OK, (await kube.GetJsonAsync("/api/v1/namespaces")).Status);

        var before = server.Clock.UtcNow;
        await admin.SendAsync("POST", "/sandbox/admin/clock", Obj("""{"advanceSeconds":3600}"""));
        Assert.True(server.Clock.UtcNow - before >= TimeSpan.FromHours(1));
    }

    [Fact]
    public async Task Large_lists_page_through_every_item_once()
    {
        await using var server = await SandboxFixture.StartAsync(new ClusterOps.Sandbox.SandboxOptions { Pvcs = 10_000, Namespaces = 4 });
        var http = server.CreateHttpClient();
        var seen = new HashSet<string>();
        string? cont = null;
        do
        {
            var r = await http.GetJsonAsync("/api/v1/persistentvolumeclaims?limit=500" + (cont != null ? "&continue=" + Uri.EscapeDataString(cont) : ""));
            Assert.Equal(HttpStatusCode.OK, r.Status);
            foreach (var i in r.Object["items"]!.AsArray())
                Assert.True(seen.Add($"{i.Str("metadata", "namespace")}/{i.Str("metadata", "name")}"));
            cont = r.Object.Str("metadata", "continue");
        } while (!string.IsNullOrEmpty(cont));
        Assert.Equal(10_000, seen.Count);
        var pv = await http.GetJsonAsync("/api/v1/persistentvolumes?limit=1");
        Assert.Equal("9999", pv.Object.Str("metadata", "remainingItemCount"));
        var one = await http.GetJsonAsync("/api/v1/namespaces/bench-002/persistentvolumeclaims?limit=1");
        var item = one.Object["items"]![0]!;
        Assert.Equal("Bound", item.Str("status", "phase"));
        var bound = await http.GetJsonAsync($"/api/v1/persistentvolumes/{item.Str("spec", "volumeName")}");
        Assert.Equal(item.Str("metadata", "uid"), bound.Object.Str("spec", "claimRef", "uid"));
    }
}
