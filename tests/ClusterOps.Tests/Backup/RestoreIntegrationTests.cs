using ClusterOps.Core.Backup;
using ClusterOps.Tests.Infrastructure;

namespace ClusterOps.Tests.Backup;

public sealed class RestoreIntegrationTests : IAsyncLifetime
{
    private ThreescaleSandbox _sandbox = null!;
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    public async Task InitializeAsync()
    {
        _sandbox = await ThreescaleSandbox.StartAsync();
        // A completed backup to restore from.
        using var cts = new CancellationTokenSource(Limit);
        var run = _sandbox.Operator.RunBackupAsync("nightly", ct: cts.Token);
        await new ApiManagerBackupOperations(_sandbox.Client).StartAsync(new BackupRequest("nightly", ThreescaleSandbox.Ns, StorageSize: "1Gi"),
            new WaitOptions(true, Limit, false), new RecordingOperationContext());
        await run;
    }

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    /// <summary>The disaster: the APIManager and its generated secrets are gone; the user re-created the four
    /// secrets that point at the external databases, as the restore requires.</summary>
    private void LoseTheInstallation()
    {
        _sandbox.Server.Delete("apimanagers", ThreescaleSandbox.Ns, "example-apimanager");
        foreach (var secret in ThreescaleApi.SecretsRestored)
            _sandbox.Server.Delete("secrets", ThreescaleSandbox.Ns, secret);
    }

    [Fact]
    public async Task A_restore_from_a_backup_name_passes_preflight_and_follows_the_operator()
    {
        LoseTheInstallation();
        var context = new RecordingOperationContext();
        using var cts = new CancellationTokenSource(Limit);
        var run = _sandbox.Operator.RunRestoreAsync("restore-1", ct: cts.Token);
        var info = await new ApiManagerRestoreOperations(_sandbox.Client).StartAsync(
            new RestoreRequest("restore-1", ThreescaleSandbox.Ns, BackupName: "nightly"), new WaitOptions(true, Limit, false), context);
        await run;

        Assert.NotNull(info);
        Assert.True(info.Completed);
        Assert.Equal("nightly", info.ClaimName);
        Assert.Equal("nightly", info.BackupName);
        Assert.Equal("example-apimanager", info.ApiManager);
        Assert.Empty(context.Warnings);
        Assert.Contains(context.Progress, p => p.Status.Contains("Resync zync domains", StringComparison.Ordinal));
        Assert.Equal("nightly", info.Object["spec"]!["restoreSource"]!["persistentVolumeClaim"]!["claimSource"]!["claimName"]!.GetValue<string>());

        var listed = await BackupIntegrationTests.Collect(new ApiManagerRestoreOperations(_sandbox.Client)
            .GetAsync(new BackupQuery(ThreescaleSandbox.Ns), new RecordingOperationContext()));
        Assert.Equal("restore-1", Assert.Single(listed).Name);
    }

    [Fact]
    public async Task Refuses_when_the_secrets_it_never_restores_are_missing_and_creates_nothing()
    {
        _sandbox.Server.Delete("secrets", ThreescaleSandbox.Ns, "backend-redis");
        _sandbox.Server.Delete("secrets", ThreescaleSandbox.Ns, "system-database");
        var ex = await Assert.ThrowsAsync<BackupPreflightException>(() => new ApiManagerRestoreOperations(_sandbox.Client).StartAsync(
            new RestoreRequest("restore-1", ThreescaleSandbox.Ns, ClaimName: "nightly"), new WaitOptions(false, null, false), new RecordingOperationContext()));
        Assert.Equal(BackupErrorIds.RestoreSecretsMissing, ex.ErrorId);
        Assert.Equal(new[] { "system-database", "backend-redis" }, ex.Items);
        Assert.Empty(_sandbox.Server.List("apimanagerrestores", ThreescaleSandbox.Ns));
    }

    [Fact]
    public async Task Refuses_a_claim_that_no_backup_wrote()
    {
        var ex = await Assert.ThrowsAsync<BackupPreflightException>(() => new ApiManagerRestoreOperations(_sandbox.Client).StartAsync(
            new RestoreRequest("restore-1", ThreescaleSandbox.Ns, ClaimName: "system-storage"), new WaitOptions(false, null, false), new RecordingOperationContext()));
        Assert.Equal(BackupErrorIds.RestoreClaimNotABackup, ex.ErrorId);
    }

    [Fact]
    public async Task Warns_about_what_exists_already()
    {
        var context = new RecordingOperationContext();
        await new ApiManagerRestoreOperations(_sandbox.Client).StartAsync(
            new RestoreRequest("restore-1", ThreescaleSandbox.Ns, ClaimName: "nightly"), new WaitOptions(false, null, true), context);
        Assert.Contains(context.Warnings, w => w.Contains("does not overwrite", StringComparison.Ordinal));
        Assert.Contains(context.Warnings, w => w.Contains("kept", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_second_restore_beside_an_uncompleted_one_is_refused_the_completed_backup_is_not_in_the_way()
    {
        var restores = new ApiManagerRestoreOperations(_sandbox.Client);
        // 'nightly' completed in InitializeAsync, so it does not block; restore-1 stays uncompleted (no operator runs).
        await restores.StartAsync(new RestoreRequest("restore-1", ThreescaleSandbox.Ns, ClaimName: "nightly"), new WaitOptions(false, null, false), new RecordingOperationContext());
        var ex = await Assert.ThrowsAsync<BackupPreflightException>(() => restores.StartAsync(
            new RestoreRequest("restore-2", ThreescaleSandbox.Ns, ClaimName: "nightly"), new WaitOptions(false, null, false), new RecordingOperationContext()));
        Assert.Equal(BackupErrorIds.OperationInProgress, ex.ErrorId);
        Assert.Equal(new[] { "APIManagerRestore restore-1" }, ex.Items);
        Assert.Contains("has not completed", ex.Message, StringComparison.Ordinal);
        Assert.Null(_sandbox.Server.Get("apimanagerrestores", ThreescaleSandbox.Ns, "restore-2"));
    }

    [Fact]
    public async Task A_failing_restore_Job_is_reported()
    {
        LoseTheInstallation();
        using var cts = new CancellationTokenSource(Limit);
        var run = _sandbox.Operator.RunRestoreAsync("restore-1", failJobPrefix: RestoreProgress.FileStorageJobPrefix, ct: cts.Token);
        var ex = await Assert.ThrowsAsync<OperatorJobFailedException>(() => new ApiManagerRestoreOperations(_sandbox.Client).StartAsync(
            new RestoreRequest("restore-1", ThreescaleSandbox.Ns, ClaimName: "nightly"), new WaitOptions(true, Limit, false), new RecordingOperationContext()));
        await run;
        Assert.Equal(BackupErrorIds.RestoreJobFailed, ex.ErrorId);
        Assert.StartsWith("restore-system-fs-", ex.Failure.JobName, StringComparison.Ordinal);
    }
}
