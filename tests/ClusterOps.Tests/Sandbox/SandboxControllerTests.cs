using System.Text.Json.Nodes;
using ClusterOps.Sandbox;
using static ClusterOps.Tests.Sandbox.SandboxHttp;

namespace ClusterOps.Tests.Sandbox;

/// <summary>The simulated controllers: workloads, volumes, pod failure modes, jobs, events, and the tml scenario.</summary>
public sealed class SandboxControllerTests : IClassFixture<SandboxFixture>
{
    private readonly SandboxFixture _f;

    public SandboxControllerTests(SandboxFixture f)
    {
        _f = f;
        if (_f.Server.Get("sc", null, "standard") == null)
            _f.Server.Apply("""
                apiVersion: storage.k8s.io/v1
                kind: StorageClass
                metadata:
                  name: standard
                  annotations: {storageclass.kubernetes.io/is-default-class: "true"}
                provisioner: sandbox.clusterops.io/hostpath
                reclaimPolicy: Delete
                ---
                apiVersion: storage.k8s.io/v1
                kind: StorageClass
                metadata: {name: keep}
                provisioner: sandbox.clusterops.io/hostpath
                reclaimPolicy: Retain
                """);
    }

    /// <summary>Waits for a condition the controllers bring about; fails with the description if it never holds.</summary>
    private static async Task Eventually(string what, Func<bool> condition, int seconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException($"timed out waiting for: {what}");
            await Task.Delay(25);
        }
    }

    private static JsonObject StatefulSet(string name, string ns, int replicas, string? storageClass = null)
    {
        var tpl = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "data", ["labels"] = new JsonObject { ["app"] = name } },
            ["spec"] = new JsonObject { ["accessModes"] = new JsonArray("ReadWriteOnce"), ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = "1Gi" } } },
        };
        if (storageClass != null) tpl["spec"]!["storageClassName"] = storageClass;
        return Obj($$$"""
            {"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}"},
             "spec":{"replicas":{{{replicas}}},"serviceName":"{{{name}}}","selector":{"matchLabels":{"app":"{{{name}}}"}},
             "template":{"metadata":{"labels":{"app":"{{{name}}}"}},"spec":{"containers":[{"name":"c","image":"db:1"}]}},
             "volumeClaimTemplates":[{{{tpl.ToJsonString()}}}]}}
            """);
    }

    private long Long(JsonObject? o, params string[] path)
    {
        JsonNode? n = o;
        foreach (var p in path) n = n?[p];
        return n is JsonValue v && v.TryGetValue<long>(out var l) ? l : 0;
    }

    private bool PodReady(string ns, string name) =>
        _f.Server.Get("pod", ns, name)?["status"]?["conditions"]?.AsArray().Any(c => c.Str("type") == "Ready" && c.Str("status") == "True") == true;

    [Fact]
    public async Task StatefulSet_creates_ordered_ready_pods_and_bound_claims_from_templates()
    {
        var ns = _f.NewNamespace();
        _f.Server.Create(StatefulSet("db", ns, 3));
        await Eventually("3 ready replicas", () => Long(_f.Server.Get("sts", ns, "db"), "status", "readyReplicas") == 3);
        var sts = _f.Server.Get("sts", ns, "db")!;
        Assert.Equal(3, Long(sts, "status", "replicas"));
        Assert.Equal(3, Long(sts, "status", "availableReplicas"));
        Assert.Equal(3, Long(sts, "status", "updatedReplicas"));
        Assert.Equal(Long(sts, "metadata", "generation"), Long(sts, "status", "observedGeneration"));
        var pods = _f.Server.List("pods", ns);
        Assert.Equal(["db-0", "db-1", "db-2"], pods.Select(p => p.Str("metadata", "name")).OrderBy(n => n));
        var created = pods.OrderBy(p => long.Parse(p.Str("metadata", "resourceVersion")!)).ToList();
        Assert.All(pods, p => Assert.Equal(sts.Str("metadata", "uid"), p["metadata"]!["ownerReferences"]![0].Str("uid")));
        Assert.Equal("db-1", pods.Single(p => p.Str("metadata", "name") == "db-1")["metadata"]!["labels"].Str("statefulset.kubernetes.io/pod-name"));
        Assert.Equal("data-db-1", pods.Single(p => p.Str("metadata", "name") == "db-1")["spec"]!["volumes"]![0]!["persistentVolumeClaim"].Str("claimName"));

        await Eventually("claims bound", () => _f.Server.List("pvc", ns).Count(c => c.Str("status", "phase") == "Bound") == 3);
        foreach (var claim in _f.Server.List("pvc", ns))
        {
            Assert.Matches("^data-db-[012]$", claim.Str("metadata", "name"));
            Assert.Equal("standard", claim.Str("spec", "storageClassName"));
            Assert.Equal($"pvc-{claim.Str("metadata", "uid")}", claim.Str("spec", "volumeName"));
            Assert.Equal("1Gi", claim.Str("status", "capacity", "storage"));
            Assert.Equal("db", claim.Str("metadata", "labels", "app"));
            var pv = _f.Server.Get("pv", null, claim.Str("spec", "volumeName")!)!;
            Assert.Equal("Bound", pv.Str("status", "phase"));
            Assert.Equal("Delete", pv.Str("spec", "persistentVolumeReclaimPolicy"));
            Assert.Equal(claim.Str("metadata", "uid"), pv.Str("spec", "claimRef", "uid"));
        }
    }

    [Fact]
    public async Task Scale_down_removes_highest_ordinals_first_and_claims_survive_scale_to_zero_and_deletion()
    {
        var ns = _f.NewNamespace();
        _f.Server.Create(StatefulSet("q", ns, 3));
        await Eventually("3 ready", () => Long(_f.Server.Get("sts", ns, "q"), "status", "readyReplicas") == 3);
        var http = _f.Server.CreateHttpClient();
        var rv = (await http.GetJsonAsync($"/api/v1/namespaces/{ns}/pods")).Object.Str("metadata", "resourceVersion");
        _f.Server.Patch("sts", ns, "q", Obj("""{"spec":{"replicas":1}}"""));
        await Eventually("1 replica", () => _f.Server.List("pods", ns).Count == 1 && Long(_f.Server.Get("sts", ns, "q"), "status", "replicas") == 1);
        Assert.Equal("q-0", _f.Server.List("pods", ns).Single().Str("metadata", "name"));

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var resp = await http.GetAsync($"/api/v1/namespaces/{ns}/pods?watch=1&resourceVersion={rv}", HttpCompletionOption.ResponseHeadersRead, cts.Token);
        using var reader = new StreamReader(await resp.Content.ReadAsStreamAsync(cts.Token));
        var deleted = new List<string>();
        while (deleted.Count < 2)
        {
            var ev = JsonNode.Parse((await reader.ReadLineAsync(cts.Token))!)!;
            if (ev.Str("type") == "DELETED") deleted.Add(ev["object"].Str("metadata", "name")!);
        }
        Assert.Equal(["q-2", "q-1"], deleted);

        _f.Server.Patch("sts", ns, "q", Obj("""{"spec":{"replicas":0}}"""));
        await Eventually("no pods", () => _f.Server.List("pods", ns).Count == 0);
        Assert.Equal(3, _f.Server.List("pvc", ns).Count);
        Assert.True(_f.Server.Delete("sts", ns, "q"));
        await Task.Delay(300);
        Assert.Equal(["data-q-0", "data-q-1", "data-q-2"], _f.Server.List("pvc", ns).Select(c => c.Str("metadata", "name")).OrderBy(n => n));
        Assert.All(_f.Server.List("pvc", ns), c => Assert.Null(c["metadata"]!["deletionTimestamp"]));
    }

    [Fact]
    public async Task Deleting_the_statefulset_garbage_collects_its_pods()
    {
        var ns = _f.NewNamespace();
        _f.Server.Create(StatefulSet("g", ns, 2));
        await Eventually("2 pods", () => _f.Server.List("pods", ns).Count == 2);
        _f.Server.Delete("sts", ns, "g");
        await Eventually("pods gone", () => _f.Server.List("pods", ns).Count == 0);
    }

    [Fact]
    public async Task Deployment_pods_are_named_by_template_hash_and_status_counts_are_true()
    {
        var ns = _f.NewNamespace();
        _f.Server.Create(Obj("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"__NS__"},
             "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}}}
            """.Replace("__NS__", ns)));
        await Eventually("2 available", () => Long(_f.Server.Get("deploy", ns, "web"), "status", "availableReplicas") == 2);
        var pods = _f.Server.List("pods", ns);
        Assert.Equal(2, pods.Count);
        var hash = pods[0]["metadata"]!["labels"].Str("pod-template-hash")!;
        Assert.All(pods, p => Assert.Matches($"^web-{hash}-[bcdfghjklmnpqrstvwxz2456789]{{5}}$", p.Str("metadata", "name")));
        var d = _f.Server.Get("deploy", ns, "web")!;
        Assert.Equal(2, Long(d, "status", "readyReplicas"));
        Assert.Equal(2, Long(d, "status", "updatedReplicas"));
        Assert.Contains(d["status"]!["conditions"]!.AsArray(), c => c.Str("type") == "Available" && c.Str("status") == "True");

        _f.Server.Patch("deploy", ns, "web", Obj("""{"spec":{"replicas":0}}"""));
        await Eventually("scaled to zero", () => _f.Server.List("pods", ns).Count == 0 && Long(_f.Server.Get("deploy", ns, "web"), "status", "replicas") == 0);
    }

    [Fact]
    public async Task Deleting_a_claim_deletes_a_Delete_volume_and_releases_a_Retain_volume()
    {
        var ns = _f.NewNamespace();
        _f.Server.Create(Pvc("gone", ns, storageClass: "standard"));
        _f.Server.Create(Pvc("kept", ns, storageClass: "keep"));
        await Eventually("both bound", () => _f.Server.List("pvc", ns).All(c => c.Str("status", "phase") == "Bound") && _f.Server.List("pvc", ns).Count == 2);
        var gonePv = _f.Server.Get("pvc", ns, "gone").Str("spec", "volumeName")!;
        var keptPv = _f.Server.Get("pvc", ns, "kept").Str("spec", "volumeName")!;
        Assert.Contains("kubernetes.io/pvc-protection", _f.Server.Get("pvc", ns, "gone")!["metadata"]!["finalizers"]!.AsArray().Select(f => f!.GetValue<string>()));

        _f.Server.Delete("pvc", ns, "gone");
        _f.Server.Delete("pvc", ns, "kept");
        await Eventually("Delete volume removed", () => _f.Server.Get("pv", null, gonePv) == null && _f.Server.Get("pvc", ns, "gone") == null);
        await Eventually("Retain volume released", () => _f.Server.Get("pv", null, keptPv).Str("status", "phase") == "Released");
        Assert.Equal("kept", _f.Server.Get("pv", null, keptPv).Str("spec", "claimRef", "name"));
    }

    [Fact]
    public async Task A_claim_in_use_by_a_pod_stays_terminating_until_the_pod_is_gone()
    {
        var ns = _f.NewNamespace();
        _f.Server.Create(Pvc("busy", ns, storageClass: "standard"));
        _f.Server.Create(Obj("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"user","namespace":"__NS__"},"spec":{"containers":[{"name":"c","image":"x"}],"volumes":[{"name":"d","persistentVolumeClaim":{"claimName":"busy"}}]}}""".Replace("__NS__", ns)));
        await Eventually("pod ready", () => PodReady(ns, "user"));
        _f.Server.Delete("pvc", ns, "busy");
        await Task.Delay(500);
        var claim = _f.Server.Get("pvc", ns, "busy");
        Assert.NotNull(claim);
        Assert.NotNull(claim!["metadata"]!["deletionTimestamp"]);
        _f.Server.Delete("pod", ns, "user");
        await Eventually("claim gone", () => _f.Server.Get("pvc", ns, "busy") == null);
    }

    [Fact]
    public async Task Pods_become_running_and_ready_after_the_ready_delay()
    {
        var ns = _f.NewNamespace();
        _f.Server.Create(Obj("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"__NS__"},"spec":{"containers":[{"name":"c","image":"x"}]}}""".Replace("__NS__", ns)));
        await Eventually("ready", () => PodReady(ns, "p"));
        var pod = _f.Server.Get("pod", ns, "p")!;
        Assert.Equal("Running", pod.Str("status", "phase"));
        Assert.Equal("sandbox-node-1", pod.Str("spec", "nodeName"));
        Assert.NotNull(pod["status"]!["containerStatuses"]![0]!["state"]!["running"]);
        Assert.False(string.IsNullOrEmpty(pod.Str("status", "podIP")));
    }

    [Theory]
    [InlineData("CrashLoopBackOff", "Running", "back-off 5m0s restarting failed container=c pod=")]
    [InlineData("ImagePullBackOff", "Pending", "Back-off pulling image \"bad:1\"")]
    public async Task Failure_annotation_keeps_the_container_waiting_with_the_real_reason(string reason, string phase, string messageStart)
    {
        var ns = _f.NewNamespace();
        _f.Server.Create(Obj("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"f","namespace":"__NS__","annotations":{"sandbox.clusterops.io/fail":"__R__"}},"spec":{"containers":[{"name":"c","image":"bad:1"}]}}""".Replace("__NS__", ns).Replace("__R__", reason)));
        await Eventually("waiting reason", () => _f.Server.Get("pod", ns, "f")?["status"]?["containerStatuses"]?[0]?["state"]?["waiting"].Str("reason") == reason);
        var pod = _f.Server.Get("pod", ns, "f")!;
        Assert.Equal(phase, pod.Str("status", "phase"));
        var waiting = pod["status"]!["containerStatuses"]![0]!["state"]!["waiting"]!;
        Assert.StartsWith(messageStart, waiting.Str("message"));
        Assert.Contains(pod["status"]!["conditions"]!.AsArray(), c => c.Str("type") == "Ready" && c.Str("status") == "False" && c.Str("reason") == "ContainersNotReady");
        await Task.Delay(300);
        Assert.Equal(reason, _f.Server.Get("pod", ns, "f")!["status"]!["containerStatuses"]![0]!["state"]!["waiting"].Str("reason"));
    }

    [Fact]
    public async Task Unschedulable_pod_has_pod_scheduled_false_and_a_failed_scheduling_event()
    {
        var ns = _f.NewNamespace();
        _f.Server.Create(Obj("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"u","namespace":"__NS__","annotations":{"sandbox.clusterops.io/fail":"Unschedulable"}},"spec":{"containers":[{"name":"c","image":"x"}]}}""".Replace("__NS__", ns)));
        await Eventually("scheduling failed", () => _f.Server.Get("pod", ns, "u")?["status"]?["conditions"] != null);
        var cond = _f.Server.Get("pod", ns, "u")!["status"]!["conditions"]!.AsArray().Single()!;
        Assert.Equal("PodScheduled", cond.Str("type"));
        Assert.Equal("False", cond.Str("status"));
        Assert.Equal("Unschedulable", cond.Str("reason"));
        Assert.Equal("Pending", _f.Server.Get("pod", ns, "u").Str("status", "phase"));
        await Eventually("event", () => _f.Server.List("events", ns).Any(e => e.Str("reason") == "FailedScheduling"));
        var ev = _f.Server.List("events", ns).Single(e => e.Str("reason") == "FailedScheduling");
        Assert.Equal("Warning", ev.Str("type"));
        Assert.Equal("Pod", ev.Str("involvedObject", "kind"));
        Assert.Equal("u", ev.Str("involvedObject", "name"));
        Assert.Equal(_f.Server.Get("pod", ns, "u").Str("metadata", "uid"), ev.Str("involvedObject", "uid"));
        Assert.Equal("default-scheduler", ev.Str("source", "component"));
        Assert.Equal("1", ev.Str("count"));
        Assert.NotNull(ev["firstTimestamp"]);
        Assert.NotNull(ev["lastTimestamp"]);
    }

    [Fact]
    public async Task Job_succeeds_with_a_completed_pod_or_fails_when_annotated()
    {
        var ns = _f.NewNamespace();
        const string job = """{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"__N__","namespace":"__NS__","annotations":{"sandbox.clusterops.io/fail":"__F__"}},"spec":{"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"x"}]}}}}""";
        _f.Server.Create(Obj(job.Replace("__NS__", ns).Replace("__N__", "ok").Replace("__F__", "false")));
        _f.Server.Create(Obj(job.Replace("__NS__", ns).Replace("__N__", "bad").Replace("__F__", "true")));
        bool Has(string name, string type) => _f.Server.Get("job", ns, name)?["status"]?["conditions"]?.AsArray().Any(c => c.Str("type") == type && c.Str("status") == "True") == true;
        await Eventually("ok complete", () => Has("ok", "Complete"));
        await Eventually("bad failed", () => Has("bad", "Failed"));
        var ok = _f.Server.Get("job", ns, "ok")!;
        Assert.Equal(1, Long(ok, "status", "succeeded"));
        Assert.NotNull(ok["status"]!["completionTime"]);
        Assert.Equal(1, Long(_f.Server.Get("job", ns, "bad"), "status", "failed"));
        var pods = _f.Server.List("pods", ns);
        Assert.Equal("Succeeded", pods.Single(p => p.Str("metadata", "labels", "job-name") == "ok").Str("status", "phase"));
        Assert.Equal("Failed", pods.Single(p => p.Str("metadata", "labels", "job-name") == "bad").Str("status", "phase"));
        Assert.Contains(_f.Server.List("events", ns), e => e.Str("reason") == "BackoffLimitExceeded" && e.Str("involvedObject", "name") == "bad");
    }

    [Fact]
    public async Task Advancing_the_clock_completes_a_long_job()
    {
        await using var server = await SandboxFixture.StartAsync();
        server.Create(Obj("""{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"long","namespace":"default","annotations":{"sandbox.clusterops.io/duration":"1h"}},"spec":{"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"x"}]}}}}"""));
        bool Complete() => server.Get("job", "default", "long")?["status"]?["conditions"]?.AsArray().Any(c => c.Str("type") == "Complete") == true;
        await Eventually("job started", () => server.Get("job", "default", "long")?["status"]?["startTime"] != null);
        await Task.Delay(500);
        Assert.False(Complete());
        server.Clock.Advance(TimeSpan.FromHours(1));
        await Eventually("complete after advance", Complete);
    }

    [Fact]
    public async Task Tml_scenario_is_a_running_single_zone_cluster()
    {
        await using var server = await SandboxFixture.StartAsync(new SandboxOptions { Scenario = "tml" });
        Assert.Contains("namespace: tml", await File.ReadAllTextAsync(server.KubeConfigPath));
        var sts = server.List("sts", "tml").Select(s => s.Str("metadata", "name")).OrderBy(n => n);
        Assert.Equal(["cache-set-0", "cass-set-0", "log-set-0", "mysql-set-0"], sts);
        Assert.Equal(["cm-deploy-0", "tm-deploy-0"], server.List("deploy", "tml").Select(s => s.Str("metadata", "name")).OrderBy(n => n));
        Assert.All(server.List("sts", "tml").Concat(server.List("deploy", "tml")), w => Assert.Equal(1, Long(w, "status", "readyReplicas")));
        Assert.Equal(6, server.List("pods", "tml").Count(p => p.Str("status", "phase") == "Running"));
        Assert.Equal(["cache-svc-0", "cass-svc-0", "cm-svc-0", "log-svc-0", "mysql-svc-0", "tm-svc"], server.List("svc", "tml").Select(s => s.Str("metadata", "name")).OrderBy(n => n));
        Assert.Equal("None", server.Get("svc", "tml", "cass-svc-0").Str("spec", "clusterIP"));
        Assert.Equal("LoadBalancer", server.Get("svc", "tml", "tm-svc").Str("spec", "type"));
        var claims = server.List("pvc", "tml");
        Assert.Equal(["cachevol-cache-set-0-0", "logvol-log-set-0-0", "nosqlvol-cass-set-0-0", "sqlvol-mysql-set-0-0"], claims.Select(c => c.Str("metadata", "name")).OrderBy(n => n));
        Assert.All(claims, c => Assert.Equal("Bound", c.Str("status", "phase")));
        Assert.Equal("cass-svc", server.Get("pvc", "tml", "nosqlvol-cass-set-0-0").Str("metadata", "labels", "app"));
        foreach (var s in new[] { "cluster-property", "zones-property", "papi-property", "tmgc-registry-key", "nosql-property", "cm-key", "log-resource", "tm-trust-jks" })
            Assert.NotNull(server.Get("secret", "tml", s));
        foreach (var sc in new[] { "nosql", "sql", "log", "cache", "reporting" })
            Assert.NotNull(server.Get("sc", null, $"{sc}-storage-class"));
    }

    [Fact]
    public async Task Growing_a_bound_claim_resizes_its_volume_and_shrinking_or_unsupported_classes_are_refused()
    {
        var ns = _f.NewNamespace();
        if (_f.Server.Get("sc", null, "grow") == null)
            _f.Server.Apply("apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: grow}\nprovisioner: sandbox.clusterops.io/hostpath\nallowVolumeExpansion: true\n");
        _f.Server.Create(Pvc("big", ns, "1Gi", storageClass: "grow"));
        _f.Server.Create(Pvc("fixed", ns, "1Gi", storageClass: "standard"));
        await Eventually("bound", () => _f.Server.List("pvc", ns).Count(c => c.Str("status", "phase") == "Bound") == 2);
        var http = _f.Server.CreateHttpClient();
        var grow = await http.SendAsync("PATCH", $"/api/v1/namespaces/{ns}/persistentvolumeclaims/big",
            Obj("""{"spec":{"resources":{"requests":{"storage":"5Gi"}}}}"""), "application/merge-patch+json");
        Assert.Equal(System.Net.HttpStatusCode.OK, grow.Status);
        await Eventually("resized", () => _f.Server.Get("pvc", ns, "big").Str("status", "capacity", "storage") == "5Gi");
        Assert.Equal("5Gi", _f.Server.Get("pv", null, _f.Server.Get("pvc", ns, "big").Str("spec", "volumeName")!).Str("spec", "capacity", "storage"));

        var shrink = await http.SendAsync("PATCH", $"/api/v1/namespaces/{ns}/persistentvolumeclaims/big",
            Obj("""{"spec":{"resources":{"requests":{"storage":"2Gi"}}}}"""), "application/merge-patch+json");
        Assert.Equal(422, (int)shrink.Status);
        Assert.Contains("spec.resources.requests.storage: Forbidden: field can not be less than previous value", shrink.Object.Str("message"));

        var unsupported = await http.SendAsync("PATCH", $"/api/v1/namespaces/{ns}/persistentvolumeclaims/fixed",
            Obj("""{"spec":{"resources":{"requests":{"storage":"2Gi"}}}}"""), "application/merge-patch+json");
        Assert.Equal(403, (int)unsupported.Status);
        Assert.Equal($"persistentvolumeclaims \"fixed\" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize", unsupported.Object.Str("message"));

        var immutable = await http.SendAsync("PATCH", $"/api/v1/namespaces/{ns}/persistentvolumeclaims/fixed",
            Obj("""{"spec":{"accessModes":["ReadWriteMany"]}}"""), "application/merge-patch+json");
        Assert.Equal(422, (int)immutable.Status);
        Assert.Contains("spec is immutable after creation", immutable.Object.Str("message"));
    }

    [Fact]
    public async Task A_released_volume_whose_claim_uid_is_cleared_binds_to_a_new_claim_of_that_name()
    {
        var ns = _f.NewNamespace();
        _f.Server.Create(Pvc("data", ns, storageClass: "keep"));
        await Eventually("bound", () => _f.Server.Get("pvc", ns, "data").Str("status", "phase") == "Bound");
        var pvName = _f.Server.Get("pvc", ns, "data").Str("spec", "volumeName")!;
        _f.Server.Delete("pvc", ns, "data");
        await Eventually("released", () => _f.Server.Get("pv", null, pvName).Str("status", "phase") == "Released");
        _f.Server.Patch("pv", null, pvName, Obj("""{"spec":{"claimRef":{"uid":null,"resourceVersion":null}}}"""));
        await Eventually("available", () => _f.Server.Get("pv", null, pvName).Str("status", "phase") == "Available");
        _f.Server.Create(Pvc("data", ns, storageClass: "keep"));
        await Eventually("rebound to the same volume", () => _f.Server.Get("pvc", ns, "data").Str("spec", "volumeName") == pvName
            && _f.Server.Get("pvc", ns, "data").Str("status", "phase") == "Bound");
        Assert.Equal(_f.Server.Get("pvc", ns, "data").Str("metadata", "uid"), _f.Server.Get("pv", null, pvName).Str("spec", "claimRef", "uid"));
    }

    [Fact]
    public async Task A_pending_claim_binds_to_a_static_volume_created_after_it()
    {
        var ns = _f.NewNamespace();
        var pvName = "static-" + ns;
        // No StorageClass object named "manual": nothing can provision, only a matching static volume can bind.
        _f.Server.Create(Pvc("data", ns, storageClass: "manual"));
        await Task.Delay(200);
        Assert.Equal("Pending", _f.Server.Get("pvc", ns, "data").Str("status", "phase"));

        _f.Server.Create(Obj("""
            {"apiVersion":"v1","kind":"PersistentVolume","metadata":{"name":"__PV__"},
             "spec":{"capacity":{"storage":"5Gi"},"accessModes":["ReadWriteOnce"],"storageClassName":"manual",
                     "persistentVolumeReclaimPolicy":"Retain","hostPath":{"path":"/data/__PV__"}}}
            """.Replace("__PV__", pvName)));

        await Eventually("bound to the new volume", () => _f.Server.Get("pvc", ns, "data").Str("spec", "volumeName") == pvName
            && _f.Server.Get("pvc", ns, "data").Str("status", "phase") == "Bound");
    }

    /// <summary>
    /// pv_controller syncUnboundClaim: a claim that names a volume binds only when checkVolumeSatisfyClaim passes;
    /// otherwise it stays Pending with a VolumeMismatch event saying which check failed.
    /// </summary>
    [Theory]
    [InlineData("other", "\"ReadWriteOnce\"", "storageClassName does not match")]
    [InlineData("manual", "\"ReadOnlyMany\"", "incompatible accessMode")]
    public async Task A_claim_naming_a_volume_that_does_not_satisfy_it_stays_Pending_with_VolumeMismatch(string volumeClass, string modes, string why)
    {
        var ns = _f.NewNamespace();
        var pvName = "named-" + ns;
        _f.Server.Create(Obj("""
            {"apiVersion":"v1","kind":"PersistentVolume","metadata":{"name":"__PV__"},
             "spec":{"capacity":{"storage":"5Gi"},"accessModes":[__M__],"storageClassName":"__SC__",
                     "persistentVolumeReclaimPolicy":"Retain","hostPath":{"path":"/data/__PV__"}}}
            """.Replace("__PV__", pvName).Replace("__M__", modes).Replace("__SC__", volumeClass)));
        var claim = Pvc("data", ns, storageClass: "manual");
        claim["spec"]!["volumeName"] = pvName;
        _f.Server.Create(claim);

        await Eventually("the VolumeMismatch event", () => _f.Server.List("events", ns).Any(e => e.Str("reason") == "VolumeMismatch"));
        var ev = _f.Server.List("events", ns).First(e => e.Str("reason") == "VolumeMismatch");
        Assert.Equal($"Cannot bind to requested volume \"{pvName}\": {why}", ev.Str("message"));
        Assert.Equal("Pending", _f.Server.Get("pvc", ns, "data").Str("status", "phase"));
    }

    [Fact]
    public async Task Retention_policy_when_deleted_Delete_removes_the_claims_with_the_statefulset()
    {
        var ns = _f.NewNamespace();
        var sts = StatefulSet("tmp", ns, 2);
        sts["spec"]!["persistentVolumeClaimRetentionPolicy"] = Obj("""{"whenDeleted":"Delete","whenScaled":"Retain"}""");
        _f.Server.Create(sts);
        await Eventually("2 claims bound", () => _f.Server.List("pvc", ns).Count(c => c.Str("status", "phase") == "Bound") == 2);
        _f.Server.Delete("sts", ns, "tmp");
        await Eventually("claims and pods gone", () => _f.Server.List("pvc", ns).Count == 0 && _f.Server.List("pods", ns).Count == 0);
    }
}
