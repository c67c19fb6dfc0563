using System.Text.Json.Nodes;
using ClusterOps.Sandbox.Server;

namespace ClusterOps.Sandbox.Scenarios;

/// <summary>Seeds N bound PVCs with their PVs over M namespaces, for benchmarks (inserted in key order so it stays fast).</summary>
internal static class BulkSeeder
{
    public static void SeedBoundPvcs(ObjectStore store, int pvcs, int namespaces)
    {
        var reg = store.Registry;
        var pvcDef = reg.Find("", "v1", "persistentvolumeclaims")!;
        var pvDef = reg.Find("", "v1", "persistentvolumes")!;
        var scDef = reg.Find("storage.k8s.io", "v1", "storageclasses")!;
        if (store.Get(scDef, null, "standard") == null)
            store.Create(scDef, StandardStorageClass(), null);

        var nsNames = Enumerable.Range(1, namespaces).Select(i => $"bench-{i:D3}").ToArray();
        foreach (var ns in nsNames)
            if (store.Get(store.NamespaceDef, null, ns) == null)
                store.Create(store.NamespaceDef, new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } }, null);

        var claims = new List<(string Ns, string Name, string Uid)>(pvcs);
        for (var k = 0; k < namespaces; k++)
        {
            var from = (long)k * pvcs / namespaces;
            var to = (long)(k + 1) * pvcs / namespaces;
            for (var i = from; i < to; i++) claims.Add((nsNames[k], $"data-{i:D6}", Guid.NewGuid().ToString()));
        }
        // Bound claims and volumes need nothing from the controllers; not queueing 2N no-op reconciles keeps seeding fast.
        var observer = store.Observer;
        store.Observer = null;
        try
        {
            foreach (var c in claims.OrderBy(c => "pvc-" + c.Uid, StringComparer.Ordinal))
                store.Create(pvDef, Pv(c.Ns, c.Name, c.Uid), null);
            foreach (var c in claims)
                store.Create(pvcDef, Pvc(c.Ns, c.Name, c.Uid), c.Ns, presetUid: c.Uid);
        }
        finally
        {
            store.Observer = observer;
        }
    }

    public static JsonObject StandardStorageClass() => new()
    {
        ["apiVersion"] = "storage.k8s.io/v1",
        ["kind"] = "StorageClass",
        ["metadata"] = new JsonObject
        {
            ["name"] = "standard",
            ["annotations"] = new JsonObject { ["storageclass.kubernetes.io/is-default-class"] = "true" },
        },
        ["provisioner"] = "sandbox.clusterops.io/hostpath",
        ["reclaimPolicy"] = "Delete",
        ["volumeBindingMode"] = "Immediate",
        ["allowVolumeExpansion"] = true,
    };

    private static JsonObject Pv(string ns, string name, string uid) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "PersistentVolume",
        ["metadata"] = new JsonObject
        {
            ["name"] = "pvc-" + uid,
            ["annotations"] = new JsonObject { ["pv.kubernetes.io/provisioned-by"] = "sandbox.clusterops.io/hostpath" },
            ["finalizers"] = new JsonArray("kubernetes.io/pv-protection"),
        },
        ["spec"] = new JsonObject
        {
            ["capacity"] = new JsonObject { ["storage"] = "1Gi" },
            ["accessModes"] = new JsonArray("ReadWriteOnce"),
            ["persistentVolumeReclaimPolicy"] = "Delete",
            ["storageClassName"] = "standard",
            ["volumeMode"] = "Filesystem",
            ["hostPath"] = new JsonObject { ["path"] = $"/var/sandbox/pvc-{uid}", ["type"] = "" },
            ["claimRef"] = new JsonObject { ["kind"] = "PersistentVolumeClaim", ["namespace"] = ns, ["name"] = name, ["uid"] = uid, ["apiVersion"] = "v1" },
        },
        ["status"] = new JsonObject { ["phase"] = "Bound" },
    };

    private static JsonObject Pvc(string ns, string name, string uid) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "PersistentVolumeClaim",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = ns,
            ["labels"] = new JsonObject { ["app"] = "bench" },
            ["annotations"] = new JsonObject
            {
                ["pv.kubernetes.io/bind-completed"] = "yes",
                ["pv.kubernetes.io/bound-by-controller"] = "yes",
                ["volume.kubernetes.io/storage-provisioner"] = "sandbox.clusterops.io/hostpath",
            },
            ["finalizers"] = new JsonArray("kubernetes.io/pvc-protection"),
        },
        ["spec"] = new JsonObject
        {
            ["accessModes"] = new JsonArray("ReadWriteOnce"),
            ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = "1Gi" } },
            ["storageClassName"] = "standard",
            ["volumeMode"] = "Filesystem",
            ["volumeName"] = "pvc-" + uid,
        },
        ["status"] = new JsonObject
        {
            ["phase"] = "Bound",
            ["accessModes"] = new JsonArray("ReadWriteOnce"),
            ["capacity"] = new JsonObject { ["storage"] = "1Gi" },
        },
    };
}
