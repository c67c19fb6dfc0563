using ClusterOps.Core.Backup;
using ClusterOps.Tests.Infrastructure;

namespace ClusterOps.Tests.Backup;

/// <summary>
/// Against the sandbox's own 3scale scenario and its operator: the Jobs, pods, status fields and claim binding the
/// follower reads are all produced by the sandbox, not by the test.
/// </summary>
public sealed class SandboxScenarioTests : IAsyncLifetime
{
    private ThreescaleSandbox _sandbox = null!;
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(45);

    public async Task InitializeAsync() => _sandbox = await ThreescaleSandbox.StartScenarioAsync();
    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    [Fact]
    public async Task The_scenario_passes_the_backup_preflight_and_a_backup_completes()
    {
        var context = new RecordingOperationContext();
        var info = await new ApiManagerBackupOperations(_sandbox.Client).StartAsync(
            new BackupRequest("nightly", ThreescaleSandbox.Ns, "example-apimanager", "2Gi"), new WaitOptions(true, Limit, false), context);
        Assert.True(info!.Completed);
        Assert.Equal("Bound", info.ClaimStatus); // bound by the sandbox's volume controller
        Assert.Contains(context.Progress, p => p.Status.Contains("Back up System's file storage", StringComparison.Ordinal));
        // The preflight read the namespace's secrets; none of their values may surface anywhere.
        Assert.DoesNotContain("sandbox-db-password", context.AllText + info.Object.ToJsonString());
    }

    [Fact]
    public async Task A_Job_the_sandbox_fails_is_reported_with_its_pod()
    {
        // The sandbox operator's test hook, set on the APIManager because the cmdlet creates the backup CR itself.
        _sandbox.Server.Patch("apimanagers", ThreescaleSandbox.Ns, "example-apimanager", new System.Text.Json.Nodes.JsonObject
        {
            ["metadata"] = new System.Text.Json.Nodes.JsonObject
            {
                ["annotations"] = new System.Text.Json.Nodes.JsonObject { ["sandbox.clusterops.io/fail-job"] = BackupProgress.SecretsJobPrefix },
            },
        });
        var ex = await Assert.ThrowsAsync<OperatorJobFailedException>(() => new ApiManagerBackupOperations(_sandbox.Client).StartAsync(
            new BackupRequest("nightly", ThreescaleSandbox.Ns, StorageSize: "2Gi"), new WaitOptions(true, Limit, false), new RecordingOperationContext()));
        Assert.Equal("BackoffLimitExceeded", ex.Failure.JobReason);
        Assert.StartsWith(ex.Failure.JobName + "-", ex.Failure.PodName, StringComparison.Ordinal);
        Assert.Equal(1, ex.Failure.ExitCode);
        Assert.Equal("Error", ex.Failure.PodReason);
    }

    // The operator's backup always creates its file-storage Job (apimanagerbackup_logic_reconciler.go,
    // reconcileBackupSystemFileStoragePVCToPVCJob): an APIManager without spec.system.fileStorage keeps its files in
    // the system-storage claim, the default.
    [Fact]
    public async Task The_file_storage_Job_runs_for_the_default_storage_too()
    {
        _sandbox.Server.Patch("apimanagers", ThreescaleSandbox.Ns, "example-apimanager", Objects.Parse("""{"spec":{"system":null}}"""));
        Assert.Null(_sandbox.Server.Get("apimanagers", ThreescaleSandbox.Ns, "example-apimanager").At("spec", "system"));
        var context = new RecordingOperationContext();
        var info = await new ApiManagerBackupOperations(_sandbox.Client).StartAsync(
            new BackupRequest("nightly", ThreescaleSandbox.Ns, StorageSize: "2Gi"), new WaitOptions(true, Limit, false), context);
        Assert.True(info!.Completed);
        Assert.Contains("(Job " + BackupProgress.FileStorageJobPrefix + "-" + info.Object.Uid() + ")", context.AllText);
    }

    // Its pod mounts system-storage, so without that claim the scheduler cannot place it and the backup never ends.
    [Fact]
    public async Task A_missing_system_storage_claim_leaves_the_file_storage_Job_unschedulable()
    {
        _sandbox.Server.Patch("apimanagers", ThreescaleSandbox.Ns, "example-apimanager", Objects.Parse("""{"spec":{"system":null}}"""));
        _sandbox.Server.Delete("persistentvolumeclaims", ThreescaleSandbox.Ns, ThreescaleApi.SystemStorageClaim);
        _sandbox.Server.Patch("persistentvolumeclaims", ThreescaleSandbox.Ns, ThreescaleApi.SystemStorageClaim, Objects.Parse("""{"metadata":{"finalizers":null}}"""));
        Assert.Null(_sandbox.Server.Get("persistentvolumeclaims", ThreescaleSandbox.Ns, ThreescaleApi.SystemStorageClaim));
        // As with kubectl: the preflight would refuse this, which is the point of the test.
        _sandbox.Server.Create(BackupPreflight.BuildResource(new BackupRequest("nightly", ThreescaleSandbox.Ns, StorageSize: "2Gi"),
            KubeQuantity.TryParse("2Gi", out var size) ? size : throw new InvalidOperationException()));

        using var cts = new CancellationTokenSource(Limit);
        System.Text.Json.Nodes.JsonObject? pod = null;
        while (pod is null) // test-side polling: the sandbox has no hook for "a pod was scheduled"
        {
            pod = _sandbox.Server.List("pods", ThreescaleSandbox.Ns).FirstOrDefault(p =>
                p.Name().StartsWith(BackupProgress.FileStorageJobPrefix + "-", StringComparison.Ordinal) && p.Condition("PodScheduled") is { Status: "False" });
            if (pod is null)
                await Task.Delay(50, cts.Token);
        }
        Assert.Contains("persistentvolumeclaim \"system-storage\" not found", JobInterpreter.StuckReason(pod));
        var backup = _sandbox.Server.Get("apimanagerbackups", ThreescaleSandbox.Ns, "nightly");
        Assert.NotEqual(true, backup.Bool("status", "mainStepsCompleted"));
    }
}
