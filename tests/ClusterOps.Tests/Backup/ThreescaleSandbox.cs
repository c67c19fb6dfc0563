using System.Text.Json.Nodes;
using ClusterOps.Core.Backup;
using ClusterOps.Kubernetes.Config;
using ClusterOps.Kubernetes.Http;
using ClusterOps.Sandbox;

namespace ClusterOps.Tests.Backup;

/// <summary>
/// A private sandbox seeded with what a 3scale installation with external databases has (the sandbox's own 3scale
/// scenario is not available yet): the three CRDs, one APIManager, the secrets and config maps the backup Job reads,
/// and a Bound system-storage claim. Controllers are off: <see cref="FakeThreescaleOperator"/> plays the operator
/// (except for <see cref="StartScenarioAsync"/>, where the sandbox's own operator runs).
/// </summary>
public sealed class ThreescaleSandbox : IAsyncDisposable
{
    public const string Ns = "3scale";

    private ThreescaleSandbox(SandboxServer server, KubeClient client, bool sandboxRunsJobs = false)
    {
        Server = server;
        Client = client;
        Operator = new FakeThreescaleOperator(server, sandboxRunsJobs);
    }

    /// <summary>
    /// The sandbox's own 3scale scenario with all its controllers running, the sandbox's 3scale operator included:
    /// nothing is played by the test, so <see cref="Operator"/> must not be used with it.
    /// </summary>
    public static async Task<ThreescaleSandbox> StartScenarioAsync()
    {
        var server = await SandboxServer.StartAsync(new SandboxOptions { Scenario = "3scale", ReadyDelay = TimeSpan.FromMilliseconds(150) });
        var client = KubeClient.Create(KubeConfigLoader.Load(server.KubeConfigPath).Resolve());
        return new ThreescaleSandbox(server, client, sandboxRunsJobs: true);
    }

    public SandboxServer Server { get; }
    public KubeClient Client { get; }
    public FakeThreescaleOperator Operator { get; }

    public static async Task<ThreescaleSandbox> StartAsync(bool installCrds = true, bool seed = true)
    {
        var server = await SandboxServer.StartAsync(new SandboxOptions { Scenario = "empty", EnableControllers = false });
        var context = KubeConfigLoader.Load(server.KubeConfigPath).Resolve();
        var client = KubeClient.Create(context);
        var sandbox = new ThreescaleSandbox(server, client);
        server.Create(Objects.Parse("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"3scale"}}"""));
        if (installCrds)
        {
            foreach (var (plural, kind) in new[] { ("apimanagers", "APIManager"), ("apimanagerbackups", "APIManagerBackup"), ("apimanagerrestores", "APIManagerRestore") })
                server.Create(Crd(plural, kind));
        }
        if (seed)
            sandbox.SeedInstallation();
        return sandbox;
    }

    private static JsonObject Crd(string plural, string kind) => Objects.Parse(Objects.Fill("""
        {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
         "metadata":{"name":"@plural@.apps.3scale.net"},
         "spec":{"group":"apps.3scale.net","scope":"Namespaced",
                 "names":{"plural":"@plural@","singular":"@singular@","kind":"@kind@","listKind":"@kind@List"},
                 "versions":[{"name":"v1alpha1","served":true,"storage":true,"subresources":{"status":{}},
                              "schema":{"openAPIV3Schema":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}]}}
        """, ("plural", plural), ("singular", plural.TrimEnd('s')), ("kind", kind)));

    public void SeedInstallation(string apiManagerSpec = Objects.ExternalSpec)
    {
        Server.Create(Objects.Parse(Objects.Fill("""{"apiVersion":"apps.3scale.net/v1alpha1","kind":"APIManager","metadata":{"name":"example-apimanager","namespace":"3scale"},"spec":@spec@}""",
            ("spec", apiManagerSpec))));
        foreach (var secret in ThreescaleApi.SecretsBackedUp)
            CreateSecret(secret);
        foreach (var map in ThreescaleApi.ConfigMapsBackedUp)
            Server.Create(Objects.Parse(Objects.Fill("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"@n@","namespace":"3scale"},"data":{"k":"v"}}""", ("n", map))));
        CreateBoundClaim(ThreescaleApi.SystemStorageClaim, "1Gi", "ReadWriteMany");
        Server.Create(Objects.StorageClass("standard", isDefault: true));
    }

    public void CreateSecret(string name) =>
        Server.Create(Objects.Parse(Objects.Fill("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"@n@","namespace":"3scale"},"type":"Opaque","data":{"password":"c2VjcmV0LXZhbHVl"}}""", ("n", name))));

    public JsonObject CreateBoundClaim(string name, string size, string accessMode = "ReadWriteOnce", string annotations = "{}") =>
        Server.Create(Objects.Parse(Objects.Fill("""
            {"apiVersion":"v1","kind":"PersistentVolumeClaim",
             "metadata":{"name":"@n@","namespace":"3scale","annotations":@a@},
             "spec":{"accessModes":["@mode@"],"resources":{"requests":{"storage":"@size@"}},"volumeName":"pv-@n@"},
             "status":{"phase":"Bound","accessModes":["@mode@"],"capacity":{"storage":"@size@"}}}
            """, ("n", name), ("a", annotations), ("mode", accessMode), ("size", size))));

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}

/// <summary>
/// Plays the 3scale operator's part (seed-semantics §2.2 and §2.3): the status fields in the operator's order, the
/// destination claim named like the backup with its four annotations and no owner, the UID-named Jobs owned by the
/// resource with a pod each, then Job cleanup and completion. A Job listed in <c>failJobPrefix</c> fails the way
/// the real ones do (a pod exiting 1 under bash -e, the Job condition Failed/BackoffLimitExceeded), after which
/// the operator, like the real one, simply keeps waiting.
/// </summary>
public sealed class FakeThreescaleOperator
{
    private readonly SandboxServer _server;
    private readonly bool _sandboxRunsJobs;
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(120);

    public FakeThreescaleOperator(SandboxServer server, bool sandboxRunsJobs = false)
    {
        _server = server;
        _sandboxRunsJobs = sandboxRunsJobs;
    }

    public async Task<JsonObject> WaitForAsync(string resource, string name, CancellationToken ct)
    {
        // Test-side polling only: the sandbox has no hook for "an object was created".
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            if (_server.Get(resource, ThreescaleSandbox.Ns, name) is { } found)
                return found;
            await Task.Delay(25, ct);
        }
    }

    private void Status(string resource, string name, string patch) =>
        _server.Patch(resource, ThreescaleSandbox.Ns, name, Objects.Parse("{\"status\":" + patch + "}"), status: true);

    /// <param name="claimPending">Leave the backup claim Pending, with the FailedBinding event the PV controller
    /// writes, while the Jobs still succeed.</param>
    public async Task RunBackupAsync(string name, string? failJobPrefix = null, bool stopBeforeCompletion = false, CancellationToken ct = default,
        bool claimPending = false)
    {
        var cr = await WaitForAsync("apimanagerbackups", name, ct);
        var uid = cr.Uid()!;
        Status("apimanagerbackups", name, """{"apiManagerSourceName":"example-apimanager"}""");
        await Task.Delay(Step, ct);
        Status("apimanagerbackups", name, "{\"startTime\":\"" + DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ") + "\"}");
        await Task.Delay(Step, ct);
        var size = cr.Str("spec", "backupDestination", "persistentVolumeClaim", "resources", "requests") ?? "1Gi";
        if (_server.Get("persistentvolumeclaims", ThreescaleSandbox.Ns, name) is null)
        {
            _server.Create(Objects.Parse(Objects.Fill("""
                {"apiVersion":"v1","kind":"PersistentVolumeClaim",
                 "metadata":{"name":"@n@","namespace":"3scale","annotations":{"apiManagerName":"example-apimanager","apiManagerUID":"@amuid@","apiManagerBackupName":"@n@","apiManagerBackupUID":"@uid@"}},
                 "spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"@size@"}}},
                 "status":@status@}
                """, ("n", name), ("uid", uid), ("size", size),
                ("status", _sandboxRunsJobs || claimPending ? "{}" : "{\"phase\":\"Bound\",\"accessModes\":[\"ReadWriteOnce\"],\"capacity\":{\"storage\":\"" + size + "\"}}"),
                ("amuid", _server.Get("apimanagers", ThreescaleSandbox.Ns, "example-apimanager").Uid() ?? ""))));
        }
        if (claimPending)
        {
            _server.Create(Objects.Parse(Objects.Fill("""
                {"apiVersion":"v1","kind":"Event","metadata":{"name":"@n@.pending","namespace":"3scale"},
                 "involvedObject":{"kind":"PersistentVolumeClaim","namespace":"3scale","name":"@n@","apiVersion":"v1"},
                 "type":"Normal","reason":"FailedBinding","message":"no persistent volumes available for this claim and no storage class is set",
                 "source":{"component":"persistentvolume-controller"},"count":1}
                """, ("n", name))));
        }
        Status("apimanagerbackups", name, "{\"backupPersistentVolumeClaimName\":\"" + name + "\"}");
        await Task.Delay(Step, ct);
        var jobs = BackupProgress.JobNames(uid);
        foreach (var prefix in new[] { BackupProgress.SecretsJobPrefix, BackupProgress.ApiManagerJobPrefix, BackupProgress.FileStorageJobPrefix })
        {
            var job = ThreescaleApi.JobName(prefix, uid);
            if (!await RunJobAsync(job, "APIManagerBackup", name, uid, fail: prefix == failJobPrefix, ct))
                return; // the real operator now requeues every 5 s forever
        }
        if (stopBeforeCompletion)
            return;
        Status("apimanagerbackups", name, """{"mainStepsCompleted":true}""");
        await Task.Delay(Step, ct);
        foreach (var job in jobs)
            _server.Delete("jobs", ThreescaleSandbox.Ns, job, "Foreground");
        await Task.Delay(Step, ct);
        Status("apimanagerbackups", name, "{\"completed\":true,\"completionTime\":\"" + DateTimeOffset.UtcNow.AddSeconds(1).ToString("yyyy-MM-ddTHH:mm:ssZ") + "\"}");
    }

    public async Task RunRestoreAsync(string name, string? failJobPrefix = null, CancellationToken ct = default)
    {
        var cr = await WaitForAsync("apimanagerrestores", name, ct);
        var uid = cr.Uid()!;
        Status("apimanagerrestores", name, "{\"startTime\":\"" + DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ") + "\"}");
        await Task.Delay(Step, ct);
        if (!await RunJobAsync(ThreescaleApi.JobName(RestoreProgress.SecretsJobPrefix, uid), "APIManagerRestore", name, uid, failJobPrefix == RestoreProgress.SecretsJobPrefix, ct))
            return;
        if (!await RunJobAsync(ThreescaleApi.JobName(RestoreProgress.SharedSecretJobPrefix, uid), "APIManagerRestore", name, uid, failJobPrefix == RestoreProgress.SharedSecretJobPrefix, ct))
            return;
        Status("apimanagerrestores", name, """{"apiManagerToRestoreRef":{"name":"example-apimanager"}}""");
        await Task.Delay(Step, ct);
        if (!await RunJobAsync(ThreescaleApi.JobName(RestoreProgress.FileStorageJobPrefix, uid), "APIManagerRestore", name, uid, failJobPrefix == RestoreProgress.FileStorageJobPrefix, ct))
            return;
        if (_server.Get("apimanagers", ThreescaleSandbox.Ns, "example-apimanager") is null)
        {
            _server.Create(Objects.Parse("""{"apiVersion":"apps.3scale.net/v1alpha1","kind":"APIManager","metadata":{"name":"example-apimanager","namespace":"3scale"},"spec":{"wildcardDomain":"apps.example.com"},"status":{"deployments":{"ready":["system-sidekiq"]},"conditions":[{"type":"Available","status":"True"}]}}"""));
        }
        await Task.Delay(Step, ct);
        if (!await RunJobAsync(ThreescaleApi.JobName(RestoreProgress.ResyncJobPrefix, uid), "APIManagerRestore", name, uid, failJobPrefix == RestoreProgress.ResyncJobPrefix, ct))
            return;
        Status("apimanagerrestores", name, """{"mainStepsCompleted":true}""");
        await Task.Delay(Step, ct);
        foreach (var job in RestoreProgress.JobNames(uid))
            _server.Delete("jobs", ThreescaleSandbox.Ns, job, "Foreground");
        Status("apimanagerrestores", name, "{\"completed\":true,\"completionTime\":\"" + DateTimeOffset.UtcNow.AddSeconds(1).ToString("yyyy-MM-ddTHH:mm:ssZ") + "\"}");
    }

    private async Task<bool> RunJobAsync(string job, string ownerKind, string ownerName, string ownerUid, bool fail, CancellationToken ct)
    {
        if (_sandboxRunsJobs)
            return await RunJobInSandboxAsync(job, ownerKind, ownerName, ownerUid, fail, ct);
        _server.Create(Objects.Parse(Objects.Fill("""
            {"apiVersion":"batch/v1","kind":"Job",
             "metadata":{"name":"@job@","namespace":"3scale",
                         "ownerReferences":[{"apiVersion":"apps.3scale.net/v1alpha1","kind":"@kind@","name":"@owner@","uid":"@ouid@","controller":true,"blockOwnerDeletion":true}]},
             "spec":{"completions":1,"template":{"spec":{"restartPolicy":"Never","serviceAccountName":"apimanager-backup",
                     "containers":[{"name":"job","image":"quay.io/openshift/origin-cli:4.7","command":["/bin/bash"]}]}}},
             "status":{"active":1}}
            """, ("job", job), ("kind", ownerKind), ("owner", ownerName), ("ouid", ownerUid))));
        var pod = job + "-x7k2p";
        _server.Create(Objects.Parse(Objects.Fill("""
            {"apiVersion":"v1","kind":"Pod",
             "metadata":{"name":"@pod@","namespace":"3scale","labels":{"job-name":"@job@","batch.kubernetes.io/job-name":"@job@"}},
             "spec":{"restartPolicy":"Never","containers":[{"name":"job","image":"quay.io/openshift/origin-cli:4.7"}]},
             "status":{"phase":"Running","containerStatuses":[{"name":"job","ready":true,"state":{"running":{}}}]}}
            """, ("pod", pod), ("job", job))));
        await Task.Delay(Step, ct);
        if (fail)
        {
            _server.Patch("pods", ThreescaleSandbox.Ns, pod, Objects.Parse("""{"status":{"phase":"Failed","containerStatuses":[{"name":"job","ready":false,"state":{"terminated":{"exitCode":1,"reason":"Error","message":"Error from server (NotFound): secrets \"system-smtp\" not found"}}}]}}"""), status: true);
            _server.Patch("jobs", ThreescaleSandbox.Ns, job, Objects.Parse("""{"status":{"active":0,"failed":1,"conditions":[{"type":"Failed","status":"True","reason":"BackoffLimitExceeded","message":"Job has reached the specified backoff limit"}]}}"""), status: true);
            return false;
        }
        _server.Patch("pods", ThreescaleSandbox.Ns, pod, Objects.Parse("""{"status":{"phase":"Succeeded","containerStatuses":[{"name":"job","ready":false,"state":{"terminated":{"exitCode":0,"reason":"Completed"}}}]}}"""), status: true);
        _server.Patch("jobs", ThreescaleSandbox.Ns, job, Objects.Parse("""{"status":{"active":0,"succeeded":1,"conditions":[{"type":"Complete","status":"True"}]}}"""), status: true);
        await Task.Delay(Step, ct);
        return true;
    }

    /// <summary>Creates the Job as the operator does and lets the sandbox's Job controller run (or fail) it.</summary>
    private async Task<bool> RunJobInSandboxAsync(string job, string ownerKind, string ownerName, string ownerUid, bool fail, CancellationToken ct)
    {
        _server.Create(Objects.Parse(Objects.Fill("""
            {"apiVersion":"batch/v1","kind":"Job",
             "metadata":{"name":"@job@","namespace":"3scale","annotations":{"sandbox.clusterops.io/fail":"@fail@"},
                         "ownerReferences":[{"apiVersion":"apps.3scale.net/v1alpha1","kind":"@kind@","name":"@owner@","uid":"@ouid@","controller":true,"blockOwnerDeletion":true}]},
             "spec":{"completions":1,"backoffLimit":6,"template":{"spec":{"restartPolicy":"Never","serviceAccountName":"apimanager-backup",
                     "containers":[{"name":"job","image":"quay.io/openshift/origin-cli:4.7","command":["/bin/bash"]}]}}}}
            """, ("job", job), ("kind", ownerKind), ("owner", ownerName), ("ouid", ownerUid), ("fail", fail ? "true" : "false"))));
        while (true)
        {
            var current = _server.Get("jobs", ThreescaleSandbox.Ns, job);
            var conditions = current.At("status", "conditions") as JsonArray;
            if (conditions?.OfType<JsonObject>().Any(c => c.Str("type") == "Complete" && c.Str("status") == "True") == true)
                return true;
            if (conditions?.OfType<JsonObject>().Any(c => c.Str("type") == "Failed" && c.Str("status") == "True") == true)
                return false;
            await Task.Delay(25, ct);
        }
    }
}
