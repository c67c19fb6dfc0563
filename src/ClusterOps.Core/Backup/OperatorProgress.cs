using System.Text.Json.Nodes;

namespace ClusterOps.Core.Backup;

public enum StepState
{
    Pending,
    Running,
    Succeeded,
    Failed,
}

/// <summary>One step of a backup or restore as the operator performs it, in the operator's order.</summary>
public sealed record ProgressStep(string Name, StepState State, string? Detail = null, string? JobName = null);

/// <summary>Why one of the operator's Jobs failed: the Job's own verdict and what its last pod said.</summary>
public sealed record JobFailure(
    string JobName,
    string? JobReason,
    string? JobMessage,
    string? PodName,
    string? PodReason,
    string? PodMessage,
    int? ExitCode)
{
    public string Describe()
    {
        var parts = new List<string> { $"Job '{JobName}' failed" };
        if (JobReason is not null)
            parts[0] += $" ({JobReason}{(JobMessage is null ? "" : ": " + JobMessage)})";
        if (PodName is not null)
        {
            var pod = $"pod '{PodName}'";
            if (PodReason is not null) pod += $": {PodReason}";
            if (ExitCode is not null) pod += $", exit code {ExitCode}";
            if (!string.IsNullOrWhiteSpace(PodMessage)) pod += $" - {PodMessage.Trim()}";
            parts.Add(pod);
        }
        return string.Join("; ", parts);
    }
}

/// <summary>Where a backup or restore stands: its steps, whether it finished, and why it cannot finish.</summary>
public sealed record ProgressSnapshot(IReadOnlyList<ProgressStep> Steps, bool Completed, JobFailure? Failure, string? Stuck)
{
    public ProgressStep? Current => Steps.FirstOrDefault(s => s.State != StepState.Succeeded);
    public int PercentComplete => Steps.Count == 0 ? 0 : Steps.Count(s => s.State == StepState.Succeeded) * 100 / Steps.Count;
    public int CurrentIndex => Current is null ? Steps.Count : Steps.ToList().IndexOf(Current) + 1;
}

/// <summary>
/// Reads an operator Job and its pods. The operator counts a Job done only at succeeded == 1 and never looks at
/// failures, so this is where a failed Job (condition Failed) or a stuck pod becomes visible.
/// </summary>
public static class JobInterpreter
{
    private static readonly HashSet<string> StuckWaitingReasons = new(StringComparer.Ordinal)
    {
        "ImagePullBackOff", "ErrImagePull", "InvalidImageName", "CreateContainerConfigError", "CreateContainerError",
        "CrashLoopBackOff", "RunContainerError",
    };

    public sealed record JobReading(StepState State, string? Detail, JobFailure? Failure, string? Stuck);

    public static JobReading Read(string jobName, JsonObject? job, IEnumerable<JsonObject> pods)
    {
        if (job is null)
            return new JobReading(StepState.Pending, null, null, null);
        var ownPods = pods.Where(p => BelongsTo(p, jobName, job.Uid()))
            .OrderBy(p => p.Time("metadata", "creationTimestamp") ?? DateTimeOffset.MinValue).ToList();
        var last = ownPods.LastOrDefault();
        if ((job.Long("status", "succeeded") ?? 0) >= 1 || job.Condition("Complete")?.Status == "True")
            return new JobReading(StepState.Succeeded, null, null, null);

        var failed = job.Condition("Failed");
        var failedPods = job.Long("status", "failed") ?? 0;
        if (failed?.Status == "True")
        {
            var lastFailedPod = ownPods.LastOrDefault(p => p.Str("status", "phase") == "Failed") ?? last;
            return new JobReading(StepState.Failed, failed.Value.Reason, FailureOf(jobName, failed.Value.Reason, failed.Value.Message, lastFailedPod), null);
        }
        var stuck = last is null ? null : StuckReason(last);
        var detail = failedPods > 0 ? $"{failedPods} failed attempt(s), retrying" : null;
        if (failedPods > 0 && ownPods.LastOrDefault(p => p.Str("status", "phase") == "Failed") is { } previous)
        {
            var why = FailureOf(jobName, null, null, previous);
            detail += $": {why.PodReason}{(why.ExitCode is null ? "" : $" (exit code {why.ExitCode})")}";
        }
        return new JobReading(StepState.Running, detail, null, stuck is null ? null : $"Job '{jobName}': {stuck}");
    }

    private static bool BelongsTo(JsonObject pod, string jobName, string? jobUid)
    {
        var labels = pod.At("metadata", "labels");
        if (jobUid is not null && (labels.Str("controller-uid") == jobUid || labels.Str("batch.kubernetes.io/controller-uid") == jobUid))
            return true;
        if (labels.Str("job-name") == jobName || labels.Str("batch.kubernetes.io/job-name") == jobName)
            return true;
        return pod.Objects("metadata", "ownerReferences").Any(o => o.Str("kind") == "Job" && o.Str("name") == jobName);
    }

    /// <summary>Why a pod that is not running will not start by itself (null when it is just starting).</summary>
    public static string? StuckReason(JsonObject pod)
    {
        if (pod.Str("status", "phase") is "Succeeded" or "Failed")
            return null;
        var scheduled = pod.Condition("PodScheduled");
        if (scheduled is { Status: "False" })
            return $"pod '{pod.Name()}' cannot be scheduled ({scheduled.Value.Reason}): {scheduled.Value.Message}";
        foreach (var c in pod.Objects("status", "containerStatuses").Concat(pod.Objects("status", "initContainerStatuses")))
        {
            var reason = c.Str("state", "waiting", "reason");
            if (reason is not null && StuckWaitingReasons.Contains(reason))
                return $"pod '{pod.Name()}' container '{c.Str("name")}' is {reason}: {c.Str("state", "waiting", "message")}";
        }
        return null;
    }

    private static JobFailure FailureOf(string jobName, string? jobReason, string? jobMessage, JsonObject? pod)
    {
        if (pod is null)
            return new JobFailure(jobName, jobReason, jobMessage, null, null, null, null);
        string? reason = pod.Str("status", "reason"), message = pod.Str("status", "message");
        int? exitCode = null;
        foreach (var c in pod.Objects("status", "containerStatuses"))
        {
            if (c.At("state", "terminated") is JsonObject terminated && (terminated.Long("exitCode") ?? 0) != 0)
            {
                reason = terminated.Str("reason") ?? reason ?? "Error";
                message = terminated.Str("message") ?? message;
                exitCode = (int?)terminated.Long("exitCode");
                break;
            }
            if (c.Str("state", "waiting", "reason") is { } waiting)
            {
                reason ??= waiting;
                message ??= c.Str("state", "waiting", "message");
            }
        }
        return new JobFailure(jobName, jobReason, jobMessage, pod.Name(), reason, message, exitCode);
    }
}

/// <summary>
/// One step definition: how to read it from the CR and its Jobs. Steps run strictly in order in the operator, so
/// evidence of a later step proves every earlier one succeeded (Jobs are deleted once the main steps are done).
/// </summary>
internal sealed record StepDefinition(string Name, Func<JsonObject, bool>? Done = null, string? JobPrefix = null);

internal static class StepEvaluator
{
    public static ProgressSnapshot Evaluate(JsonObject cr, IReadOnlyList<StepDefinition> definitions,
        IReadOnlyCollection<JsonObject> jobs, IReadOnlyCollection<JsonObject> pods, Func<int, string?>? pendingDetail = null)
    {
        var uid = cr.Uid() ?? "";
        var steps = new List<ProgressStep>();
        JobFailure? failure = null;
        string? stuck = null;
        foreach (var d in definitions)
        {
            if (d.JobPrefix is not null)
            {
                var jobName = ThreescaleApi.JobName(d.JobPrefix, uid);
                var job = jobs.FirstOrDefault(j => j.Name() == jobName);
                var reading = JobInterpreter.Read(jobName, job, pods);
                failure ??= reading.Failure;
                stuck ??= reading.Stuck;
                steps.Add(new ProgressStep(d.Name, reading.State, reading.Stuck ?? reading.Detail, jobName));
            }
            else
            {
                steps.Add(new ProgressStep(d.Name, d.Done!(cr) ? StepState.Succeeded : StepState.Pending));
            }
        }
        var completed = cr.Bool("status", "completed") == true;
        int lastStarted = completed ? steps.Count - 1 : steps.FindLastIndex(s => s.State != StepState.Pending);
        for (int i = 0; i < lastStarted; i++)
        {
            if (steps[i].State != StepState.Failed)
                steps[i] = steps[i] with { State = StepState.Succeeded, Detail = null };
        }
        if (completed && lastStarted >= 0)
            steps[lastStarted] = steps[lastStarted] with { State = StepState.Succeeded, Detail = null };
        int current = steps.FindIndex(s => s.State != StepState.Succeeded);
        if (!completed && failure is null && current >= 0 && steps[current].State == StepState.Pending && cr.At("metadata", "deletionTimestamp") is null)
            steps[current] = steps[current] with { State = StepState.Running, Detail = steps[current].Detail ?? pendingDetail?.Invoke(current) };
        return new ProgressSnapshot(steps, completed, failure, stuck);
    }
}

/// <summary>The backup's steps (controllers/apps/apimanagerbackup_logic_reconciler.go, in order).</summary>
public static class BackupProgress
{
    public const string SecretsJobPrefix = "backup-cfgmaps-secrets";
    public const string ApiManagerJobPrefix = "backup-apimanager-cr";
    public const string FileStorageJobPrefix = "backup-system-fs-pvc";

    /// <summary>The status fields in the order the operator sets them.</summary>
    public static readonly IReadOnlyList<string> StatusFieldOrder = new[]
    {
        "apiManagerSourceName", "startTime", "backupPersistentVolumeClaimName", "mainStepsCompleted", "completed",
        "completionTime",
    };

    private static readonly StepDefinition[] Steps =
    {
        new("Select the APIManager", Done: cr => cr.Str("status", "apiManagerSourceName") is not null),
        new("Record the start time", Done: cr => cr.Str("status", "startTime") is not null),
        new("Create the backup claim", Done: cr => cr.Str("status", "backupPersistentVolumeClaimName") is not null),
        new("Back up secrets and config maps", JobPrefix: SecretsJobPrefix),
        new("Back up the APIManager resource", JobPrefix: ApiManagerJobPrefix),
        new("Back up System's file storage", JobPrefix: FileStorageJobPrefix),
        new("Finish the main steps", Done: cr => cr.Bool("status", "mainStepsCompleted") == true),
        new("Clean up the Jobs", Done: cr => cr.Bool("status", "completed") == true),
    };

    public static IReadOnlyList<string> StepNames => Steps.Select(s => s.Name).ToList();

    public static IReadOnlyList<string> JobNames(string uid) =>
        new[] { SecretsJobPrefix, ApiManagerJobPrefix, FileStorageJobPrefix }.Select(p => ThreescaleApi.JobName(p, uid)).ToList();

    public static ProgressSnapshot Interpret(JsonObject backup, IReadOnlyCollection<JsonObject> jobs, IReadOnlyCollection<JsonObject> pods) =>
        StepEvaluator.Evaluate(backup, Steps, jobs, pods);
}

/// <summary>The restore's steps (controllers/apps/apimanagerrestore_logic_reconciler.go, in order).</summary>
public static class RestoreProgress
{
    public const string SecretsJobPrefix = "restore-cfgmaps-secrets";
    public const string SharedSecretJobPrefix = "restore-apm-tosecret";
    public const string FileStorageJobPrefix = "restore-system-fs";
    public const string ResyncJobPrefix = "resync-domains";

    private static readonly StepDefinition[] Steps =
    {
        new("Record the start time", Done: cr => cr.Str("status", "startTime") is not null),
        new("Restore secrets and config maps", JobPrefix: SecretsJobPrefix),
        new("Read the APIManager from the backup", JobPrefix: SharedSecretJobPrefix),
        new("Name the APIManager to restore", Done: cr => cr.Str("status", "apiManagerToRestoreRef", "name") is not null),
        new("Restore System's file storage", JobPrefix: FileStorageJobPrefix),
        new("Create the APIManager and wait for system-sidekiq", Done: _ => false),
        new("Resync zync domains", JobPrefix: ResyncJobPrefix),
        new("Wait for the APIManager to be Available", Done: _ => false),
        new("Finish the main steps", Done: cr => cr.Bool("status", "mainStepsCompleted") == true),
        new("Clean up the Jobs", Done: cr => cr.Bool("status", "completed") == true),
    };

    public static IReadOnlyList<string> StepNames => Steps.Select(s => s.Name).ToList();

    public static IReadOnlyList<string> JobNames(string uid) =>
        new[] { SecretsJobPrefix, SharedSecretJobPrefix, FileStorageJobPrefix, ResyncJobPrefix }
            .Select(p => ThreescaleApi.JobName(p, uid)).ToList();

    /// <param name="apiManager">The APIManager being restored, when it exists: its readiness explains the waits.</param>
    public static ProgressSnapshot Interpret(JsonObject restore, IReadOnlyCollection<JsonObject> jobs, IReadOnlyCollection<JsonObject> pods,
        JsonObject? apiManager = null) =>
        StepEvaluator.Evaluate(restore, Steps, jobs, pods, index => WaitDetail(index, apiManager));

    private static string? WaitDetail(int index, JsonObject? apiManager)
    {
        if (Steps[index].Name.StartsWith("Create the APIManager", StringComparison.Ordinal))
        {
            if (apiManager is null)
                return "APIManager not created yet";
            var ready = apiManager.At("status", "deployments", "ready") as JsonArray;
            return ready?.Any(r => r?.ToString() == "system-sidekiq") == true ? null : "system-sidekiq not ready yet";
        }
        if (Steps[index].Name.StartsWith("Wait for the APIManager", StringComparison.Ordinal) && apiManager is not null)
        {
            var available = apiManager.Condition("Available");
            return available is null ? null : $"Available={available.Value.Status}{(available.Value.Message is null ? "" : ": " + available.Value.Message)}";
        }
        return null;
    }
}
