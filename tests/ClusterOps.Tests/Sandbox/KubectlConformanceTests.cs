using System.Text.Json.Nodes;
using static ClusterOps.Tests.Sandbox.SandboxHttp;

namespace ClusterOps.Tests.Sandbox;

/// <summary>
/// The real kubectl (1.32 through the machine's dispatcher) against the sandbox: if these pass, the sandbox speaks
/// the API the way kubectl expects. Each test uses its own namespace and a fresh discovery cache.
/// </summary>
public sealed class KubectlConformanceTests : IClassFixture<SandboxFixture>
{
    private readonly SandboxFixture _f;

    public KubectlConformanceTests(SandboxFixture f) => _f = f;

    private Kubectl NewKubectl() => new(_f.KubeConfigPath);

    private static string[] Header(Kubectl.Result r) =>
        System.Text.RegularExpressions.Regex.Split(r.Lines[0].Trim(), "\\s{2,}");

    [Fact]
    public async Task Version_selects_the_1_32_client()
    {
        using var k = NewKubectl();
        var r = (await k.RunAsync("version")).ShouldSucceed();
        Assert.Contains("Server Version: v1.32.0", r.Stdout);
    }

    [Fact]
    public async Task Api_resources_lists_built_in_kinds()
    {
        using var k = NewKubectl();
        var r = (await k.RunAsync("api-resources")).ShouldSucceed();
        Assert.Contains(r.Lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, "^statefulsets\\s+sts\\s+apps/v1\\s+true\\s+StatefulSet"));
        Assert.Contains(r.Lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, "^persistentvolumeclaims\\s+pvc\\s+v1\\s+true\\s+PersistentVolumeClaim"));
        Assert.Contains(r.Lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, "^storageclasses\\s+sc\\s+storage.k8s.io/v1\\s+false\\s+StorageClass"));
    }

    [Fact]
    public async Task Get_pvc_prints_the_real_columns_and_wide_adds_volume_mode()
    {
        var ns = _f.NewNamespace();
        var bound = Pvc("data-0", ns, storageClass: "standard");
        bound["spec"]!["volumeName"] = "pv-data-0";
        bound["status"] = Obj("""{"phase":"Bound","capacity":{"storage":"1Gi"},"accessModes":["ReadWriteOnce"]}""");
        _f.Server.Create(bound);
        using var k = NewKubectl();
        var r = (await k.RunAsync("get", "pvc", "-n", ns)).ShouldSucceed();
        Assert.Equal(["NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS MODES", "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "AGE"], Header(r));
        Assert.Matches("^data-0\\s+Bound\\s+pv-data-0\\s+1Gi\\s+RWO\\s+standard\\s+<unset>\\s+\\d+s", r.Lines[1]);
        var wide = (await k.RunAsync("get", "pvc", "-n", ns, "-o", "wide")).ShouldSucceed();
        Assert.Equal("VOLUMEMODE", Header(wide)[^1]);
        Assert.EndsWith("Filesystem", wide.Lines[1].TrimEnd());
    }

    [Fact]
    public async Task Get_pods_all_namespaces_prints_namespace_from_row_objects()
    {
        var ns = _f.NewNamespace();
        _f.Server.Create(Obj("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p1","namespace":"__NS__","labels":{"app":"a"}},"spec":{"containers":[{"name":"c","image":"x"}]},
             "status":{"phase":"Running","containerStatuses":[{"name":"c","ready":true,"restartCount":0,"image":"x","imageID":"","state":{"running":{}}}]}}
            """.Replace("__NS__", ns)));
        using var k = NewKubectl();
        var r = (await k.RunAsync("get", "pods", "-A", "--show-labels")).ShouldSucceed();
        Assert.Equal(["NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "AGE", "LABELS"], Header(r));
        Assert.Contains(r.Lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, $"^{ns}\\s+p1\\s+1/1\\s+Running\\s+0\\s+\\S+\\s+app=a$"));
    }

    [Fact]
    public async Task Create_with_default_validation_then_again_reports_already_exists()
    {
        var ns = _f.NewNamespace();
        using var k = NewKubectl();
        var yaml = """
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata:
              name: claim
              namespace: __NS__
            spec:
              accessModes: [ReadWriteOnce]
              resources: {requests: {storage: 1Gi}}
            """.Replace("__NS__", ns);
        var r = (await k.RunWithInputAsync(yaml, "create", "-f", "-")).ShouldSucceed();
        Assert.Equal("persistentvolumeclaim/claim created", r.Stdout.Trim());
        var again = await k.RunWithInputAsync(yaml, "create", "-f", "-");
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("Error from server (AlreadyExists): error when creating \"STDIN\": persistentvolumeclaims \"claim\" already exists", again.Stderr);
    }

    [Fact]
    public async Task Delete_waits_for_the_object_to_go_and_missing_is_not_found()
    {
        var ns = _f.NewNamespace();
        _f.Server.Create(Pvc("gone", ns));
        using var k = NewKubectl();
        var r = (await k.RunAsync("delete", "pvc", "gone", "-n", ns)).ShouldSucceed();
        Assert.Equal("persistentvolumeclaim \"gone\" deleted", r.Stdout.Trim());
        Assert.Null(_f.Server.Get("pvc", ns, "gone"));
        var missing = await k.RunAsync("delete", "pvc", "gone", "-n", ns);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("Error from server (NotFound): persistentvolumeclaims \"gone\" not found", missing.Stderr);
    }

    [Fact]
    public async Task Delete_with_a_finalizer_completes_when_the_finalizer_is_removed()
    {
        var ns = _f.NewNamespace();
        var cm = ConfigMap("held", ns);
        cm["metadata"]!["finalizers"] = new JsonArray("example.com/hold");
        _f.Server.Create(cm);
        using var k = NewKubectl();
        var deleting = k.RunAsync("delete", "configmap", "held", "-n", ns, "--timeout=30s");
        await Task.Delay(1500);
        Assert.NotNull(_f.Server.Get("cm", ns, "held")!["metadata"]!["deletionTimestamp"]);
        _f.Server.Patch("cm", ns, "held", Obj("""{"metadata":{"finalizers":null}}"""));
        var r = (await deleting).ShouldSucceed();
        Assert.Equal("configmap \"held\" deleted", r.Stdout.Trim());
    }

    [Fact]
    public async Task Scale_statefulset_updates_replicas()
    {
        var ns = _f.NewNamespace();
        _f.Server.Create(Obj("""{"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"db","namespace":"__NS__"},"spec":{"replicas":1,"serviceName":"db","selector":{"matchLabels":{"app":"db"}},"template":{"metadata":{"labels":{"app":"db"}},"spec":{"containers":[{"name":"c","image":"x"}]}}}}""".Replace("__NS__", ns)));
        using var k = NewKubectl();
        var r = (await k.RunAsync("scale", "statefulset", "db", "-n", ns, "--replicas=0")).ShouldSucceed();
        Assert.Equal("statefulset.apps/db scaled", r.Stdout.Trim());
        Assert.Equal(0, _f.Server.Get("sts", ns, "db")!["spec"]!["replicas"]!.GetValue<long>());
        // --current-replicas makes kubectl GET then PUT the Scale; let the controllers settle so status writes do not race it.
        for (var i = 0; i < 200 && _f.Server.Get("sts", ns, "db")!["status"]?["replicas"]?.GetValue<long>() != 0; i++) await Task.Delay(25);
        await Task.Delay(200);
        (await k.RunAsync("scale", "statefulset", "db", "-n", ns, "--replicas=2", "--current-replicas=0")).ShouldSucceed();
        Assert.Equal(2, _f.Server.Get("sts", ns, "db")!["spec"]!["replicas"]!.GetValue<long>());
    }

    [Fact]
    public async Task Label_adds_and_removes_labels()
    {
        var ns = _f.NewNamespace();
        _f.Server.Create(Pvc("lab", ns));
        using var k = NewKubectl();
        Assert.Equal("persistentvolumeclaim/lab labeled", (await k.RunAsync("label", "pvc", "lab", "-n", ns, "tier=gold")).ShouldSucceed().Stdout.Trim());
        Assert.Equal("gold", _f.Server.Get("pvc", ns, "lab").Str("metadata", "labels", "tier"));
        Assert.Equal("persistentvolumeclaim/lab unlabeled", (await k.RunAsync("label", "pvc", "lab", "-n", ns, "tier-")).ShouldSucceed().Stdout.Trim());
        Assert.Null(_f.Server.Get("pvc", ns, "lab")!["metadata"]!["labels"]?["tier"]);
    }

    [Fact]
    public async Task Wait_for_condition_ready_completes_when_the_pod_becomes_ready()
    {
        var ns = _f.NewNamespace();
        _f.Server.Create(Obj("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"slow","namespace":"__NS__","annotations":{"sandbox.clusterops.io/fail":"Unschedulable"}},"spec":{"containers":[{"name":"c","image":"x"}]},"status":{"phase":"Pending"}}""".Replace("__NS__", ns)));
        using var k = NewKubectl();
        var waiting = k.RunAsync("wait", "--for=condition=Ready", "pod/slow", "-n", ns, "--timeout=30s");
        await Task.Delay(1500);
        _f.Server.Patch("pod", ns, "slow", Obj("""{"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}}"""), status: true);
        var r = (await waiting).ShouldSucceed();
        Assert.Equal("pod/slow condition met", r.Stdout.Trim());
    }

    [Fact]
    public async Task Get_watch_receives_events_until_the_request_timeout()
    {
        var ns = _f.NewNamespace();
        _f.Server.Create(ConfigMap("first", ns));
        using var k = NewKubectl();
        var watching = k.RunAsync("get", "configmaps", "-n", ns, "-w", "--request-timeout=6s");
        await Task.Delay(2500);
        _f.Server.Create(ConfigMap("second", ns));
        var r = await watching;
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(["NAME", "DATA", "AGE"], Header(r));
        Assert.Contains(r.Lines, l => l.StartsWith("first ", StringComparison.Ordinal));
        Assert.Contains(r.Lines, l => l.StartsWith("second ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Crd_then_custom_object_with_printer_columns()
    {
        var ns = _f.NewNamespace();
        using var k = NewKubectl();
        var crd = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: backups.kubectl.test}
            spec:
              group: kubectl.test
              scope: Namespaced
              names: {plural: backups, singular: backup, kind: Backup, shortNames: [bk]}
              versions:
              - name: v1
                served: true
                storage: true
                schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
                subresources: {status: {}}
                additionalPrinterColumns:
                - {name: Target, type: string, jsonPath: .spec.target}
                - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}
            """;
        Assert.Equal("customresourcedefinition.apiextensions.k8s.io/backups.kubectl.test created", (await k.RunWithInputAsync(crd, "create", "-f", "-")).ShouldSucceed().Stdout.Trim());
        var obj = """
            apiVersion: kubectl.test/v1
            kind: Backup
            metadata: {name: nightly, namespace: __NS__}
            spec: {target: mysql}
            """.Replace("__NS__", ns);
        Assert.Equal("backup.kubectl.test/nightly created", (await k.RunWithInputAsync(obj, "create", "-f", "-")).ShouldSucceed().Stdout.Trim());
        var r = (await k.RunAsync("get", "bk", "-n", ns)).ShouldSucceed();
        Assert.Equal(["NAME", "TARGET", "AGE"], Header(r));
        Assert.Matches("^nightly\\s+mysql\\s+\\d+s$", r.Lines[1].TrimEnd());
    }

    [Fact]
    public async Task Auth_whoami_reports_the_kubeconfig_user()
    {
        using var k = NewKubectl();
        var r = (await k.RunAsync("auth", "whoami")).ShouldSucceed();
        Assert.Matches("Username\\s+sandbox-admin", r.Stdout);
    }

    [Fact]
    public async Task Client_certificate_kubeconfig_is_accepted()
    {
        await using var server = await SandboxFixture.StartAsync(new ClusterOps.Sandbox.SandboxOptions { Auth = ClusterOps.Sandbox.SandboxAuthMode.Cert });
        Assert.DoesNotContain("token:", await File.ReadAllTextAsync(server.KubeConfigPath));
        using var k = new Kubectl(server.KubeConfigPath);
        var r = (await k.RunAsync("get", "namespaces")).ShouldSucceed();
        Assert.Contains(r.Lines, l => l.StartsWith("kube-system ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tls_server_name_lets_kubectl_reach_a_server_certified_only_for_a_dns_name()
    {
        await using var server = await SandboxFixture.StartAsync(new ClusterOps.Sandbox.SandboxOptions
        {
            ServerCertificateDnsNames = ["kube.internal"],
            IncludeIpAddressSan = false,
        });
        using var k = new Kubectl(server.KubeConfigPath);
        var plain = await k.RunAsync("get", "namespaces");
        Assert.NotEqual(0, plain.ExitCode);
        Assert.Contains("certificate", plain.Stderr);
        var named = (await k.RunAsync("get", "namespaces", "--tls-server-name=kube.internal")).ShouldSucceed();
        Assert.Contains(named.Lines, l => l.StartsWith("default ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Generator_commands_sending_protobuf_are_understood()
    {
        using var k = NewKubectl();
        var ns = $"gen-{Guid.NewGuid():N}"[..20];
        Assert.Equal($"namespace/{ns} created", (await k.RunAsync("create", "namespace", ns)).ShouldSucceed().Stdout.Trim());
        var file = Path.Combine(Path.GetTempPath(), $"sandbox-{Guid.NewGuid():N}.properties");
        await File.WriteAllTextAsync(file, "zone.count=1\n");
        try
        {
            (await k.RunAsync("create", "secret", "generic", "cluster-property", $"--from-file={file}", "--from-literal=mode=single", "-n", ns)).ShouldSucceed();
        }
        finally
        {
            File.Delete(file);
        }
        var secret = _f.Server.Get("secret", ns, "cluster-property")!;
        Assert.Equal(Convert.ToBase64String("zone.count=1\n"u8.ToArray()), secret.Str("data", Path.GetFileName(file)));
        Assert.Equal(Convert.ToBase64String("single"u8.ToArray()), secret.Str("data", "mode"));
        Assert.Equal("Opaque", secret.Str("type"));
        (await k.RunAsync("create", "configmap", "settings", "--from-literal=a=b", "-n", ns)).ShouldSucceed();
        Assert.Equal("b", _f.Server.Get("cm", ns, "settings").Str("data", "a"));
        (await k.RunAsync("create", "deployment", "web", "--image=nginx:1.27", "--replicas=2", "--port=80", "-n", ns)).ShouldSucceed();
        var d = _f.Server.Get("deploy", ns, "web")!;
        Assert.Equal("2", d.Str("spec", "replicas"));
        Assert.Equal("nginx:1.27", d["spec"]!["template"]!["spec"]!["containers"]![0].Str("image"));
        Assert.Equal("80", d["spec"]!["template"]!["spec"]!["containers"]![0]!["ports"]![0].Str("containerPort"));
        Assert.Equal("web", d.Str("spec", "selector", "matchLabels", "app"));
        (await k.RunAsync("rollout", "status", "deployment/web", "-n", ns, "--timeout=30s")).ShouldSucceed();
    }
}
