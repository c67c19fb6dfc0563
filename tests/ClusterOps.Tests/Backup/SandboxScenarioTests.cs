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
}
