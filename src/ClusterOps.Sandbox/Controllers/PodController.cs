using System.Text.Json.Nodes;
using ClusterOps.Sandbox.Server;

namespace ClusterOps.Sandbox.Controllers;

/// <summary>The scheduler and kubelet: fresh pods are scheduled, then after ReadyDelay run and become Ready, unless annotated to fail.</summary>
internal static class PodController
{
    public const string NodeName = "sandbox-node-1";
    public const string FailAnnotation = "sandbox.clusterops.io/fail";
    /// <summary>With fail=Unschedulable: the scheduler's message (default: not enough CPU).</summary>
    public const string UnschedulableMessageAnnotation = "sandbox.clusterops.io/unschedulable-message";
}

internal sealed partial class ControllerManager
{
    private enum PodStage { Unschedulable, Starting, Started }

    private readonly Dictionary<string, (PodStage Stage, DateTimeOffset ReadyAt)> _pods = new();
    private int _nextPodIp = 10;

    private void ReconcilePod(Key key)
    {
        var stored = _store.Get(Pods, key.Namespace, key.Name);
        if (stored == null) return;
        var pod = stored.Parse();
        if (stored.IsDeleting) return;
        var fail = Json.Str(pod, "metadata", "annotations", PodController.FailAnnotation);
        if (!_pods.TryGetValue(stored.Uid, out var state))
        {
            if (!IsFresh(pod)) return;
            if (fail == "Unschedulable")
            {
                _pods[stored.Uid] = (PodStage.Unschedulable, default);
                var why = Json.Str(pod, "metadata", "annotations", PodController.UnschedulableMessageAnnotation)
                    ?? "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.";
                UpdateStatus(Pods, key.Namespace, key.Name, p => p["status"] = new JsonObject
                {
                    ["phase"] = "Pending",
                    ["conditions"] = new JsonArray(new JsonObject
                    {
                        ["type"] = "PodScheduled", ["status"] = "False", ["lastProbeTime"] = null,
                        ["lastTransitionTime"] = _store.Clock.Timestamp(), ["reason"] = "Unschedulable", ["message"] = why,
                    }),
                    ["qosClass"] = "BestEffort",
                });
                _events.Warning(pod, "FailedScheduling", why, "default-scheduler");
                return;
            }
            Schedule(key, pod);
            var readyAt = _store.Clock.UtcNow + _options.ReadyDelay;
            _pods[stored.Uid] = (PodStage.Starting, readyAt);
            IsDue(key, readyAt);
            return;
        }
        if (state.Stage != PodStage.Starting || !IsDue(key, state.ReadyAt)) return;
        _pods[stored.Uid] = (PodStage.Started, state.ReadyAt);
        if (Json.Str(pod, "status", "phase") is "Succeeded" or "Failed") return;
        Start(key, pod, fail);
    }

    private static bool IsFresh(JsonObject pod) =>
        Json.At(pod, "status", "startTime") == null && Json.At(pod, "status", "containerStatuses") == null
        && Json.At(pod, "status", "conditions") == null && (Json.Str(pod, "status", "phase") ?? "Pending") == "Pending";

    private static IEnumerable<JsonObject> Containers(JsonObject pod) => Json.Objects(Json.At(pod, "spec", "containers"));

    private void Schedule(Key key, JsonObject pod)
    {
        var now = _store.Clock.Timestamp();
        if (Json.Str(pod, "spec", "nodeName") == null)
            _store.Mutate(Pods, key.Namespace, key.Name, p =>
            {
                Json.Obj(p, "spec")["nodeName"] = PodController.NodeName;
                return p;
            }, null);
        var n = Interlocked.Increment(ref _nextPodIp);
        var ip = $"10.244.{n / 250}.{n % 250 + 1}";
        UpdateStatus(Pods, key.Namespace, key.Name, p => p["status"] = new JsonObject
        {
            ["phase"] = "Pending",
            ["conditions"] = new JsonArray(
                Condition("PodReadyToStartContainers", "False", now),
                Condition("Initialized", "True", now),
                Condition("Ready", "False", now, "ContainersNotReady", $"containers with unready status: [{string.Join(" ", Containers(p).Select(c => Json.Str(c, "name")))}]"),
                Condition("ContainersReady", "False", now, "ContainersNotReady", $"containers with unready status: [{string.Join(" ", Containers(p).Select(c => Json.Str(c, "name")))}]"),
                Condition("PodScheduled", "True", now)),
            ["hostIP"] = "192.168.49.2",
            ["hostIPs"] = new JsonArray(new JsonObject { ["ip"] = "192.168.49.2" }),
            ["podIP"] = ip,
            ["podIPs"] = new JsonArray(new JsonObject { ["ip"] = ip }),
            ["startTime"] = now,
            ["containerStatuses"] = new JsonArray(Containers(p).Select(c => (JsonNode)new JsonObject
            {
                ["name"] = Json.Str(c, "name"), ["state"] = new JsonObject { ["waiting"] = new JsonObject { ["reason"] = "ContainerCreating" } },
                ["lastState"] = new JsonObject(), ["ready"] = false, ["restartCount"] = 0, ["image"] = Json.Str(c, "image"), ["imageID"] = "", ["started"] = false,
            }).ToArray()),
            ["qosClass"] = "BestEffort",
        });
        _events.Normal(pod, "Scheduled", $"Successfully assigned {key.Namespace}/{key.Name} to {PodController.NodeName}", "default-scheduler");
    }

    private static JsonObject Condition(string type, string status, string now, string? reason = null, string? message = null)
    {
        var c = new JsonObject { ["type"] = type, ["status"] = status, ["lastProbeTime"] = null, ["lastTransitionTime"] = now };
        if (reason != null) c["reason"] = reason;
        if (message != null) c["message"] = message;
        return c;
    }

    private void Start(Key key, JsonObject pod, string? fail)
    {
        var now = _store.Clock.Timestamp();
        var uid = Json.Str(pod, "metadata", "uid");
        var names = Containers(pod).Select(c => Json.Str(c, "name")).ToList();
        foreach (var c in Containers(pod))
        {
            var field = $"spec.containers{{{Json.Str(c, "name")}}}";
            if (fail == "ImagePullBackOff")
            {
                _events.Record(pod, "Normal", "Pulling", $"Pulling image \"{Json.Str(c, "image")}\"", "kubelet", field);
                _events.Record(pod, "Warning", "Failed", $"Failed to pull image \"{Json.Str(c, "image")}\": rpc error: code = NotFound desc = failed to pull and unpack image \"{Json.Str(c, "image")}\": not found", "kubelet", field);
                _events.Record(pod, "Warning", "Failed", "Error: ErrImagePull", "kubelet", field);
                _events.Record(pod, "Normal", "BackOff", $"Back-off pulling image \"{Json.Str(c, "image")}\"", "kubelet", field);
                _events.Record(pod, "Warning", "Failed", "Error: ImagePullBackOff", "kubelet", field);
                continue;
            }
            _events.Record(pod, "Normal", "Pulled", $"Container image \"{Json.Str(c, "image")}\" already present on machine", "kubelet", field);
            _events.Record(pod, "Normal", "Created", $"Created container {Json.Str(c, "name")}", "kubelet", field);
            _events.Record(pod, "Normal", "Started", $"Started container {Json.Str(c, "name")}", "kubelet", field);
            if (fail == "CrashLoopBackOff")
                _events.Record(pod, "Warning", "BackOff", $"Back-off restarting failed container {Json.Str(c, "name")} in pod {key.Name}_{key.Namespace}({uid})", "kubelet", field);
        }
        UpdateStatus(Pods, key.Namespace, key.Name, p =>
        {
            var status = Json.Obj(p, "status");
            var ready = fail is not ("CrashLoopBackOff" or "ImagePullBackOff");
            status["phase"] = fail == "ImagePullBackOff" ? "Pending" : "Running";
            var unready = $"containers with unready status: [{string.Join(" ", names)}]";
            status["conditions"] = new JsonArray(
                Condition("PodReadyToStartContainers", "True", now),
                Condition("Initialized", "True", now),
                ready ? Condition("Ready", "True", now) : Condition("Ready", "False", now, "ContainersNotReady", unready),
                ready ? Condition("ContainersReady", "True", now) : Condition("ContainersReady", "False", now, "ContainersNotReady", unready),
                Condition("PodScheduled", "True", now));
            status["containerStatuses"] = new JsonArray(Containers(p).Select(c =>
            {
                var name = Json.Str(c, "name");
                var image = Json.Str(c, "image");
                JsonObject state, last = new();
                var restarts = 0;
                switch (fail)
                {
                    case "CrashLoopBackOff":
                        restarts = 5;
                        state = new JsonObject { ["waiting"] = new JsonObject { ["reason"] = "CrashLoopBackOff", ["message"] = $"back-off 5m0s restarting failed container={name} pod={key.Name}_{key.Namespace}({uid})" } };
                        last = new JsonObject { ["terminated"] = new JsonObject { ["exitCode"] = 1, ["reason"] = "Error", ["startedAt"] = now, ["finishedAt"] = now, ["containerID"] = $"containerd://{Guid.NewGuid():N}" } };
                        break;
                    case "ImagePullBackOff":
                        state = new JsonObject { ["waiting"] = new JsonObject { ["reason"] = "ImagePullBackOff", ["message"] = $"Back-off pulling image \"{image}\"" } };
                        break;
                    default:
                        state = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = now } };
                        break;
                }
                var cs = new JsonObject
                {
                    ["name"] = name, ["state"] = state, ["lastState"] = last, ["ready"] = ready, ["restartCount"] = restarts,
                    ["image"] = image, ["imageID"] = ready || fail == "CrashLoopBackOff" ? $"docker.io/library/{image}@sha256:{new string('0', 64)}" : "",
                    ["started"] = ready,
                };
                if (fail != "ImagePullBackOff") cs["containerID"] = $"containerd://{Guid.NewGuid():N}";
                return (JsonNode)cs;
            }).ToArray());
        });
    }
}
