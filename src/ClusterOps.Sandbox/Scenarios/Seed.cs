using System.Text;
using System.Text.Json.Nodes;
using ClusterOps.Sandbox.Server;

namespace ClusterOps.Sandbox.Scenarios;

/// <summary>Small builders shared by the scenarios.</summary>
internal static class Seed
{
    public static ResourceDef D(ObjectStore s, string group, string plural, string version = "v1") => s.Registry.Find(group, version, plural)!;

    public static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));

    public static void Namespace(ObjectStore store, string name)
    {
        if (store.Get(store.NamespaceDef, null, name) == null)
            store.Create(store.NamespaceDef, new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } }, null);
    }

    public static void StorageClass(ObjectStore store, string name, string provisioner, string reclaim = "Delete", bool isDefault = false)
    {
        var def = D(store, "storage.k8s.io", "storageclasses");
        if (store.Get(def, null, name) != null) return;
        var meta = new JsonObject { ["name"] = name };
        if (isDefault) meta["annotations"] = new JsonObject { ["storageclass.kubernetes.io/is-default-class"] = "true" };
        store.Create(def, new JsonObject
        {
            ["apiVersion"] = "storage.k8s.io/v1", ["kind"] = "StorageClass", ["metadata"] = meta,
            ["provisioner"] = provisioner, ["reclaimPolicy"] = reclaim, ["volumeBindingMode"] = "Immediate", ["allowVolumeExpansion"] = true,
        }, null);
    }

    /// <summary>A CRD as its operator registers it: preserve-unknown-fields schema, optional status subresource and columns.</summary>
    public static void Crd(ObjectStore store, string group, string version, string kind, string plural, bool namespaced,
        bool status, string[]? shortNames = null, JsonArray? columns = null)
    {
        var def = D(store, "apiextensions.k8s.io", "customresourcedefinitions");
        if (store.Get(def, null, $"{plural}.{group}") != null) return;
        var v = new JsonObject
        {
            ["name"] = version,
            ["served"] = true,
            ["storage"] = true,
            ["schema"] = new JsonObject { ["openAPIV3Schema"] = new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true } },
        };
        if (status) v["subresources"] = new JsonObject { ["status"] = new JsonObject() };
        if (columns != null) v["additionalPrinterColumns"] = columns;
        var names = new JsonObject { ["plural"] = plural, ["singular"] = kind.ToLowerInvariant(), ["kind"] = kind, ["listKind"] = kind + "List" };
        if (shortNames != null) names["shortNames"] = new JsonArray(shortNames.Select(s => (JsonNode)s).ToArray());
        store.Create(def, new JsonObject
        {
            ["apiVersion"] = "apiextensions.k8s.io/v1",
            ["kind"] = "CustomResourceDefinition",
            ["metadata"] = new JsonObject { ["name"] = $"{plural}.{group}" },
            ["spec"] = new JsonObject { ["group"] = group, ["scope"] = namespaced ? "Namespaced" : "Cluster", ["names"] = names, ["versions"] = new JsonArray(v) },
        }, null);
    }

    public static void Secret(ObjectStore store, string ns, string name, JsonObject stringData, JsonObject? labels = null)
    {
        var data = new JsonObject();
        foreach (var kv in stringData) data[kv.Key] = B64(Json.Str(kv.Value) ?? "");
        var meta = new JsonObject { ["name"] = name, ["namespace"] = ns };
        if (labels != null) meta["labels"] = labels;
        store.Create(D(store, "", "secrets"), new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Secret", ["metadata"] = meta, ["type"] = "Opaque", ["data"] = data }, ns);
    }

    public static void ConfigMap(ObjectStore store, string ns, string name, JsonObject data, JsonObject? labels = null)
    {
        var meta = new JsonObject { ["name"] = name, ["namespace"] = ns };
        if (labels != null) meta["labels"] = labels;
        store.Create(D(store, "", "configmaps"), new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = meta, ["data"] = data }, ns);
    }

    public static void Service(ObjectStore store, string ns, string name, JsonObject selector, int port, bool headless = false)
    {
        var spec = new JsonObject { ["selector"] = selector, ["ports"] = new JsonArray(new JsonObject { ["port"] = port, ["targetPort"] = port, ["protocol"] = "TCP" }) };
        if (headless) spec["clusterIP"] = "None";
        store.Create(D(store, "", "services"), new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Service", ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns }, ["spec"] = spec }, ns);
    }

    public static JsonObject PodTemplate(JsonObject labels, string container, string image, JsonArray? volumes = null, JsonArray? mounts = null, JsonArray? env = null)
    {
        var c = new JsonObject { ["name"] = container, ["image"] = image };
        if (mounts != null) c["volumeMounts"] = mounts;
        if (env != null) c["env"] = env;
        var spec = new JsonObject { ["containers"] = new JsonArray(c) };
        if (volumes != null) spec["volumes"] = volumes;
        return new JsonObject { ["metadata"] = new JsonObject { ["labels"] = labels }, ["spec"] = spec };
    }

    public static void Deployment(ObjectStore store, string ns, string name, JsonObject labels, JsonObject template, int replicas = 1)
    {
        store.Create(D(store, "apps", "deployments"), new JsonObject
        {
            ["apiVersion"] = "apps/v1", ["kind"] = "Deployment",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["labels"] = labels.DeepClone() },
            ["spec"] = new JsonObject { ["replicas"] = replicas, ["selector"] = new JsonObject { ["matchLabels"] = labels.DeepClone() }, ["template"] = template },
        }, ns);
    }

    public static bool WorkloadsReady(ObjectStore store, string ns)
    {
        foreach (var def in new[] { D(store, "apps", "statefulsets"), D(store, "apps", "deployments") })
            foreach (var w in store.Snapshot(def, ns))
            {
                var o = w.Parse();
                if ((Json.Long(o, "status", "readyReplicas") ?? 0) < (Json.Long(o, "spec", "replicas") ?? 1)) return false;
            }
        return true;
    }
}
