using System.Text;
using System.Text.Json.Nodes;

namespace ClusterOps.Sandbox.Server;

/// <summary>What the real API server fills in on create (defaulting and PrepareForCreate), for the kinds we serve.</summary>
internal static class Defaults
{
    private static void AddFinalizer(JsonObject obj, string finalizer)
    {
        var meta = Json.Obj(obj, "metadata");
        if (meta["finalizers"] is not JsonArray f) meta["finalizers"] = f = new JsonArray();
        if (!f.Any(x => Json.Str(x) == finalizer)) f.Add(finalizer);
    }

    private static string? DefaultStorageClass(ObjectStore store)
    {
        var def = store.Registry.Find("storage.k8s.io", "v1", "storageclasses")!;
        return store.Snapshot(def, null)
            .Where(s => Json.Str(s.Parse(), "metadata", "annotations", "storageclass.kubernetes.io/is-default-class") == "true")
            .Select(s => s.Name).FirstOrDefault();
    }

    public static void OnCreate(ResourceDef def, JsonObject obj, ObjectStore store)
    {
        var spec = obj["spec"] as JsonObject;
        switch (def.Group, def.Kind)
        {
            case ("", "Namespace"):
                Json.Obj(Json.Obj(obj, "metadata"), "labels")["kubernetes.io/metadata.name"] = Json.Str(obj, "metadata", "name");
                Json.Obj(obj, "spec")["finalizers"] = new JsonArray("kubernetes");
                obj["status"] = new JsonObject { ["phase"] = "Active" };
                break;
            case ("", "Pod"):
                spec ??= Json.Obj(obj, "spec");
                spec["restartPolicy"] ??= "Always";
                spec["dnsPolicy"] ??= "ClusterFirst";
                spec["schedulerName"] ??= "default-scheduler";
                spec["terminationGracePeriodSeconds"] ??= 30;
                foreach (var c in Json.Objects(spec["containers"]))
                {
                    foreach (var port in Json.Objects(c["ports"])) port["protocol"] ??= "TCP";
                    c["imagePullPolicy"] ??= "IfNotPresent";
                    c["terminationMessagePath"] ??= "/dev/termination-log";
                    c["terminationMessagePolicy"] ??= "File";
                }
                if (obj["status"] is not JsonObject) obj["status"] = new JsonObject { ["phase"] = "Pending", ["qosClass"] = "BestEffort" };
                break;
            case ("", "Service"):
                spec ??= Json.Obj(obj, "spec");
                spec["type"] ??= "ClusterIP";
                spec["sessionAffinity"] ??= "None";
                if (Json.Str(spec, "clusterIP") is not { Length: > 0 } ip)
                {
                    ip = Json.Str(spec, "type") == "ExternalName" ? "" : store.NextClusterIp();
                    if (ip.Length > 0) spec["clusterIP"] = ip;
                }
                if (ip.Length > 0) spec["clusterIPs"] ??= new JsonArray(ip);
                foreach (var p in Json.Objects(spec["ports"]))
                {
                    p["protocol"] ??= "TCP";
                    p["targetPort"] ??= p["port"]?.DeepClone();
                }
                obj["status"] ??= new JsonObject { ["loadBalancer"] = new JsonObject() };
                break;
            case ("", "Secret"):
                obj["type"] ??= "Opaque";
                if (obj["stringData"] is JsonObject sd)
                {
                    var data = Json.Obj(obj, "data");
                    foreach (var kv in sd) data[kv.Key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(Json.Str(kv.Value) ?? ""));
                    obj.Remove("stringData");
                }
                break;
            case ("", "PersistentVolumeClaim"):
                spec ??= Json.Obj(obj, "spec");
                spec["volumeMode"] ??= "Filesystem";
                // The DefaultStorageClass admission plugin: an unset class (not "") gets the default one.
                if (!spec.ContainsKey("storageClassName") && Json.Str(obj, "metadata", "annotations", "volume.beta.kubernetes.io/storage-class") == null
                    && DefaultStorageClass(store) is { } dsc)
                    spec["storageClassName"] = dsc;
                if (store.ProtectVolumes) AddFinalizer(obj, "kubernetes.io/pvc-protection");
                if (obj["status"] is not JsonObject) obj["status"] = new JsonObject { ["phase"] = "Pending" };
                break;
            case ("", "PersistentVolume"):
                spec ??= Json.Obj(obj, "spec");
                spec["persistentVolumeReclaimPolicy"] ??= "Retain";
                if (store.ProtectVolumes) AddFinalizer(obj, "kubernetes.io/pv-protection");
                spec["volumeMode"] ??= "Filesystem";
                if (obj["status"] is not JsonObject) obj["status"] = new JsonObject { ["phase"] = spec["claimRef"] is JsonObject ? "Bound" : "Available" };
                break;
            case ("", "Event"):
                var now = store.Clock.Timestamp();
                obj["firstTimestamp"] ??= now;
                obj["lastTimestamp"] ??= now;
                obj["count"] ??= 1;
                obj["type"] ??= "Normal";
                break;
            case ("storage.k8s.io", "StorageClass"):
                obj["reclaimPolicy"] ??= "Delete";
                obj["volumeBindingMode"] ??= "Immediate";
                break;
            case ("apps", "Deployment"):
                spec ??= Json.Obj(obj, "spec");
                spec["replicas"] ??= 1;
                spec["revisionHistoryLimit"] ??= 10;
                spec["progressDeadlineSeconds"] ??= 600;
                if (spec["strategy"] is not JsonObject strategy || Json.Str(strategy, "type") is null or "")
                    spec["strategy"] = new JsonObject { ["type"] = "RollingUpdate", ["rollingUpdate"] = new JsonObject { ["maxSurge"] = "25%", ["maxUnavailable"] = "25%" } };
                obj["status"] ??= new JsonObject();
                break;
            case ("apps", "StatefulSet"):
                spec ??= Json.Obj(obj, "spec");
                spec["replicas"] ??= 1;
                spec["podManagementPolicy"] ??= "OrderedReady";
                spec["revisionHistoryLimit"] ??= 10;
                spec["updateStrategy"] ??= new JsonObject { ["type"] = "RollingUpdate", ["rollingUpdate"] = new JsonObject { ["partition"] = 0 } };
                spec["persistentVolumeClaimRetentionPolicy"] ??= new JsonObject { ["whenDeleted"] = "Retain", ["whenScaled"] = "Retain" };
                obj["status"] ??= new JsonObject { ["replicas"] = 0, ["availableReplicas"] = 0 };
                break;
            case ("apps", "ReplicaSet"):
                spec ??= Json.Obj(obj, "spec");
                spec["replicas"] ??= 1;
                obj["status"] ??= new JsonObject { ["replicas"] = 0 };
                break;
            case ("batch", "CronJob"):
                spec ??= Json.Obj(obj, "spec");
                spec["suspend"] ??= false;
                spec["concurrencyPolicy"] ??= "Allow";
                spec["successfulJobsHistoryLimit"] ??= 3;
                spec["failedJobsHistoryLimit"] ??= 1;
                obj["status"] ??= new JsonObject();
                break;
            case ("batch", "Job"):
                spec ??= Json.Obj(obj, "spec");
                spec["completions"] ??= 1;
                spec["parallelism"] ??= 1;
                spec["backoffLimit"] ??= 6;
                spec["completionMode"] ??= "NonIndexed";
                spec["suspend"] ??= false;
                obj["status"] ??= new JsonObject();
                break;
            case ("apiextensions.k8s.io", "CustomResourceDefinition"):
                var names = Json.At(obj, "spec", "names")?.DeepClone() as JsonObject ?? new JsonObject();
                names["singular"] ??= Json.Str(names, "kind")?.ToLowerInvariant();
                names["listKind"] ??= Json.Str(names, "kind") + "List";
                var stored = Json.Objects(Json.At(obj, "spec", "versions")).FirstOrDefault(v => Json.Bool(v, "storage") == true);
                var now2 = store.Clock.Timestamp();
                obj["status"] = new JsonObject
                {
                    ["conditions"] = new JsonArray(
                        new JsonObject { ["type"] = "NamesAccepted", ["status"] = "True", ["lastTransitionTime"] = now2, ["reason"] = "NoConflicts", ["message"] = "no conflicts found" },
                        new JsonObject { ["type"] = "Established", ["status"] = "True", ["lastTransitionTime"] = now2, ["reason"] = "InitialNamesAccepted", ["message"] = "the initial names have been accepted" }),
                    ["acceptedNames"] = names,
                    ["storedVersions"] = new JsonArray(Json.Str(stored, "name") ?? "v1"),
                };
                break;
        }
    }
}
