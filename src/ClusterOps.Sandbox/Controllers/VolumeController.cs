using System.Text.Json.Nodes;
using ClusterOps.Sandbox.Server;

namespace ClusterOps.Sandbox.Controllers;

/// <summary>
/// PV controller, external provisioner and protection controllers: claims bind to a matching Available PV or a
/// dynamically provisioned pvc-&lt;uid&gt;; a released PV is deleted (Delete) or marked Released (Retain); a claim or
/// volume in use keeps its protection finalizer.
/// </summary>
internal sealed partial class ControllerManager
{
    public const string PvcProtection = "kubernetes.io/pvc-protection";
    public const string PvProtection = "kubernetes.io/pv-protection";

    private readonly HashSet<string> _reportedClaims = new();

    private void EnqueueTerminatingClaims(string ns)
    {
        foreach (var c in _store.Snapshot(Pvcs, ns).Where(c => c.IsDeleting))
            Enqueue(new Key("persistentvolumeclaims", ns, c.Name));
    }

    private bool ClaimInUse(string ns, string claim) =>
        _store.Snapshot(Pods, ns).Any(p => p.Phase is not ("Succeeded" or "Failed")
            && Json.Objects(Json.At(p.Parse(), "spec", "volumes")).Any(v => Json.Str(v, "persistentVolumeClaim", "claimName") == claim));

    private static JsonArray? WithoutFinalizer(JsonObject o, string finalizer)
    {
        if (Json.At(o, "metadata", "finalizers") is not JsonArray f) return null;
        var rest = new JsonArray(f.Where(x => Json.Str(x) != finalizer).Select(x => x?.DeepClone()).ToArray());
        return rest;
    }

    private void RemoveFinalizer(ResourceDef def, string? ns, string name, string finalizer)
    {
        _store.Mutate(def, ns, name, o =>
        {
            var rest = WithoutFinalizer(o, finalizer);
            if (rest != null) ((JsonObject)o["metadata"]!)["finalizers"] = rest.Count > 0 ? rest : null;
            if (rest is { Count: 0 }) ((JsonObject)o["metadata"]!).Remove("finalizers");
            return o;
        }, null);
    }

    private void ReconcileClaim(Key key)
    {
        var stored = _store.Get(Pvcs, key.Namespace, key.Name);
        if (stored == null) return;
        var ns = key.Namespace!;
        if (stored.IsDeleting)
        {
            if (!ClaimInUse(ns, key.Name)) RemoveFinalizer(Pvcs, ns, key.Name, PvcProtection);
            return;
        }
        if (stored.Phase == "Bound")
        {
            Resize(stored.Parse());
            return;
        }
        if (stored.Phase == "Lost") return;
        var claim = stored.Parse();
        var request = Json.Str(claim, "spec", "resources", "requests", "storage") ?? "1Gi";
        var modes = (Json.At(claim, "spec", "accessModes") as JsonArray)?.Select(m => Json.Str(m)).ToList() ?? [];
        var volumeName = Json.Str(claim, "spec", "volumeName");
        var scName = Json.Str(claim, "spec", "storageClassName") ?? "";

        if (!string.IsNullOrEmpty(volumeName))
        {
            var pv = _store.Get(Pvs, null, volumeName);
            if (pv == null) return;
            var pvObj = pv.Parse();
            var refUid = Json.Str(pvObj, "spec", "claimRef", "uid");
            if (refUid != null && refUid != stored.Uid)
            {
                Report(claim, "Warning", "FailedBinding", $"volume \"{volumeName}\" already bound to a different claim.", "persistentvolume-controller");
                return;
            }
            if (Mismatch(pvObj, claim) is { } mismatch)
            {
                Report(claim, "Warning", "VolumeMismatch", $"Cannot bind to requested volume \"{volumeName}\": {mismatch}", "persistentvolume-controller");
                return;
            }
            Bind(claim, pvObj, provisioner: null);
            return;
        }

        var candidate = _store.Snapshot(Pvs, null)
            .Where(p => p.Phase == "Available" && !p.IsDeleting)
            .Select(p => p.Parse())
            .Where(p => PreBoundTo(p, ns, key.Name) != false && Mismatch(p, claim) is null)
            .OrderBy(p => PreBoundTo(p, ns, key.Name) == true ? 0 : 1)
            .ThenBy(p => Quantity.Bytes(Json.Str(p, "spec", "capacity", "storage")))
            .FirstOrDefault();
        if (candidate != null)
        {
            Bind(claim, candidate, provisioner: null);
            return;
        }
        if (scName.Length == 0)
        {
            Report(claim, "Normal", "FailedBinding", "no persistent volumes available for this claim and no storage class is set", "persistentvolume-controller");
            return;
        }
        var sc = _store.Get(StorageClasses, null, scName)?.Parse();
        if (sc == null)
        {
            Report(claim, "Warning", "ProvisioningFailed", $"storageclass.storage.k8s.io \"{scName}\" not found", "persistentvolume-controller");
            return;
        }
        var provisioner = Json.Str(sc, "provisioner") ?? "";
        if (provisioner == "kubernetes.io/no-provisioner")
        {
            Report(claim, "Normal", "FailedBinding", "no persistent volumes available for this claim and no storage class is set", "persistentvolume-controller");
            return;
        }
        if (Json.Str(sc, "volumeBindingMode") == "WaitForFirstConsumer" && !ClaimInUse(ns, key.Name))
        {
            Report(claim, "Normal", "WaitForFirstConsumer", "waiting for first consumer to be created before binding", "persistentvolume-controller");
            return;
        }

        var pvName = $"pvc-{stored.Uid}";
        _events.Normal(claim, "Provisioning", $"External provisioner is provisioning volume for claim \"{ns}/{key.Name}\"", provisioner);
        var volume = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "PersistentVolume",
            ["metadata"] = new JsonObject
            {
                ["name"] = pvName,
                ["annotations"] = new JsonObject { ["pv.kubernetes.io/provisioned-by"] = provisioner, ["volume.kubernetes.io/provisioner-deletion-secret-name"] = "", ["volume.kubernetes.io/provisioner-deletion-secret-namespace"] = "" },
            },
            ["spec"] = new JsonObject
            {
                ["capacity"] = new JsonObject { ["storage"] = request },
                ["accessModes"] = new JsonArray(modes.Select(m => (JsonNode)m!).ToArray()),
                ["persistentVolumeReclaimPolicy"] = Json.Str(sc, "reclaimPolicy") ?? "Delete",
                ["storageClassName"] = scName,
                ["volumeMode"] = Json.Str(claim, "spec", "volumeMode") ?? "Filesystem",
                ["hostPath"] = new JsonObject { ["path"] = $"/var/lib/sandbox/volumes/{pvName}", ["type"] = "" },
                ["claimRef"] = ClaimRef(claim),
            },
            ["status"] = new JsonObject { ["phase"] = "Bound" },
        };
        if (Json.At(sc, "mountOptions") is JsonArray mo) volume["spec"]!["mountOptions"] = mo.DeepClone();
        var pvStored = _store.Create(Pvs, volume, null);
        _events.Normal(claim, "ProvisioningSucceeded", $"Successfully provisioned volume {pvName}", provisioner);
        Bind(claim, pvStored.Parse(), provisioner);
    }

    /// <summary>null: free; true: pre-bound to this claim by name (a claimRef without uid); false: taken.</summary>
    /// <summary>
    /// The PV controller's checkVolumeSatisfyClaim, in its order: null when the volume satisfies the claim, else the
    /// reason its VolumeMismatch event gives. Both the volume a claim names and the volumes matched for it pass here.
    /// </summary>
    private static string? Mismatch(JsonObject pv, JsonObject claim)
    {
        var request = Json.Str(claim, "spec", "resources", "requests", "storage") ?? "1Gi";
        var pvModes = (Json.At(pv, "spec", "accessModes") as JsonArray)?.Select(m => Json.Str(m)).ToHashSet() ?? [];
        var claimModes = (Json.At(claim, "spec", "accessModes") as JsonArray)?.Select(m => Json.Str(m)) ?? [];
        return Quantity.Bytes(Json.Str(pv, "spec", "capacity", "storage")) < Quantity.Bytes(request) ? "requested PV is too small"
            : (Json.Str(pv, "spec", "storageClassName") ?? "") != (Json.Str(claim, "spec", "storageClassName") ?? "") ? "storageClassName does not match"
            : (Json.Str(pv, "spec", "volumeMode") ?? "Filesystem") != (Json.Str(claim, "spec", "volumeMode") ?? "Filesystem") ? "incompatible volumeMode"
            : !claimModes.All(pvModes.Contains) ? "incompatible accessMode"
            : null;
    }

    private static bool? PreBoundTo(JsonObject pv, string ns, string name)
    {
        if (Json.At(pv, "spec", "claimRef") is not JsonObject r) return null;
        if (!string.IsNullOrEmpty(Json.Str(r, "uid"))) return false;
        return Json.Str(r, "namespace") == ns && Json.Str(r, "name") == name;
    }

    /// <summary>The external resizer and kubelet: a bound claim asking for more gets it on its volume and in its status.</summary>
    private void Resize(JsonObject claim)
    {
        var ns = Json.Str(claim, "metadata", "namespace")!;
        var name = Json.Str(claim, "metadata", "name")!;
        var want = Json.Str(claim, "spec", "resources", "requests", "storage");
        var have = Json.Str(claim, "status", "capacity", "storage");
        var pvName = Json.Str(claim, "spec", "volumeName");
        if (want == null || pvName == null || Quantity.Bytes(want) <= Quantity.Bytes(have)) return;
        if (_store.Get(Pvs, null, pvName) == null) return;
        _events.Normal(claim, "Resizing", $"External resizer is resizing volume {pvName}", "external-resizer");
        _store.Mutate(Pvs, null, pvName, o =>
        {
            Json.Obj(Json.Obj(o, "spec"), "capacity")["storage"] = want;
            return o;
        }, null);
        UpdateStatus(Pvcs, ns, name, o =>
        {
            var st = Json.Obj(o, "status");
            Json.Obj(st, "capacity")["storage"] = want;
            st["allocatedResources"] = new JsonObject { ["storage"] = want };
        });
        _events.Normal(claim, "FileSystemResizeSuccessful", $"MountVolume.NodeExpandVolume succeeded for volume \"{pvName}\" {PodController.NodeName}", "kubelet");
    }

    private void Report(JsonObject claim, string type, string reason, string message, string component)
    {
        var id = $"{Json.Str(claim, "metadata", "uid")}|{reason}";
        if (_reportedClaims.Add(id)) _events.Record(claim, type, reason, message, component);
    }

    private static JsonObject ClaimRef(JsonObject claim) => new()
    {
        ["kind"] = "PersistentVolumeClaim",
        ["namespace"] = Json.Str(claim, "metadata", "namespace"),
        ["name"] = Json.Str(claim, "metadata", "name"),
        ["uid"] = Json.Str(claim, "metadata", "uid"),
        ["apiVersion"] = "v1",
        ["resourceVersion"] = Json.Str(claim, "metadata", "resourceVersion"),
    };

    private void Bind(JsonObject claim, JsonObject pv, string? provisioner)
    {
        var ns = Json.Str(claim, "metadata", "namespace")!;
        var name = Json.Str(claim, "metadata", "name")!;
        var pvName = Json.Str(pv, "metadata", "name")!;
        if (string.IsNullOrEmpty(Json.Str(pv, "spec", "claimRef", "uid")) || Json.Str(pv, "status", "phase") != "Bound")
        {
            _store.Mutate(Pvs, null, pvName, o =>
            {
                var spec = Json.Obj(o, "spec");
                if (string.IsNullOrEmpty(Json.Str(spec, "claimRef", "uid"))) spec["claimRef"] = ClaimRef(claim);
                Json.Obj(Json.Obj(o, "metadata"), "annotations")["pv.kubernetes.io/bound-by-controller"] = "yes";
                return o;
            }, null);
            UpdateStatus(Pvs, null, pvName, o => o["status"] = new JsonObject { ["phase"] = "Bound" });
        }
        _store.Mutate(Pvcs, ns, name, o =>
        {
            Json.Obj(o, "spec")["volumeName"] = pvName;
            var ann = Json.Obj(Json.Obj(o, "metadata"), "annotations");
            ann["pv.kubernetes.io/bind-completed"] = "yes";
            ann["pv.kubernetes.io/bound-by-controller"] = "yes";
            if (provisioner != null)
            {
                ann["volume.beta.kubernetes.io/storage-provisioner"] = provisioner;
                ann["volume.kubernetes.io/storage-provisioner"] = provisioner;
            }
            return o;
        }, null);
        var pvNow = _store.Get(Pvs, null, pvName)!.Parse();
        UpdateStatus(Pvcs, ns, name, o => o["status"] = new JsonObject
        {
            ["phase"] = "Bound",
            ["accessModes"] = Json.At(pvNow, "spec", "accessModes")?.DeepClone(),
            ["capacity"] = Json.At(pvNow, "spec", "capacity")?.DeepClone(),
        });
    }

    /// <summary>The claim was deleted: the reclaim policy decides what happens to its volume.</summary>
    private void ReleaseVolumeOf(string volumeName, string claimUid)
    {
        var pv = _store.Get(Pvs, null, volumeName);
        if (pv == null) return;
        var o = pv.Parse();
        if (Json.Str(o, "spec", "claimRef", "uid") != claimUid) return;
        if (Json.Str(o, "spec", "persistentVolumeReclaimPolicy") == "Delete")
        {
            _store.Delete(Pvs, null, volumeName);
            if (_store.Get(Pvs, null, volumeName) != null) RemoveFinalizer(Pvs, null, volumeName, PvProtection);
            return;
        }
        UpdateStatus(Pvs, null, volumeName, x => x["status"] = new JsonObject { ["phase"] = "Released" });
    }

    private void EnqueuePendingClaims()
    {
        foreach (var c in _store.Snapshot(Pvcs, null).Where(c => c.Phase == "Pending"))
            Enqueue(new Key("persistentvolumeclaims", c.Namespace, c.Name));
    }

    private void ReconcileVolume(Key key)
    {
        var stored = _store.Get(Pvs, null, key.Name);
        if (stored == null) return;
        if (!stored.IsDeleting)
        {
            // An admin clearing a Released volume's claimRef (or just its uid) makes it Available for a new claim.
            if (stored.Phase == "Released")
            {
                var pv = stored.Parse();
                if (Json.At(pv, "spec", "claimRef") is not JsonObject r || string.IsNullOrEmpty(Json.Str(r, "uid")))
                {
                    UpdateStatus(Pvs, null, key.Name, x => x["status"] = new JsonObject { ["phase"] = "Available" });
                    if (Json.At(pv, "spec", "claimRef") is JsonObject pre && Json.Str(pre, "namespace") is { } cns && Json.Str(pre, "name") is { } cn)
                        Enqueue(new Key("persistentvolumeclaims", cns, cn));
                    EnqueuePendingClaims();
                }
            }
            // A volume that just became Available may be the match a Pending claim is waiting for (the real PV
            // controller resyncs claims; without this a claim created before its static volume never binds).
            else if (stored.Phase == "Available")
                EnqueuePendingClaims();
            return;
        }
        var o = stored.Parse();
        var claimNs = Json.Str(o, "spec", "claimRef", "namespace");
        var claimName = Json.Str(o, "spec", "claimRef", "name");
        var claim = claimNs != null && claimName != null ? _store.Get(Pvcs, claimNs, claimName) : null;
        if (claim == null || claim.Uid != Json.Str(o, "spec", "claimRef", "uid") || stored.Phase != "Bound")
            RemoveFinalizer(Pvs, null, key.Name, PvProtection);
    }
}

/// <summary>Kubernetes resource quantities ("1Gi", "500M", "2") to bytes, enough to compare capacities.</summary>
internal static class Quantity
{
    public static double Bytes(string? q)
    {
        if (string.IsNullOrWhiteSpace(q)) return 0;
        q = q.Trim();
        (string Suffix, double Factor)[] units =
        [
            ("Ki", 1024d), ("Mi", 1024d * 1024), ("Gi", 1024d * 1024 * 1024), ("Ti", 1024d * 1024 * 1024 * 1024), ("Pi", Math.Pow(1024, 5)), ("Ei", Math.Pow(1024, 6)),
            ("k", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12), ("P", 1e15), ("E", 1e18), ("m", 1e-3),
        ];
        foreach (var (suffix, factor) in units)
            if (q.EndsWith(suffix, StringComparison.Ordinal) && double.TryParse(q[..^suffix.Length], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v))
                return v * factor;
        return double.TryParse(q, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0;
    }
}
