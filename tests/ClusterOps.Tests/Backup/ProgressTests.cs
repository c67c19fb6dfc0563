using System.Text.Json.Nodes;
using ClusterOps.Core.Backup;

namespace ClusterOps.Tests.Backup;

public sealed class BackupProgressTests
{
    private const string Uid = "b-uid";
    private static readonly string SecretsJob = "backup-cfgmaps-secrets-" + Uid;
    private static readonly string CrJob = "backup-apimanager-cr-" + Uid;
    private static readonly string FsJob = "backup-system-fs-pvc-" + Uid;
    private static readonly JsonObject[] NoPods = Array.Empty<JsonObject>();

    private static StepState[] States(ProgressSnapshot s) => s.Steps.Select(x => x.State).ToArray();

    [Fact]
    public void Steps_are_in_the_operator_order() =>
        Assert.Equal(new[]
        {
            "Select the APIManager", "Record the start time", "Create the backup claim", "Back up secrets and config maps",
            "Back up the APIManager resource", "Back up System's file storage", "Finish the main steps", "Clean up the Jobs",
        }, BackupProgress.StepNames);

    [Fact]
    public void A_new_backup_is_at_its_first_step()
    {
        var s = BackupProgress.Interpret(Objects.Backup(), Array.Empty<JsonObject>(), NoPods);
        Assert.Equal(StepState.Running, s.Steps[0].State);
        Assert.All(s.Steps.Skip(1), step => Assert.Equal(StepState.Pending, step.State));
        Assert.Equal(0, s.PercentComplete);
        Assert.False(s.Completed);
    }

    [Fact]
    public void A_running_Job_is_the_current_step_and_earlier_steps_are_done()
    {
        var backup = Objects.Backup(status: """{"apiManagerSourceName":"example-apimanager","startTime":"2026-11-21T10:00:00Z","backupPersistentVolumeClaimName":"nightly"}""");
        var jobs = new[] { Objects.Job(SecretsJob, """{"succeeded":1}"""), Objects.Job(CrJob, """{"active":1}""") };
        var s = BackupProgress.Interpret(backup, jobs, NoPods);
        Assert.Equal(new[] { StepState.Succeeded, StepState.Succeeded, StepState.Succeeded, StepState.Succeeded, StepState.Running,
            StepState.Pending, StepState.Pending, StepState.Pending }, States(s));
        Assert.Equal("Back up the APIManager resource", s.Current!.Name);
        Assert.Equal(CrJob, s.Current.JobName);
        Assert.Equal(5, s.CurrentIndex);
        Assert.Null(s.Failure);
    }

    [Fact]
    public void After_main_steps_the_deleted_Jobs_still_count_as_done()
    {
        var backup = Objects.Backup(status: """{"apiManagerSourceName":"a","startTime":"2026-11-21T10:00:00Z","backupPersistentVolumeClaimName":"nightly","mainStepsCompleted":true}""");
        var s = BackupProgress.Interpret(backup, Array.Empty<JsonObject>(), NoPods);
        Assert.Equal(StepState.Running, s.Steps[^1].State);
        Assert.All(s.Steps.SkipLast(1), step => Assert.Equal(StepState.Succeeded, step.State));
    }

    [Fact]
    public void A_completed_backup_has_every_step_done()
    {
        var backup = Objects.Backup(status: """{"completed":true,"mainStepsCompleted":true,"apiManagerSourceName":"a","startTime":"2026-11-21T10:00:00Z","completionTime":"2026-11-21T10:03:00Z","backupPersistentVolumeClaimName":"nightly"}""");
        var s = BackupProgress.Interpret(backup, Array.Empty<JsonObject>(), NoPods);
        Assert.True(s.Completed);
        Assert.Equal(100, s.PercentComplete);
        Assert.Null(s.Current);
    }

    [Fact]
    public void A_failed_Job_is_reported_with_its_pod_and_the_container_reason()
    {
        var backup = Objects.Backup(status: """{"apiManagerSourceName":"a","startTime":"2026-11-21T10:00:00Z","backupPersistentVolumeClaimName":"nightly"}""");
        var job = Objects.Job(SecretsJob, """{"failed":7,"conditions":[{"type":"Failed","status":"True","reason":"BackoffLimitExceeded","message":"Job has reached the specified backoff limit"}]}""");
        var terminated = """[{"name":"backup-cfgmaps-secrets","state":{"terminated":{"exitCode":1,"reason":"Error","message":"json.decoder.JSONDecodeError: Expecting value"}}}]""";
        var pods = new[]
        {
            Objects.Pod("old-pod", SecretsJob, "Failed", terminated, created: "2026-11-21T10:00:05Z"),
            Objects.Pod("last-pod", SecretsJob, "Failed", terminated, created: "2026-11-21T10:05:00Z"),
            Objects.Pod("unrelated", "some-other-job", "Failed", terminated, created: "2026-11-21T11:00:00Z"),
        };
        var s = BackupProgress.Interpret(backup, new[] { job }, pods);
        Assert.Equal(StepState.Failed, s.Steps[3].State);
        var f = Assert.IsType<JobFailure>(s.Failure);
        Assert.Equal(SecretsJob, f.JobName);
        Assert.Equal("BackoffLimitExceeded", f.JobReason);
        Assert.Equal("last-pod", f.PodName);
        Assert.Equal("Error", f.PodReason);
        Assert.Equal(1, f.ExitCode);
        Assert.Contains("JSONDecodeError", f.Describe());
        Assert.Contains("exit code 1", f.Describe());
    }

    [Fact]
    public void A_failed_attempt_that_is_retried_is_not_a_failure_yet()
    {
        var backup = Objects.Backup(status: """{"apiManagerSourceName":"a","startTime":"t","backupPersistentVolumeClaimName":"nightly"}""");
        var job = Objects.Job(SecretsJob, """{"failed":1,"active":1}""");
        var pods = new[] { Objects.Pod("p1", SecretsJob, "Failed", """[{"name":"c","state":{"terminated":{"exitCode":2,"reason":"Error"}}}]""") };
        var s = BackupProgress.Interpret(backup, new[] { job }, pods);
        Assert.Null(s.Failure);
        Assert.Equal(StepState.Running, s.Steps[3].State);
        Assert.Contains("exit code 2", s.Steps[3].Detail);
    }

    [Fact]
    public void An_unschedulable_pod_is_reported_as_stuck()
    {
        var backup = Objects.Backup(status: """{"apiManagerSourceName":"a","startTime":"t","backupPersistentVolumeClaimName":"nightly"}""");
        var jobs = new[] { Objects.Job(SecretsJob, """{"succeeded":1}"""), Objects.Job(CrJob, """{"succeeded":1}"""), Objects.Job(FsJob, """{"active":1}""") };
        var pods = new[] { Objects.Pod("fs-pod", FsJob, "Pending", conditions: """[{"type":"PodScheduled","status":"False","reason":"Unschedulable","message":"persistentvolumeclaim \"system-storage\" not found"}]""") };
        var s = BackupProgress.Interpret(backup, jobs, pods);
        Assert.Null(s.Failure);
        Assert.Contains("system-storage", s.Stuck);
        Assert.Contains("Unschedulable", s.Steps[5].Detail);
    }

    [Fact]
    public void Pods_are_matched_by_controller_uid_too()
    {
        var job = Objects.Job(SecretsJob, """{"conditions":[{"type":"Failed","status":"True","reason":"DeadlineExceeded"}]}""", uid: "job-123");
        var pod = Objects.Parse("""{"metadata":{"name":"p","labels":{"batch.kubernetes.io/controller-uid":"job-123"}},"status":{"phase":"Failed","reason":"DeadlineExceeded"}}""");
        var reading = JobInterpreter.Read(SecretsJob, job, new[] { pod });
        Assert.Equal("p", reading.Failure!.PodName);
        Assert.Equal("DeadlineExceeded", reading.Failure.PodReason);
    }
}

public sealed class RestoreProgressTests
{
    private const string Uid = "r-uid";

    [Fact]
    public void Steps_follow_the_restore_reconciler()
    {
        Assert.Equal(10, RestoreProgress.StepNames.Count);
        Assert.Equal(new[] { "restore-cfgmaps-secrets-r-uid", "restore-apm-tosecret-r-uid", "restore-system-fs-r-uid", "resync-domains-r-uid" },
            RestoreProgress.JobNames(Uid));
    }

    [Fact]
    public void Waiting_for_sidekiq_explains_itself_from_the_APIManager()
    {
        var restore = Objects.Restore(status: """{"startTime":"t","apiManagerToRestoreRef":{"name":"example-apimanager"}}""");
        var jobs = new[]
        {
            Objects.Job("restore-cfgmaps-secrets-" + Uid, """{"succeeded":1}"""),
            Objects.Job("restore-apm-tosecret-" + Uid, """{"succeeded":1}"""),
            Objects.Job("restore-system-fs-" + Uid, """{"succeeded":1}"""),
        };
        var s = RestoreProgress.Interpret(restore, jobs, Array.Empty<JsonObject>(), Objects.ApiManager());
        Assert.Equal("Create the APIManager and wait for system-sidekiq", s.Current!.Name);
        Assert.Equal(StepState.Running, s.Current.State);
        Assert.Equal("system-sidekiq not ready yet", s.Current.Detail);
        Assert.Equal(50, s.PercentComplete);
    }

    [Fact]
    public void A_failed_resync_Job_is_a_failure()
    {
        var restore = Objects.Restore(status: """{"startTime":"t","apiManagerToRestoreRef":{"name":"a"}}""");
        var jobs = new[] { Objects.Job("resync-domains-" + Uid, """{"failed":7,"conditions":[{"type":"Failed","status":"True","reason":"BackoffLimitExceeded"}]}""") };
        var s = RestoreProgress.Interpret(restore, jobs, Array.Empty<JsonObject>());
        Assert.Equal("resync-domains-" + Uid, s.Failure!.JobName);
        Assert.All(s.Steps.Take(6), step => Assert.Equal(StepState.Succeeded, step.State));
        Assert.Equal(StepState.Failed, s.Steps[6].State);
    }
}

public sealed class BackupInfoTests
{
    [Fact]
    public void Flattens_status_and_claim_into_csv_friendly_properties()
    {
        var backup = Objects.Backup(status: """{"completed":true,"apiManagerSourceName":"example-apimanager","startTime":"2026-11-21T10:00:00Z","completionTime":"2026-11-21T10:03:30Z","backupPersistentVolumeClaimName":"nightly"}""");
        var info = ApiManagerBackupInfo.From(backup, Objects.Claim("nightly", size: "20Gi"));
        Assert.Equal("nightly", info.Name);
        Assert.Equal("3scale", info.Namespace);
        Assert.True(info.Completed);
        Assert.Equal("example-apimanager", info.ApiManager);
        Assert.Equal(TimeSpan.FromSeconds(210), info.Duration);
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero), info.StartTime);
        Assert.Equal("nightly", info.ClaimName);
        Assert.Equal("Bound", info.ClaimStatus);
        Assert.Equal(20L << 30, info.Size); // 20Gi, in bytes
        Assert.Same(backup, info.Object);
    }

    [Fact]
    public void A_claim_that_is_gone_is_Missing_and_the_size_falls_back_to_the_request()
    {
        var backup = Objects.Backup(status: """{"backupPersistentVolumeClaimName":"nightly"}""");
        var info = ApiManagerBackupInfo.From(backup, null);
        Assert.Equal("Missing", info.ClaimStatus);
        Assert.Equal(10L << 30, info.Size); // 10Gi, in bytes
        Assert.Null(info.Duration);
        Assert.False(info.Completed);
    }

    [Fact]
    public void A_restore_names_its_claim_and_the_backup_that_wrote_it()
    {
        var info = ApiManagerRestoreInfo.From(Objects.Restore(status: """{"apiManagerToRestoreRef":{"name":"example-apimanager"}}"""),
            Objects.Claim("nightly", annotations: Objects.BackupAnnotations));
        Assert.Equal("nightly", info.ClaimName);
        Assert.Equal("nightly", info.BackupName);
        Assert.Equal("example-apimanager", info.ApiManager);
        Assert.Equal("Bound", info.ClaimStatus);
    }
}
