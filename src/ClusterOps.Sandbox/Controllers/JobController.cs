using System.Globalization;
using System.Text.Json.Nodes;
using ClusterOps.Sandbox.Server;

namespace ClusterOps.Sandbox.Controllers;

/// <summary>
/// The Job controller: one pod per Job, which completes after a delay (twice ReadyDelay, or the
/// sandbox.clusterops.io/duration annotation, on the sandbox clock); annotated sandbox.clusterops.io/fail: "true" it fails.
/// </summary>
internal sealed partial class ControllerManager
{
    public const string DurationAnnotation = "sandbox.clusterops.io/duration";

    private readonly Dictionary<string, DateTimeOffset> _jobsDue = new();

    private void ReconcileJob(Key key)
    {
        var stored = _store.Get(Jobs, key.Namespace, key.Name);
        if (stored == null || stored.IsDeleting) return;
        var job = stored.Parse();
        var ns = key.Namespace!;
        if (Json.Objects(Json.At(job, "status", "conditions")).Any(c => Json.Str(c, "type") is "Complete" or "Failed" && Json.Str(c, "status") == "True"))
            return;
        if (Json.Bool(job, "spec", "suspend") == true) return;

        var pods = _store.Snapshot(Pods, ns).Where(p => OwnedBy(p, stored.Uid)).ToList();
        if (!_jobsDue.TryGetValue(stored.Uid, out var due))
        {
            var start = ParseTime(Json.Str(job, "status", "startTime"), _store.Clock.UtcNow);
            due = start + JobDuration(job);
            _jobsDue[stored.Uid] = due;
        }
        if (Json.At(job, "status", "startTime") == null || pods.Count == 0)
        {
            if (pods.Count == 0)
            {
                var podName = $"{key.Name}-{Names.RandomSuffix()}";
                var pod = PodFromTemplate(job, podName, ns, new JsonObject
                {
                    ["batch.kubernetes.io/controller-uid"] = stored.Uid,
                    ["batch.kubernetes.io/job-name"] = key.Name,
                    ["controller-uid"] = stored.Uid,
                    ["job-name"] = key.Name,
                });
                _store.Create(Pods, pod, ns);
                _events.Normal(job, "SuccessfulCreate", $"Created pod: {podName}", "job-controller");
            }
            var now = _store.Clock.Timestamp();
            UpdateStatus(Jobs, ns, key.Name, o =>
            {
                var st = Json.Obj(o, "status");
                st["startTime"] ??= now;
                st["active"] = 1;
                st["ready"] = 0;
                st["terminating"] = 0;
                st["uncountedTerminatedPods"] = new JsonObject();
            });
        }
        if (!IsDue(key, due)) return;
        _jobsDue.Remove(stored.Uid);

        var failed = Json.Str(job, "metadata", "annotations", PodController.FailAnnotation) == "true";
        var finished = _store.Clock.Timestamp();
        foreach (var p in _store.Snapshot(Pods, ns).Where(p => OwnedBy(p, stored.Uid)))
        {
            UpdateStatus(Pods, ns, p.Name, o =>
            {
                var st = Json.Obj(o, "status");
                st["phase"] = failed ? "Failed" : "Succeeded";
                st["conditions"] = new JsonArray(
                    Condition("PodReadyToStartContainers", "False", finished),
                    Condition("Initialized", "True", finished),
                    Condition("Ready", "False", finished, failed ? "PodFailed" : "PodCompleted"),
                    Condition("ContainersReady", "False", finished, failed ? "PodFailed" : "PodCompleted"),
                    Condition("PodScheduled", "True", finished));
                st["containerStatuses"] = new JsonArray(Containers(o).Select(c => (JsonNode)new JsonObject
                {
                    ["name"] = Json.Str(c, "name"),
                    ["state"] = new JsonObject
                    {
                        ["terminated"] = new JsonObject
                        {
                            ["exitCode"] = failed ? 1 : 0, ["reason"] = failed ? "Error" : "Completed",
                            ["startedAt"] = Json.Str(o, "status", "startTime") ?? finished, ["finishedAt"] = finished,
                            ["containerID"] = $"containerd://{Guid.NewGuid():N}",
                        },
                    },
                    ["lastState"] = new JsonObject(), ["ready"] = false, ["restartCount"] = 0,
                    ["image"] = Json.Str(c, "image"), ["imageID"] = "", ["started"] = false,
                }).ToArray());
            });
        }
        UpdateStatus(Jobs, ns, key.Name, o =>
        {
            var st = Json.Obj(o, "status");
            st["active"] = 0;
            st["ready"] = 0;
            st["terminating"] = 0;
            if (failed)
            {
                st["failed"] = 1;
                st["conditions"] = new JsonArray(
                    JobCondition("FailureTarget", "BackoffLimitExceeded", "Job has reached the specified backoff limit", finished),
                    JobCondition("Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit", finished));
            }
            else
            {
                st["succeeded"] = Json.Long(o, "spec", "completions") ?? 1;
                st["completionTime"] = finished;
                st["conditions"] = new JsonArray(
                    JobCondition("SuccessCriteriaMet", "CompletionsReached", "Reached expected number of succeeded pods", finished),
                    JobCondition("Complete", "CompletionsReached", "Reached expected number of succeeded pods", finished));
            }
        });
        if (failed) _events.Warning(job, "BackoffLimitExceeded", "Job has reached the specified backoff limit", "job-controller");
        else _events.Normal(job, "Completed", "Job completed", "job-controller");
    }

    private TimeSpan JobDuration(JsonObject job)
    {
        var text = Json.Str(job, "metadata", "annotations", DurationAnnotation);
        if (text != null)
        {
            var t = text.Trim();
            if (t.EndsWith("ms", StringComparison.Ordinal) && double.TryParse(t[..^2], CultureInfo.InvariantCulture, out var ms)) return TimeSpan.FromMilliseconds(ms);
            if (t.EndsWith('s') && double.TryParse(t[..^1], CultureInfo.InvariantCulture, out var s)) return TimeSpan.FromSeconds(s);
            if (t.EndsWith('m') && double.TryParse(t[..^1], CultureInfo.InvariantCulture, out var m)) return TimeSpan.FromMinutes(m);
            if (t.EndsWith('h') && double.TryParse(t[..^1], CultureInfo.InvariantCulture, out var h)) return TimeSpan.FromHours(h);
        }
        return _options.ReadyDelay * 2;
    }

    private static JsonObject JobCondition(string type, string reason, string message, string now) => new()
    {
        ["type"] = type, ["status"] = "True", ["lastProbeTime"] = now, ["lastTransitionTime"] = now, ["reason"] = reason, ["message"] = message,
    };
}
