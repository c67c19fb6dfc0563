using ClusterOps.Core.Backup;
using ClusterOps.Tests.Infrastructure;

namespace ClusterOps.Tests.Backup;

/// <summary>
/// Against the sandbox's own 3scale scenario, with its Job, pod and volume controllers: the Jobs, pods, conditions
/// and claim binding the follower reads are produced by the sandbox, not by the test.
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
        using var cts = new CancellationTokenSource(Limit);
        var run = _sandbox.Operator.RunBackupAsync("nightly", ct: cts.Token);
        var info = await new ApiManagerBackupOperations(_sandbox.Client).StartAsync(
            new BackupRequest("nightly", ThreescaleSandbox.Ns, "example-apimanager", "2Gi"), new WaitOptions(true, Limit, false), context);
        await run;
        Assert.True(info!.Completed);
        Assert.Equal("Bound", info.ClaimStatus); // bound by the sandbox's volume controller
        Assert.Contains(context.Progress, p => p.Status.Contains("Back up System's file storage", StringComparison.Ordinal));
        // The preflight read the namespace's secrets; none of their values may surface anywhere.
        Assert.DoesNotContain("sandbox-db-password", context.AllText + info.Object.ToJsonString());
    }

    [Fact]
    public async Task A_Job_the_sandbox_fails_is_reported_with_its_pod()
    {
        using var cts = new CancellationTokenSource(Limit);
        var run = _sandbox.Operator.RunBackupAsync("nightly", failJobPrefix: BackupProgress.SecretsJobPrefix, ct: cts.Token);
        var ex = await Assert.ThrowsAsync<OperatorJobFailedException>(() => new ApiManagerBackupOperations(_sandbox.Client).StartAsync(
            new BackupRequest("nightly", ThreescaleSandbox.Ns, StorageSize: "2Gi"), new WaitOptions(true, Limit, false), new RecordingOperationContext()));
        await run;
        Assert.Equal("BackoffLimitExceeded", ex.Failure.JobReason);
        Assert.StartsWith(ex.Failure.JobName + "-", ex.Failure.PodName, StringComparison.Ordinal);
        Assert.Equal(1, ex.Failure.ExitCode);
        Assert.Equal("Error", ex.Failure.PodReason);
    }
}
