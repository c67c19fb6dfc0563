using System.Text.Json.Nodes;

namespace ClusterOps.Sandbox.Server;

/// <summary>
/// One immutable stored version of an object: its serialized JSON plus the few fields lists and selectors index.
/// Keeping the bytes rather than a live JsonObject makes versions safe to share with watchers and cheap to write out.
/// </summary>
internal sealed class StoredObject
{
    private StoredObject(string storeId, string key, string name, string? ns, string uid, long rv, byte[] json,
        IReadOnlyDictionary<string, string> labels, string[] ownerUids, bool hasFinalizers, bool isDeleting, string? phase)
    {
        StoreId = storeId; Key = key; Name = name; Namespace = ns; Uid = uid; ResourceVersion = rv; Json = json;
        Labels = labels; OwnerUids = ownerUids; HasFinalizers = hasFinalizers; IsDeleting = isDeleting; Phase = phase;
    }

    public string StoreId { get; }
    public string Key { get; }
    public string Name { get; }
    public string? Namespace { get; }
    public string Uid { get; }
    public long ResourceVersion { get; }
    public byte[] Json { get; }
    public IReadOnlyDictionary<string, string> Labels { get; }
    public string[] OwnerUids { get; }
    public bool HasFinalizers { get; }
    public bool IsDeleting { get; }
    public string? Phase { get; }

    public JsonObject Parse() => Server.Json.ParseObject(Json);

    public static string KeyOf(string? ns, string name) => ns == null ? name : $"{ns}/{name}";

    public static StoredObject From(string storeId, JsonObject obj)
    {
        var meta = obj["metadata"] as JsonObject ?? new JsonObject();
        var name = Server.Json.Str(meta, "name") ?? "";
        var ns = Server.Json.Str(meta, "namespace");
        if (string.IsNullOrEmpty(ns)) ns = null;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (meta["labels"] is JsonObject l)
            foreach (var kv in l)
                labels[kv.Key] = kv.Value is JsonValue v && v.TryGetValue<string>(out var s) ? s : kv.Value?.ToJsonString() ?? "";
        var owners = Server.Json.Objects(meta["ownerReferences"]).Select(o => Server.Json.Str(o, "uid")).OfType<string>().ToArray();
        var finalizers = meta["finalizers"] is JsonArray f && f.Count > 0;
        var deleting = meta["deletionTimestamp"] is JsonValue;
        long.TryParse(Server.Json.Str(meta, "resourceVersion"), out var rv);
        return new StoredObject(storeId, KeyOf(ns, name), name, ns, Server.Json.Str(meta, "uid") ?? "", rv,
            Server.Json.ToBytes(obj), labels, owners, finalizers, deleting, Server.Json.Str(obj, "status", "phase"));
    }
}

/// <summary>A change as watchers see it. Old is the previous version (null for ADDED).</summary>
internal sealed record WatchEvent(long ResourceVersion, string Type, StoredObject Object, StoredObject? Old);
