using System.Text.Json.Nodes;
using ClusterOps.Core.Backup;
using ClusterOps.Core.Common;
using ClusterOps.Tests.Infrastructure;

namespace ClusterOps.Tests.Backup;

/// <summary>Backup operations over real HTTPS against the sandbox, with a test double playing the 3scale operator.</summary>
public sealed class BackupIntegrationTests : IAsyncLifetime
{
    private ThreescaleSandbox _sandbox = null!;
    private ApiManagerBackupOperations _backups = null!;
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    public async Task InitializeAsync()
    {
        _sandbox = await ThreescaleSandbox.StartAsync();
        _backups = new ApiManagerBackupOperations(_sandbox.Client);
    }

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private static BackupRequest Request(string name = "nightly", string size = "2Gi", string? apiManagerName = null, bool force = false) =>
        new(name, ThreescaleSandbox.Ns, apiManagerName, size, Force: force);

    private async Task<BackupPreflightException> RefusedAsync(BackupRequest request, string errorId)
    {
        var context = new RecordingOperationContext();
        var ex = await Assert.ThrowsAsync<BackupPreflightException>(() => _backups.StartAsync(request, new WaitOptions(true, Limit, false), context));
        Assert.Equal(errorId, ex.ErrorId);
        Assert.Empty(_sandbox.Server.List("apimanagerbackups", ThreescaleSandbox.Ns)); // nothing created
        return ex;
    }

    [Fact]
    public async Task A_backup_with_Wait_follows_every_step_and_emits_the_completed_backup()
    {
        var context = new RecordingOperationContext();
        using var cts = new CancellationTokenSource(Limit);
        var operatorRun = _sandbox.Operator.RunBackupAsync("nightly", ct: cts.Token);
        var info = await _backups.StartAsync(Request(apiManagerName: "example-apimanager"), new WaitOptions(true, Limit, false), context);
        await operatorRun;

        Assert.NotNull(info);
        Assert.True(info.Completed);
        Assert.Equal("nightly", info.Name);
        Assert.Equal("example-apimanager", info.ApiManager);
        Assert.Equal("nightly", info.ClaimName);
        Assert.Equal("Bound", info.ClaimStatus);
        Assert.Equal(2L << 30, info.Size); // 2Gi, in bytes
        Assert.NotNull(info.StartTime);
        Assert.True(info.Duration >= TimeSpan.Zero);

        // The status carries the operator's fields; they were set in the operator's order, which the progress shows.
        var status = info.Object["status"]!.AsObject();
        Assert.Equal(BackupProgress.StatusFieldOrder.OrderBy(f => f), status.Select(p => p.Key).OrderBy(f => f));
        var steps = context.Progress.Where(p => !p.Completed && p.Status.StartsWith("Step ", StringComparison.Ordinal))
            .Select(p => int.Parse(p.Status.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.NotEmpty(steps);
        Assert.Equal(steps.OrderBy(s => s), steps); // never goes backwards
        Assert.Contains(4, steps); // the secrets Job was seen running
        Assert.True(context.Progress.Last().Completed);
        var verboseSteps = context.Verbose.Where(v => v.Contains("Step ", StringComparison.Ordinal)).ToList();
        Assert.Contains(verboseSteps, v => v.Contains("Back up secrets and config maps", StringComparison.Ordinal) && v.Contains("backup-cfgmaps-secrets-", StringComparison.Ordinal));

        // What was sent: a persistentVolumeClaim destination, and no apiManagerName field (the CRD has none).
        var sent = info.Object["spec"]!.ToJsonString();
        Assert.Contains("\"requests\":\"2Gi\"", sent);
        Assert.DoesNotContain("apiManagerName", sent);
        Assert.DoesNotContain("c2VjcmV0LXZhbHVl", context.AllText);
    }

    [Fact]
    public async Task A_user_who_may_not_list_pods_still_gets_the_wait_with_a_warning()
    {
        _sandbox.Server.Faults.FailNext(1, "GET", "*/namespaces/3scale/pods*", 403);
        var context = new RecordingOperationContext();
        using var cts = new CancellationTokenSource(Limit);
        var operatorRun = _sandbox.Operator.RunBackupAsync("nightly", ct: cts.Token);
        var info = await _backups.StartAsync(Request(), new WaitOptions(true, Limit, false), context);
        await operatorRun;
        Assert.True(info!.Completed);
        Assert.Contains(context.Warnings, w => w.Contains("Cannot read pods", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_wait_survives_watches_the_server_closes()
    {
        var context = new RecordingOperationContext();
        using var cts = new CancellationTokenSource(Limit);
        var operatorRun = _sandbox.Operator.RunBackupAsync("nightly", ct: cts.Token);
        var wait = _backups.StartAsync(Request(), new WaitOptions(true, Limit, false), context);
        await _sandbox.Operator.WaitForAsync("apimanagerbackups", "nightly", cts.Token);
        await Task.Delay(300, cts.Token);
        _sandbox.Server.Faults.CloseWatches();
        var info = await wait;
        await operatorRun;
        Assert.True(info!.Completed);
    }

    [Fact]
    public async Task Without_Wait_or_PassThru_it_creates_and_returns_nothing()
    {
        var context = new RecordingOperationContext();
        var result = await _backups.StartAsync(Request(), new WaitOptions(false, null, false), context);
        Assert.Null(result);
        Assert.NotNull(_sandbox.Server.Get("apimanagerbackups", ThreescaleSandbox.Ns, "nightly"));
    }

    [Fact]
    public async Task One_backup_or_restore_at_a_time_where_the_operator_would_run_both_at_once()
    {
        // The operator double is not running: 'nightly' stays uncompleted, as a running (or failed) backup does.
        await _backups.StartAsync(Request("nightly"), new WaitOptions(false, null, false), new RecordingOperationContext());
        var ex = await Assert.ThrowsAsync<BackupPreflightException>(() =>
            _backups.StartAsync(Request("weekly"), new WaitOptions(false, null, false), new RecordingOperationContext()));
        Assert.Equal(BackupErrorIds.OperationInProgress, ex.ErrorId);
        Assert.Equal(new[] { "APIManagerBackup nightly" }, ex.Items);
        Assert.Null(_sandbox.Server.Get("apimanagerbackups", ThreescaleSandbox.Ns, "weekly"));

        var forced = new RecordingOperationContext();
        await _backups.StartAsync(Request("weekly", force: true), new WaitOptions(false, null, false), forced);
        Assert.Contains(forced.Warnings, w => w.StartsWith("-Force: starting APIManagerBackup 'weekly' while APIManagerBackup nightly", StringComparison.Ordinal));
        Assert.NotNull(_sandbox.Server.Get("apimanagerbackups", ThreescaleSandbox.Ns, "weekly"));
    }

    [Fact]
    public async Task WhatIf_creates_nothing()
    {
        var context = RecordingOperationContext.WhatIf();
        Assert.Null(await _backups.StartAsync(Request(), new WaitOptions(true, Limit, true), context));
        Assert.Empty(_sandbox.Server.List("apimanagerbackups", ThreescaleSandbox.Ns));
        Assert.Contains(context.ShouldProcessCalls, c => c.Target.Contains("3scale/nightly", StringComparison.Ordinal) && c.Action.Contains("2Gi", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failing_Job_stops_the_wait_with_the_Job_the_pod_and_the_reason()
    {
        var context = new RecordingOperationContext();
        using var cts = new CancellationTokenSource(Limit);
        var operatorRun = _sandbox.Operator.RunBackupAsync("nightly", failJobPrefix: BackupProgress.ApiManagerJobPrefix, ct: cts.Token);
        var ex = await Assert.ThrowsAsync<OperatorJobFailedException>(() => _backups.StartAsync(Request(), new WaitOptions(true, Limit, false), context));
        await operatorRun;

        Assert.Equal(BackupErrorIds.BackupJobFailed, ex.ErrorId);
        Assert.StartsWith("backup-apimanager-cr-", ex.Failure.JobName, StringComparison.Ordinal);
        Assert.Equal(ex.Failure.JobName + "-x7k2p", ex.Failure.PodName);
        Assert.Equal("BackoffLimitExceeded", ex.Failure.JobReason);
        Assert.Equal("Error", ex.Failure.PodReason);
        Assert.Equal(1, ex.Failure.ExitCode);
        Assert.Contains("not found", ex.Message);
        Assert.Contains("kubectl logs", ex.RecommendedAction);
    }

    [Fact]
    public async Task The_wait_is_bounded_by_the_timeout_and_says_where_it_stood()
    {
        var context = new RecordingOperationContext();
        using var cts = new CancellationTokenSource(Limit);
        var operatorRun = _sandbox.Operator.RunBackupAsync("nightly", stopBeforeCompletion: true, ct: cts.Token);
        var ex = await Assert.ThrowsAsync<OperationException>(() => _backups.StartAsync(Request(), new WaitOptions(true, TimeSpan.FromSeconds(3), false), context));
        await operatorRun;
        Assert.Equal(BackupErrorIds.BackupTimedOut, ex.ErrorId);
        Assert.Equal(FailureKind.OperationTimeout, ex.Kind);
        Assert.Contains("Finish the main steps", ex.Message);
    }

    [Fact]
    public async Task Refuses_a_second_APIManager_and_lists_both()
    {
        _sandbox.Server.Create(Objects.Parse("""{"apiVersion":"apps.3scale.net/v1alpha1","kind":"APIManager","metadata":{"name":"second","namespace":"3scale"},"spec":{"wildcardDomain":"x"}}"""));
        var ex = await RefusedAsync(Request(), BackupErrorIds.ApiManagerAmbiguous);
        Assert.Equal(new[] { "example-apimanager", "second" }, ex.Items);
    }

    [Fact]
    public async Task Refuses_a_namespace_without_APIManager()
    {
        _sandbox.Server.Delete("apimanagers", ThreescaleSandbox.Ns, "example-apimanager");
        await RefusedAsync(Request(), BackupErrorIds.ApiManagerNotFound);
    }

    [Fact]
    public async Task Refuses_an_ApiManagerName_that_does_not_match() =>
        await RefusedAsync(Request(apiManagerName: "prod"), BackupErrorIds.ApiManagerNameMismatch);

    [Fact]
    public async Task Refuses_internal_databases()
    {
        _sandbox.Server.Patch("apimanagers", ThreescaleSandbox.Ns, "example-apimanager",
            Objects.Parse("""{"spec":{"externalComponents":{"backend":{"redis":false}}}}"""));
        var ex = await RefusedAsync(Request(), BackupErrorIds.ComponentsNotExternal);
        Assert.Equal(new[] { "backend.redis" }, ex.Items);
    }

    [Fact]
    public async Task Refuses_S3_file_storage()
    {
        _sandbox.Server.Patch("apimanagers", ThreescaleSandbox.Ns, "example-apimanager",
            Objects.Parse("""{"spec":{"system":{"fileStorage":{"simpleStorageService":{"configurationSecretRef":{"name":"s3-auth"}}}}}}"""));
        await RefusedAsync(Request(), BackupErrorIds.FileStorageIsS3);
    }

    [Fact]
    public async Task Refuses_an_existing_claim_of_that_name_unless_Force()
    {
        _sandbox.CreateBoundClaim("nightly", "5Gi");
        await RefusedAsync(Request(), BackupErrorIds.BackupClaimExists);
        var context = new RecordingOperationContext();
        await _backups.StartAsync(Request(force: true), new WaitOptions(false, null, true), context);
        Assert.Contains(context.Warnings, w => w.Contains("-Force", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Refuses_a_missing_secret_the_Job_would_trip_over()
    {
        _sandbox.Server.Delete("secrets", ThreescaleSandbox.Ns, "zync");
        var ex = await RefusedAsync(Request(), BackupErrorIds.SourceObjectsMissing);
        Assert.Equal(new[] { "secret/zync" }, ex.Items);
    }

    [Theory]
    [InlineData("10GB", BackupErrorIds.InvalidStorageSize)]
    [InlineData("0", BackupErrorIds.InvalidStorageSize)]
    public async Task Refuses_bad_sizes(string size, string id) => await RefusedAsync(Request(size: size), id);

    [Fact]
    public async Task Refuses_bad_names() => await RefusedAsync(Request(name: "Nightly_1"), BackupErrorIds.InvalidBackupName);

    // A Pending claim at completion: the operator counts its Jobs, not the claim (apimanagerbackup_logic_reconciler.go).
    [Fact]
    public async Task A_completed_backup_whose_claim_is_not_Bound_is_reported_with_the_claim_events()
    {
        var context = new RecordingOperationContext();
        using var cts = new CancellationTokenSource(Limit);
        var operatorRun = _sandbox.Operator.RunBackupAsync("nightly", ct: cts.Token, claimPending: true);
        var info = await _backups.StartAsync(Request(), new WaitOptions(true, Limit, false), context);
        await operatorRun;

        Assert.NotNull(info);
        Assert.True(info.Completed);
        Assert.Equal("Pending", info.ClaimStatus);
        var error = Assert.IsType<BackupClaimNotBoundException>(Assert.Single(context.Errors).Error);
        Assert.Equal(BackupErrorIds.BackupClaimNotBound, error.ErrorId);
        Assert.Equal("Pending", error.Phase);
        Assert.Contains(error.Events, e => e.Reason == "FailedBinding");
        Assert.Contains("FailedBinding: no persistent volumes available", error.Message);
    }

    // In a real cluster the Job pods cannot start while the claim is unbound, so the wait ends at the timeout.
    [Fact]
    public async Task A_wait_that_times_out_with_the_claim_unbound_says_so_with_the_claim_events()
    {
        using var cts = new CancellationTokenSource(Limit);
        var operatorRun = _sandbox.Operator.RunBackupAsync("nightly", stopBeforeCompletion: true, ct: cts.Token, claimPending: true);
        var ex = await Assert.ThrowsAsync<BackupClaimNotBoundException>(() =>
            _backups.StartAsync(Request(), new WaitOptions(true, TimeSpan.FromSeconds(4), false), new RecordingOperationContext()));
        await operatorRun;
        Assert.Equal(BackupErrorIds.BackupTimedOut, ex.ErrorId);
        Assert.Equal(FailureKind.OperationTimeout, ex.Kind);
        Assert.Contains("did not complete within 4 s", ex.Message);
        Assert.Contains(ex.Events, e => e.Reason == "FailedBinding");
    }

    [Fact]
    public async Task Refuses_a_StorageClass_the_cluster_does_not_have()
    {
        var ex = await RefusedAsync(Request() with { StorageClass = "nosuch" }, BackupErrorIds.StorageClassNotFound);
        Assert.Equal(new[] { "standard" }, ex.Items);
    }

    [Fact]
    public async Task Refuses_no_StorageClass_when_no_class_is_the_default()
    {
        _sandbox.Server.Delete("storageclasses", null, "standard");
        _sandbox.Server.Create(Objects.StorageClass("gp3"));
        await RefusedAsync(Request(), BackupErrorIds.DefaultStorageClassMissing);
    }

    [Fact]
    public async Task Refuses_a_VolumeName_that_does_not_exist_or_is_bound_to_another_claim()
    {
        await RefusedAsync(Request() with { VolumeName = "nosuch" }, BackupErrorIds.VolumeNotFound);
        _sandbox.Server.Create(Objects.Volume("pv-taken", phase: "Bound", claimRef: """{"namespace":"other","name":"data","uid":"u-1"}"""));
        var ex = await RefusedAsync(Request() with { VolumeName = "pv-taken" }, BackupErrorIds.VolumeClaimedElsewhere);
        Assert.Contains("other/data", ex.Message);
    }

    [Fact]
    public async Task Force_backs_up_internal_databases_with_a_warning()
    {
        _sandbox.Server.Patch("apimanagers", ThreescaleSandbox.Ns, "example-apimanager",
            Objects.Parse("""{"spec":{"externalComponents":{"backend":{"redis":false}}}}"""));
        var context = new RecordingOperationContext();
        await _backups.StartAsync(Request(force: true), new WaitOptions(false, null, false), context);
        Assert.Contains(context.Warnings, w => w.Contains("backend.redis", StringComparison.Ordinal) && w.Contains("does not copy the data", StringComparison.Ordinal));
        Assert.Single(_sandbox.Server.List("apimanagerbackups", ThreescaleSandbox.Ns));
    }

    [Fact]
    public async Task Refuses_an_existing_backup_name()
    {
        await _backups.StartAsync(Request(), new WaitOptions(false, null, false), new RecordingOperationContext());
        var ex = await Assert.ThrowsAsync<BackupPreflightException>(() => _backups.StartAsync(Request(), new WaitOptions(false, null, false), new RecordingOperationContext()));
        Assert.Equal(BackupErrorIds.BackupExists, ex.ErrorId);
    }

    [Fact]
    public async Task Get_lists_backups_with_their_claims_and_reports_unknown_names()
    {
        using var cts = new CancellationTokenSource(Limit);
        var run = _sandbox.Operator.RunBackupAsync("nightly", ct: cts.Token);
        await _backups.StartAsync(Request(), new WaitOptions(true, Limit, false), new RecordingOperationContext());
        await run;
        await _backups.StartAsync(Request("weekly"), new WaitOptions(false, null, false), new RecordingOperationContext());

        var context = new RecordingOperationContext();
        var all = await Collect(_backups.GetAsync(new BackupQuery(ThreescaleSandbox.Ns), context));
        Assert.Equal(new[] { "nightly", "weekly" }, all.Select(b => b.Name));
        Assert.True(all[0].Completed);
        Assert.Equal("Bound", all[0].ClaimStatus);
        Assert.False(all[1].Completed);
        Assert.Null(all[1].ClaimStatus); // the operator has not named a claim yet

        var some = await Collect(_backups.GetAsync(new BackupQuery(ThreescaleSandbox.Ns, new[] { "night*", "monthly" }), context));
        Assert.Equal("nightly", Assert.Single(some).Name);
        var error = Assert.Single(context.Errors);
        Assert.Equal(BackupErrorIds.BackupNotFound, Assert.IsType<OperationException>(error.Error).ErrorId);

        var everywhere = await Collect(_backups.GetAsync(new BackupQuery(null, AllNamespaces: true), new RecordingOperationContext()));
        Assert.Equal(2, everywhere.Count);
    }

    [Fact]
    public async Task Remove_keeps_the_claim_unless_IncludeVolume_and_shows_size_and_phase()
    {
        using var cts = new CancellationTokenSource(Limit);
        var run = _sandbox.Operator.RunBackupAsync("nightly", ct: cts.Token);
        await _backups.StartAsync(Request(), new WaitOptions(true, Limit, false), new RecordingOperationContext());
        await run;

        await _backups.RemoveAsync(new BackupRemoval("nightly", ThreescaleSandbox.Ns, IncludeVolume: false), new RecordingOperationContext());
        Assert.Null(_sandbox.Server.Get("apimanagerbackups", ThreescaleSandbox.Ns, "nightly"));
        Assert.NotNull(_sandbox.Server.Get("persistentvolumeclaims", ThreescaleSandbox.Ns, "nightly"));

        var run2 = _sandbox.Operator.RunBackupAsync("weekly", ct: cts.Token);
        await _backups.StartAsync(Request("weekly", "3Gi"), new WaitOptions(true, Limit, false), new RecordingOperationContext());
        await run2;
        var context = new RecordingOperationContext();
        await _backups.RemoveAsync(new BackupRemoval("weekly", ThreescaleSandbox.Ns, IncludeVolume: true), context);
        Assert.Null(_sandbox.Server.Get("apimanagerbackups", ThreescaleSandbox.Ns, "weekly"));
        Assert.Null(_sandbox.Server.Get("persistentvolumeclaims", ThreescaleSandbox.Ns, "weekly"));
        Assert.Contains(context.ShouldProcessCalls, c => c.Target == "PersistentVolumeClaim 3scale/weekly (3Gi, Bound)");
    }

    [Fact]
    public async Task Declining_the_volume_prompt_keeps_the_data()
    {
        using var cts = new CancellationTokenSource(Limit);
        var run = _sandbox.Operator.RunBackupAsync("nightly", ct: cts.Token);
        await _backups.StartAsync(Request(), new WaitOptions(true, Limit, false), new RecordingOperationContext());
        await run;
        var context = new RecordingOperationContext((target, _) => !target.StartsWith("PersistentVolumeClaim", StringComparison.Ordinal));
        await _backups.RemoveAsync(new BackupRemoval("nightly", ThreescaleSandbox.Ns, IncludeVolume: true), context);
        Assert.Null(_sandbox.Server.Get("apimanagerbackups", ThreescaleSandbox.Ns, "nightly"));
        Assert.NotNull(_sandbox.Server.Get("persistentvolumeclaims", ThreescaleSandbox.Ns, "nightly"));
    }

    [Fact]
    public async Task IncludeVolume_never_deletes_a_claim_another_backup_wrote()
    {
        await _backups.StartAsync(Request(), new WaitOptions(false, null, false), new RecordingOperationContext());
        _sandbox.CreateBoundClaim("nightly", "1Gi", annotations: """{"apiManagerBackupName":"someone-else"}""");
        var context = new RecordingOperationContext();
        await _backups.RemoveAsync(new BackupRemoval("nightly", ThreescaleSandbox.Ns, IncludeVolume: true), context);
        Assert.NotNull(_sandbox.Server.Get("persistentvolumeclaims", ThreescaleSandbox.Ns, "nightly"));
        Assert.Equal(BackupErrorIds.ClaimDeleteSkipped, Assert.IsType<OperationException>(Assert.Single(context.Errors).Error).ErrorId);
    }

    [Fact]
    public async Task Removing_an_unknown_backup_is_a_per_item_error()
    {
        var context = new RecordingOperationContext();
        await _backups.RemoveAsync(new BackupRemoval("ghost", ThreescaleSandbox.Ns, false), context);
        Assert.Equal(BackupErrorIds.BackupNotFound, Assert.IsType<OperationException>(Assert.Single(context.Errors).Error).ErrorId);
    }

    internal static async Task<List<T>> Collect<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
            list.Add(item);
        return list;
    }
}

public sealed class ThreescaleNotInstalledTests
{
    [Fact]
    public async Task A_cluster_without_the_3scale_CRDs_gets_a_friendly_error()
    {
        await using var sandbox = await ThreescaleSandbox.StartAsync(installCrds: false, seed: false);
        var ex = await Assert.ThrowsAsync<OperationException>(() => new ApiManagerBackupOperations(sandbox.Client)
            .StartAsync(new BackupRequest("nightly", "3scale", StorageSize: "1Gi"), new WaitOptions(false, null, false), new RecordingOperationContext()));
        Assert.Equal(BackupErrorIds.CrdsNotInstalled, ex.ErrorId);
        Assert.Equal(FailureKind.NotInstalled, ex.Kind);
        Assert.Contains("3scale", ex.Message);
    }
}

public sealed class BackupNameCompletionTests
{
    [Fact]
    public async Task Completes_names_by_prefix_and_never_throws()
    {
        await using var sandbox = await ThreescaleSandbox.StartAsync();
        // No operator runs here, so the first backup never completes: -Force lets the others be created beside it.
        foreach (var name in new[] { "nightly", "night-2", "weekly" })
            await new ApiManagerBackupOperations(sandbox.Client).StartAsync(new BackupRequest(name, ThreescaleSandbox.Ns, StorageSize: "1Gi", Force: true),
                new WaitOptions(false, null, false), new RecordingOperationContext());
        Assert.Equal(new[] { "night-2", "nightly" }, await BackupNameCompletion.CompleteAsync(sandbox.Client, ThreescaleSandbox.Ns, "NIGHT"));
        Assert.Equal(3, (await BackupNameCompletion.CompleteAsync(sandbox.Client, ThreescaleSandbox.Ns, "")).Count);
        Assert.Empty(await BackupNameCompletion.CompleteAsync(sandbox.Client, "3scale", "x", restores: true));

        await using var bare = await ThreescaleSandbox.StartAsync(installCrds: false, seed: false);
        Assert.Empty(await BackupNameCompletion.CompleteAsync(bare.Client, "3scale", "n"));
    }
}

public sealed class OperatorAbsentTests
{
    [Fact]
    public async Task A_wait_with_no_operator_times_out_and_says_the_operator_never_answered()
    {
        await using var sandbox = await ThreescaleSandbox.StartAsync();
        var ex = await Assert.ThrowsAsync<OperationException>(() => new ApiManagerBackupOperations(sandbox.Client).StartAsync(
            new BackupRequest("nightly", ThreescaleSandbox.Ns, StorageSize: "1Gi"), new WaitOptions(true, TimeSpan.FromSeconds(2), false),
            new RecordingOperationContext()));
        Assert.Equal(BackupErrorIds.BackupTimedOut, ex.ErrorId);
        Assert.Contains("operator is running", ex.Message);
        Assert.Contains("step 1 of 8", ex.Message);
    }
}
