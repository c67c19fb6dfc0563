using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ClusterOps.Sandbox.Server;

namespace ClusterOps.Sandbox.Controllers;

/// <summary>StatefulSet and Deployment controllers: pods by real naming, volume claims from templates, true status counts.</summary>
internal sealed partial class ControllerManager
{
    private const string SafeAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    /// <summary>A stable short hash of a pod template, spelled like the real pod-template-hash.</summary>
    internal static string TemplateHash(JsonNode? template)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(template?.ToJsonString() ?? ""));
        var sb = new StringBuilder();
        for (var i = 0; i < 10; i++) sb.Append(SafeAlphabet[bytes[i] % SafeAlphabet.Length]);
        return sb.ToString();
    }

    private static bool IsReady(StoredObject pod)
    {
        var o = pod.Parse();
        return Json.Objects(Json.At(o, "status", "conditions")).Any(c => Json.Str(c, "type") == "Ready" && Json.Str(c, "status") == "True");
    }

    private JsonObject PodFromTemplate(JsonObject owner, string name, string ns, JsonObject extraLabels)
    {
        var template = Json.At(owner, "spec", "template") as JsonObject ?? new JsonObject();
        var meta = template["metadata"]?.DeepClone() as JsonObject ?? new JsonObject();
        var labels = Json.Obj(meta, "labels");
        foreach (var kv in extraLabels) labels[kv.Key] = kv.Value?.DeepClone();
        meta["name"] = name;
        meta["namespace"] = ns;
        meta["ownerReferences"] = new JsonArray(OwnerReference(owner));
        meta.Remove("creationTimestamp");
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = meta,
            ["spec"] = template["spec"]?.DeepClone() ?? new JsonObject { ["containers"] = new JsonArray() },
        };
    }

    private void ReconcileStatefulSet(Key key)
    {
        var stored = _store.Get(StatefulSets, key.Namespace, key.Name);
        if (stored == null || stored.IsDeleting) return;
        var sts = stored.Parse();
        var ns = key.Namespace!;
        var name = key.Name;
        var replicas = (int)(Json.Long(sts, "spec", "replicas") ?? 1);
        var parallel = Json.Str(sts, "spec", "podManagementPolicy") == "Parallel";
        var revision = $"{name}-{TemplateHash(Json.At(sts, "spec", "template"))}";
        var serviceName = Json.Str(sts, "spec", "serviceName");
        var templates = Json.Objects(Json.At(sts, "spec", "volumeClaimTemplates")).ToList();

        var pods = new SortedDictionary<int, StoredObject>();
        foreach (var p in _store.Snapshot(Pods, ns))
        {
            if (!OwnedBy(p, stored.Uid)) continue;
            var dash = p.Name.LastIndexOf('-');
            if (dash > 0 && p.Name[..dash] == name && int.TryParse(p.Name[(dash + 1)..], out var ord)) pods[ord] = p;
        }

        foreach (var (ord, p) in pods.Reverse().Where(kv => kv.Key >= replicas).ToList())
        {
            _store.Delete(Pods, ns, p.Name);
            pods.Remove(ord);
            _events.Normal(sts, "SuccessfulDelete", $"delete Pod {p.Name} in StatefulSet {name} successful", "statefulset-controller");
        }

        for (var i = 0; i < replicas; i++)
        {
            var podName = $"{name}-{i}";
            foreach (var t in templates)
            {
                var claimName = $"{Json.Str(t, "metadata", "name")}-{podName}";
                if (_store.Get(Pvcs, ns, claimName) != null) continue;
                var claim = new JsonObject
                {
                    ["apiVersion"] = "v1",
                    ["kind"] = "PersistentVolumeClaim",
                    ["metadata"] = new JsonObject { ["name"] = claimName, ["namespace"] = ns },
                    ["spec"] = t["spec"]?.DeepClone() ?? new JsonObject(),
                };
                var labels = Json.Obj((JsonObject)claim["metadata"]!, "labels");
                if (Json.At(t, "metadata", "labels") is JsonObject tl) foreach (var kv in tl) labels[kv.Key] = kv.Value?.DeepClone();
                if (Json.At(sts, "spec", "selector", "matchLabels") is JsonObject ml) foreach (var kv in ml) labels[kv.Key] = kv.Value?.DeepClone();
                if (Json.At(t, "metadata", "annotations") is JsonObject ta) claim["metadata"]!["annotations"] = ta.DeepClone();
                // persistentVolumeClaimRetentionPolicy.whenDeleted: Delete hands the claims to the StatefulSet for garbage collection.
                if (Json.Str(sts, "spec", "persistentVolumeClaimRetentionPolicy", "whenDeleted") == "Delete")
                    claim["metadata"]!["ownerReferences"] = new JsonArray(OwnerReference(sts));
                _store.Create(Pvcs, claim, ns);
                _events.Normal(sts, "SuccessfulCreate", $"create Claim {claimName} Pod {podName} in StatefulSet {name} success", "statefulset-controller");
            }
            if (pods.TryGetValue(i, out var existing))
            {
                if (!parallel && !IsReady(existing)) break;
                continue;
            }
            if (!parallel && pods.Where(kv => kv.Key < i).Any(kv => !IsReady(kv.Value))) break;
            var pod = PodFromTemplate(sts, podName, ns, new JsonObject
            {
                ["controller-revision-hash"] = revision,
                ["statefulset.kubernetes.io/pod-name"] = podName,
                ["apps.kubernetes.io/pod-index"] = i.ToString(),
            });
            var spec = (JsonObject)pod["spec"]!;
            spec["hostname"] = podName;
            if (serviceName != null) spec["subdomain"] = serviceName;
            if (templates.Count > 0)
            {
                var volumes = spec["volumes"] as JsonArray ?? new JsonArray();
                foreach (var t in templates)
                {
                    var vname = Json.Str(t, "metadata", "name");
                    if (volumes.OfType<JsonObject>().Any(v => Json.Str(v, "name") == vname)) continue;
                    volumes.Add(new JsonObject { ["name"] = vname, ["persistentVolumeClaim"] = new JsonObject { ["claimName"] = $"{vname}-{podName}" } });
                }
                spec["volumes"] = volumes;
            }
            pods[i] = _store.Create(Pods, pod, ns);
            _events.Normal(sts, "SuccessfulCreate", $"create Pod {podName} in StatefulSet {name} successful", "statefulset-controller");
            if (!parallel) break;
        }

        var owned = _store.Snapshot(Pods, ns).Where(p => OwnedBy(p, stored.Uid)).ToList();
        var ready = owned.Count(IsReady);
        var generation = Json.Long(sts, "metadata", "generation") ?? 1;
        UpdateStatus(StatefulSets, ns, name, o =>
        {
            var st = new JsonObject
            {
                ["observedGeneration"] = generation,
                ["replicas"] = owned.Count,
                ["readyReplicas"] = ready,
                ["currentReplicas"] = owned.Count,
                ["updatedReplicas"] = owned.Count,
                ["availableReplicas"] = ready,
                ["currentRevision"] = revision,
                ["updateRevision"] = revision,
                ["collisionCount"] = 0,
            };
            o["status"] = st;
        });
    }

    private void ReconcileDeployment(Key key)
    {
        var stored = _store.Get(Deployments, key.Namespace, key.Name);
        if (stored == null || stored.IsDeleting) return;
        var d = stored.Parse();
        var ns = key.Namespace!;
        var name = key.Name;
        var replicas = (int)(Json.Long(d, "spec", "replicas") ?? 1);
        var hash = TemplateHash(Json.At(d, "spec", "template"));
        var rsName = $"{name}-{hash}";
        var owned = _store.Snapshot(Pods, ns).Where(p => OwnedBy(p, stored.Uid)).ToList();
        var before = owned.Count(p => p.Labels.GetValueOrDefault("pod-template-hash") == hash);

        foreach (var old in owned.Where(p => p.Labels.GetValueOrDefault("pod-template-hash") != hash))
            _store.Delete(Pods, ns, old.Name);
        var current = owned.Where(p => p.Labels.GetValueOrDefault("pod-template-hash") == hash)
            .OrderBy(p => IsReady(p) ? 1 : 0).ThenByDescending(p => p.ResourceVersion).ToList();
        foreach (var extra in current.Take(Math.Max(0, current.Count - replicas)).ToList())
        {
            _store.Delete(Pods, ns, extra.Name);
            current.Remove(extra);
        }
        for (var i = current.Count; i < replicas; i++)
        {
            var pod = PodFromTemplate(d, $"{rsName}-{Names.RandomSuffix()}", ns, new JsonObject { ["pod-template-hash"] = hash });
            current.Add(_store.Create(Pods, pod, ns));
        }
        if (current.Count != before)
            _events.Normal(d, "ScalingReplicaSet",
                current.Count > before ? $"Scaled up replica set {rsName} from {before} to {current.Count}" : $"Scaled down replica set {rsName} from {before} to {current.Count}",
                "deployment-controller");

        var ready = current.Count(IsReady);
        var generation = Json.Long(d, "metadata", "generation") ?? 1;
        var now = _store.Clock.Timestamp();
        UpdateStatus(Deployments, ns, name, o =>
        {
            var old = Json.Obj(o, "status");
            var conds = Json.Objects(old["conditions"]).ToDictionary(c => Json.Str(c, "type") ?? "", c => c);
            JsonObject Cond(string type, string status, string reason, string message)
            {
                var prev = conds.GetValueOrDefault(type);
                var same = prev != null && Json.Str(prev, "status") == status && Json.Str(prev, "reason") == reason;
                return new JsonObject
                {
                    ["type"] = type, ["status"] = status,
                    ["lastUpdateTime"] = same ? Json.Str(prev, "lastUpdateTime") : now,
                    ["lastTransitionTime"] = prev != null && Json.Str(prev, "status") == status ? Json.Str(prev, "lastTransitionTime") : now,
                    ["reason"] = reason, ["message"] = message,
                };
            }

            var available = ready >= replicas;
            var st = new JsonObject
            {
                ["observedGeneration"] = generation,
                ["replicas"] = current.Count,
                ["updatedReplicas"] = current.Count,
                ["readyReplicas"] = ready,
                ["availableReplicas"] = ready,
            };
            if (current.Count - ready > 0) st["unavailableReplicas"] = current.Count - ready;
            st["conditions"] = new JsonArray(
                available
                    ? Cond("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.")
                    : Cond("Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability."),
                available
                    ? Cond("Progressing", "True", "NewReplicaSetAvailable", $"ReplicaSet \"{rsName}\" has successfully progressed.")
                    : Cond("Progressing", "True", "ReplicaSetUpdated", $"ReplicaSet \"{rsName}\" is progressing."));
            o["status"] = st;
        });
    }
}
