using System.Net;
using System.Text.Json.Nodes;
using ClusterOps.Sandbox;
using static ClusterOps.Tests.Sandbox.SandboxHttp;

namespace ClusterOps.Tests.Sandbox;

/// <summary>REST semantics and the exact Status bodies, over real HTTPS.</summary>
public sealed class SandboxApiTests : IClassFixture<SandboxFixture>
{
    private readonly SandboxFixture _f;

    public SandboxApiTests(SandboxFixture f) => _f = f;

    private HttpClient Http(string? token = null) => _f.Server.CreateHttpClient(token);

    private static void AssertStatus(SandboxHttp.Reply r, int code, string reason, string message)
    {
        Assert.Equal(code, (int)r.Status);
        var s = r.Object;
        Assert.Equal("Status", s.Str("kind"));
        Assert.Equal("v1", s.Str("apiVersion"));
        Assert.NotNull(s["metadata"]);
        Assert.Equal("Failure", s.Str("status"));
        Assert.Equal(reason, s.Str("reason"));
        Assert.Equal(message, s.Str("message"));
        Assert.Equal(code, s["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task Version_reports_1_32()
    {
        var r = await Http().GetJsonAsync("/version");
        Assert.Equal(HttpStatusCode.OK, r.Status);
        Assert.Equal("1", r.Object.Str("major"));
        Assert.Equal("32", r.Object.Str("minor"));
        Assert.Equal("v1.32.0", r.Object.Str("gitVersion"));
    }

    [Fact]
    public async Task Missing_or_bad_credentials_get_401_status()
    {
        AssertStatus(await Http("").GetJsonAsync("/api/v1/namespaces"), 401, "Unauthorized", "Unauthorized");
        AssertStatus(await Http("not-a-token").GetJsonAsync("/api/v1/namespaces"), 401, "Unauthorized", "Unauthorized");
    }

    [Fact]
    public async Task Read_only_token_reads_but_gets_403_on_writes()
    {
        var ns = _f.NewNamespace();
        var ro = Http(_f.Server.ReadOnlyToken);
        Assert.Equal(HttpStatusCode.OK, (await ro.GetJsonAsync($"/api/v1/namespaces/{ns}/persistentvolumeclaims")).Status);
        var r = await ro.PostJsonAsync($"/api/v1/namespaces/{ns}/persistentvolumeclaims", Pvc("x"));
        AssertStatus(r, 403, "Forbidden",
            $"persistentvolumeclaims is forbidden: User \"sandbox-viewer\" cannot create resource \"persistentvolumeclaims\" in API group \"\" in the namespace \"{ns}\"");
        var d = await ro.SendAsync("DELETE", "/apis/apps/v1/namespaces/default/statefulsets/s");
        AssertStatus(d, 403, "Forbidden",
            "statefulsets.apps \"s\" is forbidden: User \"sandbox-viewer\" cannot delete resource \"statefulsets\" in API group \"apps\" in the namespace \"default\"");
    }

    [Fact]
    public async Task Added_token_works_until_removed()
    {
        _f.Server.AddToken("rotating-1", "rotor");
        var http = Http("rotating-1");
        var who = await http.PostJsonAsync("/apis/authentication.k8s.io/v1/selfsubjectreviews", Obj("""{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}"""));
        Assert.Equal(HttpStatusCode.Created, who.Status);
        Assert.Equal("rotor", who.Object.Str("status", "userInfo", "username"));
        Assert.True(_f.Server.RemoveToken("rotating-1"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetJsonAsync("/api/v1/namespaces")).Status);
    }

    [Fact]
    public async Task Selfsubjectreview_returns_user_groups_and_uid()
    {
        var r = await Http().PostJsonAsync("/apis/authentication.k8s.io/v1/selfsubjectreviews", Obj("""{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}"""));
        var info = r.Object["status"]!["userInfo"]!;
        Assert.Equal("sandbox-admin", info.Str("username"));
        Assert.Contains("system:masters", info["groups"]!.AsArray().Select(g => g!.GetValue<string>()));
        Assert.False(string.IsNullOrEmpty(info.Str("uid")));
    }

    [Fact]
    public async Task Client_certificate_signed_by_the_ca_authenticates_and_a_foreign_one_gets_401()
    {
        async Task<SandboxHttp.Reply> WithCert(string certPem, string keyPem)
        {
            using var cert = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(certPem, keyPem);
            using var exportable = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12(
                cert.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pkcs12), null);
            var handler = new SocketsHttpHandler();
            handler.SslOptions.ClientCertificates = [exportable];
            handler.SslOptions.RemoteCertificateValidationCallback = (_, c, _, e) => _f.Server.ValidateServerCertificate(c, e);
            using var http = new HttpClient(handler) { BaseAddress = _f.Server.BaseAddress };
            return await http.PostJsonAsync("/apis/authentication.k8s.io/v1/selfsubjectreviews", Obj("""{"kind":"SelfSubjectReview","apiVersion":"authentication.k8s.io/v1"}"""));
        }

        var ok = await WithCert(_f.Server.ClientCertificatePem, _f.Server.ClientKeyPem);
        Assert.Equal(HttpStatusCode.Created, ok.Status);
        Assert.Equal("sandbox-admin", ok.Object.Str("status", "userInfo", "username"));

        var (certPem, keyPem) = _f.Server.IssueClientCertificate("alice", "team-a", "team-b");
        var alice = await WithCert(certPem, keyPem);
        var groups = alice.Object["status"]!["userInfo"]!["groups"]!.AsArray().Select(g => g!.GetValue<string>()).ToList();
        Assert.Equal("alice", alice.Object.Str("status", "userInfo", "username"));
        Assert.Contains("team-a", groups);
        Assert.Contains("team-b", groups);

        await using var other = await SandboxFixture.StartAsync();
        var foreign = await WithCert(other.ClientCertificatePem, other.ClientKeyPem);
        Assert.Equal(HttpStatusCode.Unauthorized, foreign.Status);
    }

    [Fact]
    public async Task Create_sets_metadata_and_a_second_create_is_409_already_exists()
    {
        var ns = _f.NewNamespace();
        var http = Http();
        var r = await http.PostJsonAsync($"/api/v1/namespaces/{ns}/persistentvolumeclaims", Pvc("data-0"));
        Assert.Equal(HttpStatusCode.Created, r.Status);
        var meta = r.Object["metadata"]!;
        Assert.True(Guid.TryParse(meta.Str("uid"), out _));
        Assert.True(long.Parse(meta.Str("resourceVersion")!) > 0);
        Assert.Equal("1", meta.Str("generation"));
        Assert.Matches("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$", meta.Str("creationTimestamp")!);
        Assert.Equal(ns, meta.Str("namespace"));
        Assert.Equal("Pending", r.Object.Str("status", "phase"));

        var again = await http.PostJsonAsync($"/api/v1/namespaces/{ns}/persistentvolumeclaims", Pvc("data-0"));
        AssertStatus(again, 409, "AlreadyExists", "persistentvolumeclaims \"data-0\" already exists");
        Assert.Equal("data-0", again.Object.Str("details", "name"));
        Assert.Equal("persistentvolumeclaims", again.Object.Str("details", "kind"));
    }

    [Fact]
    public async Task ResourceVersion_increases_globally()
    {
        var ns = _f.NewNamespace();
        var http = Http();
        var a = await http.PostJsonAsync($"/api/v1/namespaces/{ns}/configmaps", ConfigMap("a", ns));
        var b = await http.PostJsonAsync($"/api/v1/namespaces/{ns}/persistentvolumeclaims", Pvc("b"));
        Assert.True(long.Parse(b.Object.Str("metadata", "resourceVersion")!) > long.Parse(a.Object.Str("metadata", "resourceVersion")!));
    }

    [Fact]
    public async Task Get_missing_is_404_with_real_wording_including_group()
    {
        var http = Http();
        var r = await http.GetJsonAsync("/api/v1/namespaces/default/persistentvolumeclaims/x");
        AssertStatus(r, 404, "NotFound", "persistentvolumeclaims \"x\" not found");
        Assert.Equal("persistentvolumeclaims", r.Object.Str("details", "kind"));
        var s = await http.GetJsonAsync("/apis/apps/v1/namespaces/default/statefulsets/x");
        AssertStatus(s, 404, "NotFound", "statefulsets.apps \"x\" not found");
        Assert.Equal("apps", s.Object.Str("details", "group"));
        var unknown = await http.GetJsonAsync("/apis/nope.example.com/v1/things");
        AssertStatus(unknown, 404, "NotFound", "the server could not find the requested resource");
    }

    [Fact]
    public async Task Create_in_missing_namespace_is_404_namespace_not_found()
    {
        var r = await Http().PostJsonAsync("/api/v1/namespaces/nowhere/persistentvolumeclaims", Pvc("x"));
        AssertStatus(r, 404, "NotFound", "namespaces \"nowhere\" not found");
    }

    [Fact]
    public async Task Invalid_name_is_422_with_field_causes()
    {
        var r = await Http().PostJsonAsync("/api/v1/namespaces/default/persistentvolumeclaims", Pvc("Bad_Name"));
        Assert.Equal(422, (int)r.Status);
        Assert.Equal("Invalid", r.Object.Str("reason"));
        Assert.StartsWith("PersistentVolumeClaim \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain", r.Object.Str("message"));
        Assert.Equal("PersistentVolumeClaim", r.Object.Str("details", "kind"));
        var cause = r.Object["details"]!["causes"]![0]!;
        Assert.Equal("FieldValueInvalid", cause.Str("reason"));
        Assert.Equal("metadata.name", cause.Str("field"));

        var noModes = Pvc("ok");
        noModes["spec"]!.AsObject().Remove("accessModes");
        var r2 = await Http().PostJsonAsync("/api/v1/namespaces/default/persistentvolumeclaims", noModes);
        Assert.Equal(422, (int)r2.Status);
        Assert.Equal("PersistentVolumeClaim \"ok\" is invalid: spec.accessModes: Required value: at least 1 access mode is required", r2.Object.Str("message"));
    }

    [Fact]
    public async Task Update_with_stale_resourceVersion_is_409_conflict()
    {
        var ns = _f.NewNamespace();
        var http = Http();
        var created = (await http.PostJsonAsync($"/api/v1/namespaces/{ns}/configmaps", ConfigMap("c", ns))).Object;
        var first = (JsonObject)created.DeepClone();
        first["data"] = new JsonObject { ["k"] = "1" };
        var ok = await http.SendAsync("PUT", $"/api/v1/namespaces/{ns}/configmaps/c", first);
        Assert.Equal(HttpStatusCode.OK, ok.Status);
        Assert.NotEqual(created.Str("metadata", "resourceVersion"), ok.Object.Str("metadata", "resourceVersion"));

        var stale = (JsonObject)created.DeepClone();
        stale["data"] = new JsonObject { ["k"] = "2" };
        var r = await http.SendAsync("PUT", $"/api/v1/namespaces/{ns}/configmaps/c", stale);
        AssertStatus(r, 409, "Conflict",
            "Operation cannot be fulfilled on configmaps \"c\": the object has been modified; please apply your changes to the latest version and try again");
    }

    [Fact]
    public async Task Spec_change_bumps_generation_and_status_change_via_subresource_does_not()
    {
        var http = Http();
        if (_f.Server.Get("customresourcedefinitions", null, "knobs.knob.test.io") == null)
            _f.Server.Create(Obj("""
                {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"knobs.knob.test.io"},
                 "spec":{"group":"knob.test.io","scope":"Namespaced","names":{"plural":"knobs","kind":"Knob"},
                 "versions":[{"name":"v1","served":true,"storage":true,"subresources":{"status":{}}}]}}
                """));
        var ns = _f.NewNamespace();
        var path = $"/apis/knob.test.io/v1/namespaces/{ns}/knobs";
        Assert.Equal(HttpStatusCode.Created, (await http.PostJsonAsync(path, Obj("""{"apiVersion":"knob.test.io/v1","kind":"Knob","metadata":{"name":"g"},"spec":{"level":1}}"""))).Status);
        var p = await http.SendAsync("PATCH", $"{path}/g", Obj("""{"spec":{"level":2}}"""), "application/merge-patch+json");
        Assert.Equal("2", p.Object.Str("metadata", "generation"));
        var s = await http.SendAsync("PATCH", $"{path}/g/status", Obj("""{"status":{"phase":"Lost"}}"""), "application/merge-patch+json");
        Assert.Equal("2", s.Object.Str("metadata", "generation"));
        Assert.Equal("Lost", s.Object.Str("status", "phase"));
        // A status change through the main resource is ignored, as for every kind with a status subresource.
        var ignored = await http.SendAsync("PATCH", $"{path}/g", Obj("""{"status":{"phase":"Bound"}}"""), "application/merge-patch+json");
        Assert.Equal("Lost", ignored.Object.Str("status", "phase"));
        Assert.Equal("2", ignored.Object.Str("metadata", "generation"));
    }

    [Fact]
    public async Task Pending_claim_spec_is_immutable()
    {
        var ns = _f.NewNamespace();
        var http = Http();
        await http.PostJsonAsync($"/api/v1/namespaces/{ns}/persistentvolumeclaims", Pvc("p", storageClass: "no-such-class"));
        var r = await http.SendAsync("PATCH", $"/api/v1/namespaces/{ns}/persistentvolumeclaims/p",
            Obj("""{"spec":{"resources":{"requests":{"storage":"2Gi"}}}}"""), "application/merge-patch+json");
        Assert.Equal(422, (int)r.Status);
        Assert.Equal("PersistentVolumeClaim \"p\" is invalid: spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims", r.Object.Str("message"));
    }

    [Fact]
    public async Task Merge_patch_null_deletes_a_key()
    {
        var ns = _f.NewNamespace();
        var http = Http();
        await http.PostJsonAsync($"/api/v1/namespaces/{ns}/configmaps", ConfigMap("m", ns, new JsonObject { ["a"] = "1", ["b"] = "2" }));
        var r = await http.SendAsync("PATCH", $"/api/v1/namespaces/{ns}/configmaps/m", Obj("""{"metadata":{"labels":{"a":null,"c":"3"}}}"""), "application/merge-patch+json");
        var labels = r.Object["metadata"]!["labels"]!.AsObject();
        Assert.False(labels.ContainsKey("a"));
        Assert.Equal("2", labels.Str("b"));
        Assert.Equal("3", labels.Str("c"));
    }

    [Fact]
    public async Task Json_patch_applies_operations_and_a_failed_test_is_rejected()
    {
        var ns = _f.NewNamespace();
        var http = Http();
        await http.PostJsonAsync($"/api/v1/namespaces/{ns}/configmaps", ConfigMap("j", ns, data: new JsonObject { ["x"] = "1" }));
        var r = await http.SendAsync("PATCH", $"/api/v1/namespaces/{ns}/configmaps/j",
            """[{"op":"test","path":"/data/x","value":"1"},{"op":"replace","path":"/data/x","value":"2"},{"op":"add","path":"/data/y","value":"3"},{"op":"remove","path":"/data/x"}]""",
            "application/json-patch+json");
        Assert.Equal(HttpStatusCode.OK, r.Status);
        Assert.Null(r.Object["data"]!["x"]);
        Assert.Equal("3", r.Object.Str("data", "y"));
        var failed = await http.SendAsync("PATCH", $"/api/v1/namespaces/{ns}/configmaps/j", """[{"op":"test","path":"/data/y","value":"nope"}]""", "application/json-patch+json");
        Assert.Equal(422, (int)failed.Status);
        Assert.Equal("Status", failed.Object.Str("kind"));
    }

    [Fact]
    public async Task Strategic_merge_patch_merges_containers_by_name()
    {
        var ns = _f.NewNamespace();
        var http = Http();
        var pod = Obj("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"__NS__"},"spec":{"containers":[{"name":"a","image":"a:1"},{"name":"b","image":"b:1"}]}}""".Replace("__NS__", ns));
        Assert.Equal(HttpStatusCode.Created, (await http.PostJsonAsync($"/api/v1/namespaces/{ns}/pods", pod)).Status);
        var r = await http.SendAsync("PATCH", $"/api/v1/namespaces/{ns}/pods/p", Obj("""{"spec":{"containers":[{"name":"b","image":"b:2"}]}}"""), "application/strategic-merge-patch+json");
        var containers = r.Object["spec"]!["containers"]!.AsArray();
        Assert.Equal(2, containers.Count);
        Assert.Equal("a:1", containers[0].Str("image"));
        Assert.Equal("b:2", containers[1].Str("image"));
    }

    [Fact]
    public async Task Unsupported_patch_type_is_415()
    {
        var r = await Http().SendAsync("PATCH", "/api/v1/namespaces/default/configmaps/whatever", "{}", "text/plain");
        Assert.Equal(415, (int)r.Status);
        Assert.Equal("UnsupportedMediaType", r.Object.Str("reason"));
    }

    [Fact]
    public async Task Finalizer_keeps_a_deleted_object_until_it_is_removed()
    {
        var ns = _f.NewNamespace();
        var http = Http();
        var cm = ConfigMap("f", ns);
        cm["metadata"]!["finalizers"] = new JsonArray("example.com/hold");
        await http.PostJsonAsync($"/api/v1/namespaces/{ns}/configmaps", cm);
        var del = await http.SendAsync("DELETE", $"/api/v1/namespaces/{ns}/configmaps/f");
        Assert.Equal(HttpStatusCode.OK, del.Status);
        var still = await http.GetJsonAsync($"/api/v1/namespaces/{ns}/configmaps/f");
        Assert.Equal(HttpStatusCode.OK, still.Status);
        Assert.NotNull(still.Object["metadata"]!["deletionTimestamp"]);
        await http.SendAsync("PATCH", $"/api/v1/namespaces/{ns}/configmaps/f", Obj("""{"metadata":{"finalizers":null}}"""), "application/merge-patch+json");
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetJsonAsync($"/api/v1/namespaces/{ns}/configmaps/f")).Status);
    }

    [Fact]
    public async Task Deleting_an_owner_garbage_collects_dependents_unless_orphaned()
    {
        var ns = _f.NewNamespace();
        var http = Http();
        async Task<string> Make(string name, string? ownerUid = null)
        {
            var cm = ConfigMap(name, ns);
            if (ownerUid != null)
                cm["metadata"]!["ownerReferences"] = new JsonArray(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["name"] = "owner", ["uid"] = ownerUid });
            return (await http.PostJsonAsync($"/api/v1/namespaces/{ns}/configmaps", cm)).Object.Str("metadata", "uid")!;
        }

        var owner = await Make("owner");
        await Make("child", owner);
        var grandchildOwner = await Make("child2", owner);
        await Make("grandchild", grandchildOwner);
        await http.SendAsync("DELETE", $"/api/v1/namespaces/{ns}/configmaps/owner", Obj("""{"propagationPolicy":"Background"}"""));
        foreach (var n in new[] { "owner", "child", "child2", "grandchild" })
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetJsonAsync($"/api/v1/namespaces/{ns}/configmaps/{n}")).Status);

        var owner2 = await Make("owner2");
        await Make("kept", owner2);
        await http.SendAsync("DELETE", $"/api/v1/namespaces/{ns}/configmaps/owner2", Obj("""{"propagationPolicy":"Orphan"}"""));
        var kept = await http.GetJsonAsync($"/api/v1/namespaces/{ns}/configmaps/kept");
        Assert.Equal(HttpStatusCode.OK, kept.Status);
        Assert.Null(kept.Object["metadata"]!["ownerReferences"]);
    }

    [Fact]
    public async Task Delete_preconditions_mismatch_is_409()
    {
        var ns = _f.NewNamespace();
        var http = Http();
        await http.PostJsonAsync($"/api/v1/namespaces/{ns}/configmaps", ConfigMap("pc", ns));
        var r = await http.SendAsync("DELETE", $"/api/v1/namespaces/{ns}/configmaps/pc", Obj("""{"preconditions":{"uid":"00000000-0000-0000-0000-000000000000"}}"""));
        Assert.Equal(409, (int)r.Status);
        Assert.Contains("Precondition failed: UID in precondition", r.Object.Str("message"));
    }

    [Fact]
    public async Task Label_selectors_support_every_operator()
    {
        var ns = _f.NewNamespace();
        var http = Http();
        await http.PostJsonAsync($"/api/v1/namespaces/{ns}/configmaps", ConfigMap("a", ns, new JsonObject { ["tier"] = "db", ["env"] = "prod" }));
        await http.PostJsonAsync($"/api/v1/namespaces/{ns}/configmaps", ConfigMap("b", ns, new JsonObject { ["tier"] = "web", ["env"] = "dev" }));
        await http.PostJsonAsync($"/api/v1/namespaces/{ns}/configmaps", ConfigMap("c", ns, new JsonObject { ["tier"] = "cache" }));

        async Task<string> Names(string selector)
        {
            var r = await http.GetJsonAsync($"/api/v1/namespaces/{ns}/configmaps?labelSelector={Uri.EscapeDataString(selector)}");
            Assert.Equal(HttpStatusCode.OK, r.Status);
            return string.Join(",", r.Object["items"]!.AsArray().Select(i => i.Str("metadata", "name")));
        }

        Assert.Equal("a", await Names("tier=db"));
        Assert.Equal("a", await Names("tier==db"));
        Assert.Equal("b,c", await Names("tier!=db"));
        Assert.Equal("a,b", await Names("tier in (db,web)"));
        Assert.Equal("c", await Names("tier notin (db,web)"));
        Assert.Equal("a,b", await Names("env"));
        Assert.Equal("c", await Names("!env"));
        Assert.Equal("b", await Names("env,tier notin (db)"));
    }

    [Fact]
    public async Task Field_selectors_match_name_namespace_and_pod_phase_and_reject_unknown_fields()
    {
        var ns = _f.NewNamespace();
        var http = Http();
        await http.PostJsonAsync($"/api/v1/namespaces/{ns}/configmaps", ConfigMap("one", ns));
        await http.PostJsonAsync($"/api/v1/namespaces/{ns}/configmaps", ConfigMap("two", ns));
        var r = await http.GetJsonAsync($"/api/v1/configmaps?fieldSelector={Uri.EscapeDataString($"metadata.name=two,metadata.namespace={ns}")}");
        Assert.Equal("two", Assert.Single(r.Object["items"]!.AsArray()).Str("metadata", "name"));
        var not = await http.GetJsonAsync($"/api/v1/namespaces/{ns}/configmaps?fieldSelector={Uri.EscapeDataString("metadata.name!=two")}");
        Assert.Equal("one", Assert.Single(not.Object["items"]!.AsArray()).Str("metadata", "name"));

        _f.Server.Create(Obj("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"run","namespace":"__NS__","annotations":{"sandbox.clusterops.io/fail":"Unschedulable"}},"spec":{"containers":[{"name":"c","image":"x"}]},"status":{"phase":"Pending"}}""".Replace("__NS__", ns)));
        var pods = await http.GetJsonAsync($"/api/v1/namespaces/{ns}/pods?fieldSelector=status.phase%3DPending");
        Assert.Equal("run", Assert.Single(pods.Object["items"]!.AsArray()).Str("metadata", "name"));
        var none = await http.GetJsonAsync($"/api/v1/namespaces/{ns}/pods?fieldSelector=status.phase%3DRunning");
        Assert.Empty(none.Object["items"]!.AsArray());

        var bad = await http.GetJsonAsync($"/api/v1/namespaces/{ns}/configmaps?fieldSelector=data.x%3D1");
        AssertStatus(bad, 400, "BadRequest", "field label not supported: data.x");
    }

    [Fact]
    public async Task List_pages_with_limit_and_continue_and_reports_remaining()
    {
        var ns = _f.NewNamespace();
        var http = Http();
        for (var i = 0; i < 7; i++) await http.PostJsonAsync($"/api/v1/namespaces/{ns}/configmaps", ConfigMap($"cm-{i}", ns));
        var names = new List<string>();
        string? cont = null;
        var pages = 0;
        do
        {
            var r = await http.GetJsonAsync($"/api/v1/namespaces/{ns}/configmaps?limit=3" + (cont != null ? "&continue=" + Uri.EscapeDataString(cont) : ""));
            Assert.Equal("ConfigMapList", r.Object.Str("kind"));
            names.AddRange(r.Object["items"]!.AsArray().Select(i => i.Str("metadata", "name")!));
            cont = r.Object.Str("metadata", "continue");
            if (pages == 0) Assert.Equal("4", r.Object.Str("metadata", "remainingItemCount"));
            pages++;
        } while (!string.IsNullOrEmpty(cont));
        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"cm-{i}"), names);
    }

    [Fact]
    public async Task Continue_token_expires_after_compaction_with_410()
    {
        await using var server = await SandboxFixture.StartAsync();
        var http = server.CreateHttpClient();
        for (var i = 0; i < 3; i++) server.Create(ConfigMap($"c{i}", "default"));
        var first = await http.GetJsonAsync("/api/v1/namespaces/default/configmaps?limit=1");
        var cont = first.Object.Str("metadata", "continue")!;
        server.Faults.Compact();
        var r = await http.GetJsonAsync("/api/v1/namespaces/default/configmaps?limit=1&continue=" + Uri.EscapeDataString(cont));
        Assert.Equal(410, (int)r.Status);
        Assert.Equal("Expired", r.Object.Str("reason"));
        Assert.Equal("Status", r.Object.Str("kind"));
    }

    [Fact]
    public async Task Scale_subresource_reads_patches_and_accepts_put_without_content_type()
    {
        var ns = _f.NewNamespace();
        var http = Http();
        var sts = Obj("""{"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"s","namespace":"__NS__"},"spec":{"replicas":2,"serviceName":"s","selector":{"matchLabels":{"app":"s"}},"template":{"metadata":{"labels":{"app":"s"}},"spec":{"containers":[{"name":"c","image":"x"}]}}}}""".Replace("__NS__", ns));
        Assert.Equal(HttpStatusCode.Created, (await http.PostJsonAsync($"/apis/apps/v1/namespaces/{ns}/statefulsets", sts)).Status);
        var scale = await http.GetJsonAsync($"/apis/apps/v1/namespaces/{ns}/statefulsets/s/scale");
        Assert.Equal("Scale", scale.Object.Str("kind"));
        Assert.Equal("autoscaling/v1", scale.Object.Str("apiVersion"));
        Assert.Equal("2", scale.Object.Str("spec", "replicas"));
        Assert.Equal("app=s", scale.Object.Str("status", "selector"));

        var patched = await http.SendAsync("PATCH", $"/apis/apps/v1/namespaces/{ns}/statefulsets/s/scale", Obj("""{"spec":{"replicas":0}}"""), "application/merge-patch+json");
        Assert.Equal("0", patched.Object.Str("spec", "replicas"));

        // The controllers may update status between our GET and PUT (a 409, as on a real cluster): retry from a fresh read.
        JsonObject put = null!;
        SandboxHttp.Reply r = null!;
        for (var attempt = 0; attempt < 10; attempt++)
        {
            put = (await http.GetJsonAsync($"/apis/apps/v1/namespaces/{ns}/statefulsets/s/scale")).Object;
            put["spec"]!["replicas"] = 4;
            r = await http.SendAsync("PUT", $"/apis/apps/v1/namespaces/{ns}/statefulsets/s/scale", put, contentType: "");
            if (r.Status != HttpStatusCode.Conflict) break;
        }
        Assert.Equal(HttpStatusCode.OK, r.Status);
        Assert.Equal(4, _f.Server.Get("statefulsets.apps", ns, "s")!["spec"]!["replicas"]!.GetValue<long>());

        var stale = await http.SendAsync("PUT", $"/apis/apps/v1/namespaces/{ns}/statefulsets/s/scale", put, contentType: "");
        Assert.Equal(409, (int)stale.Status);
    }

    [Fact]
    public async Task Crd_serves_its_resource_with_status_subresource_until_deleted()
    {
        var http = Http();
        var crd = Obj("""
            {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"gadgets.test.io"},
             "spec":{"group":"test.io","scope":"Cluster","names":{"plural":"gadgets","singular":"gadget","kind":"Gadget"},
             "versions":[{"name":"v1","served":true,"storage":true,"subresources":{"status":{}},"schema":{"openAPIV3Schema":{"type":"object"}}}]}}
            """);
        Assert.Equal(HttpStatusCode.Created, (await http.PostJsonAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd)).Status);
        var established = await http.GetJsonAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.test.io");
        Assert.Contains(established.Object["status"]!["conditions"]!.AsArray(), c => c.Str("type") == "Established" && c.Str("status") == "True");

        var disc = await http.GetJsonAsync("/apis/test.io/v1");
        Assert.Contains(disc.Object["resources"]!.AsArray(), r => r.Str("name") == "gadgets" && r.Str("namespaced") == "false");
        Assert.Contains(disc.Object["resources"]!.AsArray(), r => r.Str("name") == "gadgets/status");

        var g = Obj("""{"apiVersion":"test.io/v1","kind":"Gadget","metadata":{"name":"g1"},"spec":{"x":1},"status":{"ready":true}}""");
        var created = await http.PostJsonAsync("/apis/test.io/v1/gadgets", g);
        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Null(created.Object["status"]);
        var st = await http.SendAsync("PATCH", "/apis/test.io/v1/gadgets/g1/status", Obj("""{"status":{"ready":true}}"""), "application/merge-patch+json");
        Assert.Equal("true", st.Object.Str("status", "ready"));
        var smp = await http.SendAsync("PATCH", "/apis/test.io/v1/gadgets/g1", Obj("""{"spec":{"x":2}}"""), "application/strategic-merge-patch+json");
        Assert.Equal(415, (int)smp.Status);

        await http.SendAsync("DELETE", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.test.io");
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetJsonAsync("/apis/test.io/v1/gadgets")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetJsonAsync("/apis/test.io/v1")).Status);
    }

    [Fact]
    public async Task Crd_with_mismatched_name_is_422()
    {
        var crd = Obj("""
            {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"wrong.test.io"},
             "spec":{"group":"test.io","scope":"Namespaced","names":{"plural":"things","kind":"Thing"},
             "versions":[{"name":"v1","served":true,"storage":true}]}}
            """);
        var r = await Http().PostJsonAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd);
        Assert.Equal(422, (int)r.Status);
        Assert.Equal("metadata.name", r.Object["details"]!["causes"]![0].Str("field"));
    }

    [Fact]
    public async Task Deleting_a_namespace_deletes_its_contents()
    {
        var ns = _f.NewNamespace();
        var http = Http();
        await http.PostJsonAsync($"/api/v1/namespaces/{ns}/configmaps", ConfigMap("x", ns));
        await http.SendAsync("DELETE", $"/api/v1/namespaces/{ns}");
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetJsonAsync($"/api/v1/namespaces/{ns}")).Status);
        Assert.Empty(_f.Server.List("configmaps", ns));
    }

    [Fact]
    public async Task Discovery_lists_core_and_group_resources_with_subresources()
    {
        var http = Http();
        var api = await http.GetJsonAsync("/api");
        Assert.Equal("APIVersions", api.Object.Str("kind"));
        var core = await http.GetJsonAsync("/api/v1");
        var names = core.Object["resources"]!.AsArray().Select(r => r.Str("name")).ToList();
        foreach (var n in new[] { "namespaces", "pods", "services", "secrets", "configmaps", "serviceaccounts", "events", "persistentvolumeclaims", "persistentvolumes", "pods/status" })
            Assert.Contains(n, names);
        var groups = await http.GetJsonAsync("/apis");
        var groupNames = groups.Object["groups"]!.AsArray().Select(g => g.Str("name")).ToList();
        foreach (var g in new[] { "apps", "batch", "storage.k8s.io", "rbac.authorization.k8s.io", "apiextensions.k8s.io", "authentication.k8s.io" })
            Assert.Contains(g, groupNames);
        var apps = await http.GetJsonAsync("/apis/apps/v1");
        var scale = apps.Object["resources"]!.AsArray().Single(r => r.Str("name") == "statefulsets/scale");
        Assert.Equal("autoscaling", scale.Str("group"));
        Assert.Equal("Scale", scale.Str("kind"));
    }

    [Fact]
    public async Task Openapi_v3_declares_field_validation_on_patch_for_each_kind()
    {
        var http = Http();
        var root = await http.GetJsonAsync("/openapi/v3");
        var url = root.Object["paths"]!["api/v1"].Str("serverRelativeURL")!;
        var doc = await http.GetJsonAsync(url);
        var patch = doc.Object["paths"]!["/api/v1/namespaces/{namespace}/persistentvolumeclaims/{name}"]!["patch"]!;
        Assert.Contains(patch["parameters"]!.AsArray(), p => p.Str("name") == "fieldValidation");
        Assert.Equal("PersistentVolumeClaim", patch["x-kubernetes-group-version-kind"].Str("kind"));
    }

    [Fact]
    public void Kubeconfig_is_private_and_points_at_the_server()
    {
        var text = File.ReadAllText(_f.KubeConfigPath);
        Assert.Contains($"server: https://127.0.0.1:{_f.Server.BaseAddress.Port}", text);
        Assert.Contains("certificate-authority-data:", text);
        Assert.Contains($"token: {_f.Server.Token}", text);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_f.KubeConfigPath));
    }

    [Fact]
    public async Task Library_apply_creates_then_merges_yaml_documents()
    {
        var ns = _f.NewNamespace();
        var yaml = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: y
              namespace: __NS__
            data:
              a: "1"
              port: "8080"
            ---
            apiVersion: v1
            kind: Secret
            metadata:
              name: s
              namespace: __NS__
            stringData:
              password: hunter2
            """.Replace("__NS__", ns);
        var created = _f.Server.Apply(yaml);
        Assert.Equal(2, created.Count);
        Assert.Equal("Opaque", created[1].Str("type"));
        Assert.Equal(Convert.ToBase64String("hunter2"u8.ToArray()), created[1].Str("data", "password"));
        _f.Server.Apply($"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: y, namespace: {ns}}}\ndata: {{b: '2'}}\n");
        var merged = _f.Server.Get("cm", ns, "y")!;
        Assert.Equal("1", merged.Str("data", "a"));
        Assert.Equal("2", merged.Str("data", "b"));
        var r = await Http().GetJsonAsync($"/api/v1/namespaces/{ns}/configmaps/y");
        Assert.Equal("2", r.Object.Str("data", "b"));
    }
}
