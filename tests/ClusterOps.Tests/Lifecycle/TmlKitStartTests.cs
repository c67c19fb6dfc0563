using System.Text;
using ClusterOps.Core.Common;
using ClusterOps.Core.Lifecycle;
using ClusterOps.Tests.Infrastructure;

namespace ClusterOps.Tests.Lifecycle;

/// <summary>
/// Starting a cluster from the TIBCO kit directory (-DefinitionPath) on the sandbox `tml` scenario: after the kit's own
/// stop-tml-cluster.sh (which deletes secrets, workloads and services and keeps the claims), and after our stops.
/// </summary>
public sealed class TmlKitStartTests : IAsyncLifetime
{
    private readonly TmlSandbox _sb = new();
    private readonly string _kit = ClusterKitTests.CopyExampleKit();
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    public Task InitializeAsync() => _sb.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _sb.DisposeAsync();
        Directory.Delete(Path.GetDirectoryName(_kit)!, recursive: true);
    }

    private ClusterLifecycle Lifecycle => new(_sb.Api);

    private static List<LifecycleStepRecord> Steps(RecordingOperationContext ctx) => ctx.InformationOf<LifecycleStepRecord>().ToList();

    /// <summary>
    /// What stop-tml-cluster.sh does (undeploy-*-pod.sh in the order cm, tm, cache, sql, log, nosql: the component's
    /// secrets, then `kubectl delete -f <x>-pod-0.yaml`; then the services), keeping claims, storage classes and the
    /// cluster secrets. <paramref name="keepResourceSecrets"/>: the older kit of the seed, which left the *-resource
    /// secrets behind.
    /// </summary>
    private void StopLikeTheKit(bool keepResourceSecrets = false)
    {
        var profile = TmlProfile.Create();
        foreach (var c in profile.InStopOrder())
        {
            foreach (var s in c.Secrets.Where(s => !(keepResourceSecrets && s.EndsWith("-resource", StringComparison.Ordinal))))
                _sb.Server.Delete("secrets", TmlSandbox.Ns, s);
            _sb.Server.Delete(c.Workload.Kind == WorkloadKind.StatefulSet ? "statefulsets" : "deployments", TmlSandbox.Ns, c.Workload.Name);
        }
        foreach (var s in profile.ServicesInStopOrder())
            _sb.Server.Delete("services", TmlSandbox.Ns, s);
        foreach (var pod in _sb.Server.List("pods", TmlSandbox.Ns))
            _sb.Server.Delete("pods", TmlSandbox.Ns, pod["metadata"]!["name"]!.GetValue<string>());
    }

    private string SecretText(string secret, string key) =>
        Encoding.UTF8.GetString(Convert.FromBase64String(_sb.Get("secrets", secret)!["data"]![key]!.GetValue<string>()));

    [Fact]
    public async Task A_cluster_stopped_by_stop_tml_cluster_sh_starts_from_the_kit_in_its_order_keeping_every_claim_bound()
    {
        var storage = _sb.StorageFingerprint(); // claims with phase, volume and uid: the same claims, so the same data
        var clusterProperty = _sb.Get("secrets", "cluster-property")!["data"]!.ToJsonString();
        StopLikeTheKit();

        var ctx = new RecordingOperationContext();
        await Lifecycle.StartAsync(new StartRequest(TmlSandbox.Ns, TimeoutPerComponent: Timeout, DefinitionPath: _kit), ctx);

        var steps = Steps(ctx);
        Assert.Equal(new[] { "NoSQL", "CM", "Log", "DB", "Cache", "TM" }, steps.Where(s => s.Action == "CreateWorkload").Select(s => s.Component));
        // Per component as set-*-svc.sh then deploy-*-pod.sh: the service, the secrets, the workload, then the wait.
        Assert.Equal(new[]
        {
            "CreateService service/cass-svc-0", "CreateSecret secret/nosql-property", "CreateSecret secret/nosql-resource",
            "CreateSecret secret/nosql-p12", "CreateSecret secret/nosql-trust-p12", "CreateWorkload statefulset/cass-set-0", "WaitForReady statefulset/cass-set-0",
        }, steps.Take(7).Select(s => $"{s.Action} {s.Object}"));
        Assert.Contains(steps, s => s.Object == "statefulset/mysql-set-0" && s.Message == "created from sql-pod-0.yaml");
        Assert.All(steps, s => Assert.Equal(StepResult.Done, s.Result));
        Assert.DoesNotContain(steps, s => s.Action == "DeleteRestoreRecord");

        Assert.Equal(ComponentState.Running, await _sb.StateAsync());
        Assert.Equal(storage, _sb.StorageFingerprint());
        Assert.Equal(File.ReadAllText(Path.Combine(_kit, "tml_tm_properties.json")), SecretText("tm-property", "tml_tm_properties.json"));
        Assert.Equal(clusterProperty, _sb.Get("secrets", "cluster-property")!["data"]!.ToJsonString()); // create-tml-cluster.sh's, untouched
        Assert.Null(_sb.Get("secrets", TmlProfile.Create().RestoreRecordName));
        Assert.True(File.Exists(Path.Combine(_kit, "tm-pod-0.yaml"))); // the kit is the user's: read, never changed
        Assert.Contains(ctx.ShouldProcessCalls, c => c.Action.StartsWith("Create from the kit in '", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Secrets_the_older_kit_left_behind_are_kept_not_overwritten_and_named_in_a_warning()
    {
        // The seed's start printed "Error from server (AlreadyExists): secrets "log-resource" already exists".
        var before = _sb.Get("secrets", "log-resource")!["data"]!.ToJsonString();
        StopLikeTheKit(keepResourceSecrets: true);

        var ctx = new RecordingOperationContext();
        await Lifecycle.StartAsync(new StartRequest(TmlSandbox.Ns, TimeoutPerComponent: Timeout, DefinitionPath: _kit), ctx);

        Assert.Equal(before, _sb.Get("secrets", "log-resource")!["data"]!.ToJsonString());
        Assert.DoesNotContain(Steps(ctx), s => s.Object == "secret/log-resource" && s.Result == StepResult.Done);
        var warning = Assert.Single(ctx.Warnings, w => w.Contains("differ from the kit", StringComparison.Ordinal));
        Assert.Contains("secret/log-resource (resources/tml-log)", warning);
        Assert.Contains("-Mode Undeploy", warning);
        Assert.Equal(ComponentState.Running, await _sb.StateAsync());
    }

    [Fact]
    public async Task A_kit_with_one_invalid_file_starts_nothing_and_takes_no_lease()
    {
        StopLikeTheKit();
        var before = string.Join(",", new[] { "services", "secrets", "statefulsets", "deployments", "leases" }
            .SelectMany(r => _sb.Server.List(r, TmlSandbox.Ns)).Select(o => $"{o["kind"]}/{o["metadata"]!["name"]}").Order());
        File.WriteAllText(Path.Combine(_kit, "tm-pod-0.yaml"), "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: tm-deploy-0\n");

        var ex = await Assert.ThrowsAsync<OperationException>(() =>
            Lifecycle.StartAsync(new StartRequest(TmlSandbox.Ns, TimeoutPerComponent: Timeout, DefinitionPath: _kit), new RecordingOperationContext()));

        Assert.Equal(KitErrors.YamlInvalid, ex.ErrorId);
        Assert.Contains("tm-pod-0.yaml", ex.Message);
        var after = string.Join(",", new[] { "services", "secrets", "statefulsets", "deployments", "leases" }
            .SelectMany(r => _sb.Server.List(r, TmlSandbox.Ns)).Select(o => $"{o["kind"]}/{o["metadata"]!["name"]}").Order());
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task Without_a_source_the_error_names_the_restore_record_and_the_kit_directory_it_looked_for()
    {
        StopLikeTheKit();
        var ex = await Assert.ThrowsAsync<OperationException>(() =>
            Lifecycle.StartAsync(new StartRequest(TmlSandbox.Ns, TimeoutPerComponent: Timeout), new RecordingOperationContext()));
        Assert.Equal("ClusterDefinitionsMissing", ex.ErrorId);
        Assert.Contains("the ClusterOps restore record secret/clusterops-tml-restore in namespace 'tml' (not found)", ex.Message);
        Assert.Contains("a kit directory (none given: -DefinitionPath names the directory holding start-tml-cluster.sh)", ex.Message);
        Assert.Contains("-DefinitionPath", ex.RecommendedAction);
    }

    [Fact]
    public async Task Edited_kit_properties_apply_after_Undeploy_and_a_start_from_the_kit_and_not_after_ScaleToZero()
    {
        var tmProperties = Path.Combine(_kit, "tml_tm_properties.json");
        await Lifecycle.StopAsync(new StopRequest(TmlSandbox.Ns, Mode: StopMode.Undeploy, Timeout: Timeout), new RecordingOperationContext());
        File.WriteAllText(tmProperties, "{ \"component\": \"trafficmanager\", \"logLevel\": \"DEBUG\" }\n");

        var start = new RecordingOperationContext();
        await Lifecycle.StartAsync(new StartRequest(TmlSandbox.Ns, TimeoutPerComponent: Timeout, DefinitionPath: _kit), start);
        Assert.Contains("DEBUG", SecretText("tm-property", "tml_tm_properties.json"));
        // The record the Undeploy stop wrote was not used; it is kept, and the user is told.
        Assert.NotNull(_sb.Get("secrets", TmlProfile.Create().RestoreRecordName));
        Assert.Contains(start.Warnings, w => w.Contains("secret/clusterops-tml-restore", StringComparison.Ordinal) && w.Contains("is kept", StringComparison.Ordinal));

        // ScaleToZero keeps every deployed definition: a start from an edited kit keeps them and says so.
        await Lifecycle.StopAsync(new StopRequest(TmlSandbox.Ns, Timeout: Timeout), new RecordingOperationContext());
        File.WriteAllText(tmProperties, "{ \"component\": \"trafficmanager\", \"logLevel\": \"TRACE\" }\n");
        var again = new RecordingOperationContext();
        await Lifecycle.StartAsync(new StartRequest(TmlSandbox.Ns, TimeoutPerComponent: Timeout, DefinitionPath: _kit), again);
        Assert.Contains("DEBUG", SecretText("tm-property", "tml_tm_properties.json"));
        Assert.Contains(again.Warnings, w => w.Contains("secret/tm-property (tml_tm_properties.json)", StringComparison.Ordinal));
        Assert.Equal(ComponentState.Running, await _sb.StateAsync());
    }
}
