using System.Text.Json.Nodes;

namespace ClusterOps.Sandbox.Server;

/// <summary>JSON merge patch (RFC 7386), a strategic-merge approximation, and JSON patch (RFC 6902).</summary>
internal static class Patches
{
    public static JsonNode? Merge(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject p) return patch?.DeepClone();
        var result = target is JsonObject t ? (JsonObject)t.DeepClone() : new JsonObject();
        foreach (var kv in p)
        {
            if (kv.Value == null) result.Remove(kv.Key);
            else result[kv.Key] = Merge(result[kv.Key], kv.Value);
        }
        return result;
    }

    // The list fields whose patchStrategy is merge, by field name, and their patchMergeKey.
    private static readonly Dictionary<string, string> MergeKeys = new()
    {
        ["containers"] = "name", ["initContainers"] = "name", ["ephemeralContainers"] = "name", ["volumes"] = "name",
        ["env"] = "name", ["volumeMounts"] = "mountPath", ["volumeDevices"] = "devicePath", ["imagePullSecrets"] = "name",
        ["conditions"] = "type", ["ownerReferences"] = "uid", ["hostAliases"] = "ip", ["topologySpreadConstraints"] = "topologyKey",
        ["tolerations"] = "key",
    };

    /// <summary>Strategic merge: a merge patch whose known lists merge by key and whose $-directives are honoured or dropped.</summary>
    public static JsonNode? Strategic(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject p) return patch?.DeepClone();
        if (Json.Str(p, "$patch") == "replace")
        {
            var copy = (JsonObject)p.DeepClone();
            copy.Remove("$patch");
            return copy;
        }
        var result = target is JsonObject t ? (JsonObject)t.DeepClone() : new JsonObject();
        foreach (var kv in p)
        {
            if (kv.Key.StartsWith('$')) continue;
            if (kv.Key.StartsWith("$setElementOrder/", StringComparison.Ordinal)) continue;
            if (kv.Value == null) { result.Remove(kv.Key); continue; }
            if (kv.Value is JsonArray pa && result[kv.Key] is JsonArray ta)
            {
                if (MergeKeys.TryGetValue(kv.Key, out var mk) && pa.All(i => i is JsonObject o && o[mk] != null))
                {
                    result[kv.Key] = MergeList(ta, pa, mk);
                    continue;
                }
                if (kv.Key == "finalizers" && pa.All(i => i is JsonValue))
                {
                    var merged = (JsonArray)ta.DeepClone();
                    foreach (var i in pa)
                        if (!merged.Any(m => Json.DeepEquals(m, i))) merged.Add(i!.DeepClone());
                    result[kv.Key] = merged;
                    continue;
                }
            }
            result[kv.Key] = Strategic(result[kv.Key], kv.Value);
        }
        return result;
    }

    private static JsonArray MergeList(JsonArray target, JsonArray patch, string key)
    {
        var result = (JsonArray)target.DeepClone();
        foreach (var item in patch.OfType<JsonObject>())
        {
            var k = item[key]!;
            var idx = -1;
            for (var i = 0; i < result.Count; i++)
                if (result[i] is JsonObject r && Json.DeepEquals(r[key], k)) { idx = i; break; }
            if (Json.Str(item, "$patch") == "delete")
            {
                if (idx >= 0) result.RemoveAt(idx);
                continue;
            }
            if (idx >= 0) result[idx] = Strategic(result[idx], item);
            else
            {
                var copy = (JsonObject)item.DeepClone();
                copy.Remove("$patch");
                result.Add(copy);
            }
        }
        return result;
    }

    public static JsonNode? JsonPatch(JsonNode? target, JsonArray ops)
    {
        var doc = target?.DeepClone();
        foreach (var opNode in ops)
        {
            if (opNode is not JsonObject op) throw Unprocessable("the patch operation must be an object");
            var kind = Json.Str(op, "op");
            var path = Json.Str(op, "path") ?? throw Unprocessable("missing path");
            switch (kind)
            {
                case "add": doc = Add(doc, Pointer(path), op["value"]?.DeepClone(), insert: true); break;
                case "replace":
                    if (Resolve(doc, Pointer(path)) == null && !Exists(doc, Pointer(path))) throw Unprocessable($"replace operation does not apply: doc is missing key: {path}");
                    doc = Add(doc, Pointer(path), op["value"]?.DeepClone(), insert: false); break;
                case "remove": doc = RemoveAt(doc, Pointer(path), path); break;
                case "move":
                {
                    var from = Json.Str(op, "from") ?? throw Unprocessable("missing from");
                    var v = Resolve(doc, Pointer(from))?.DeepClone();
                    doc = RemoveAt(doc, Pointer(from), from);
                    doc = Add(doc, Pointer(path), v, insert: true);
                    break;
                }
                case "copy":
                {
                    var from = Json.Str(op, "from") ?? throw Unprocessable("missing from");
                    doc = Add(doc, Pointer(path), Resolve(doc, Pointer(from))?.DeepClone(), insert: true);
                    break;
                }
                case "test":
                    if (!Json.DeepEquals(Resolve(doc, Pointer(path)), op["value"]))
                        throw Unprocessable($"testing value {path} failed: test failed");
                    break;
                default: throw Unprocessable($"Unexpected kind: {kind}");
            }
        }
        return doc;
    }

    private static ApiException Unprocessable(string message) => new(422, "Invalid", message);

    private static string[] Pointer(string path)
    {
        if (path.Length == 0) return [];
        if (path[0] != '/') throw Unprocessable($"invalid JSON pointer: {path}");
        return path[1..].Split('/').Select(s => s.Replace("~1", "/").Replace("~0", "~")).ToArray();
    }

    private static bool Exists(JsonNode? doc, string[] parts)
    {
        if (parts.Length == 0) return true;
        var parent = Resolve(doc, parts[..^1]);
        return parent switch
        {
            JsonObject o => o.ContainsKey(parts[^1]),
            JsonArray a => int.TryParse(parts[^1], out var i) && i >= 0 && i < a.Count,
            _ => false,
        };
    }

    private static JsonNode? Resolve(JsonNode? doc, string[] parts)
    {
        foreach (var p in parts)
        {
            doc = doc switch
            {
                JsonObject o => o[p],
                JsonArray a when int.TryParse(p, out var i) && i >= 0 && i < a.Count => a[i],
                _ => null,
            };
            if (doc == null) return null;
        }
        return doc;
    }

    private static JsonNode? Add(JsonNode? doc, string[] parts, JsonNode? value, bool insert)
    {
        if (parts.Length == 0) return value;
        var parent = Resolve(doc, parts[..^1]) ?? throw Unprocessable($"add operation does not apply: doc is missing path: /{string.Join('/', parts)}");
        var last = parts[^1];
        switch (parent)
        {
            case JsonObject o: o[last] = value; break;
            case JsonArray a:
                if (last == "-") { a.Add(value); break; }
                if (!int.TryParse(last, out var i) || i < 0 || i > a.Count) throw Unprocessable($"invalid index: {last}");
                if (insert) a.Insert(i, value);
                else a[i] = value;
                break;
            default: throw Unprocessable("add operation does not apply: parent is not a container");
        }
        return doc;
    }

    private static JsonNode? RemoveAt(JsonNode? doc, string[] parts, string path)
    {
        if (parts.Length == 0) return null;
        var parent = Resolve(doc, parts[..^1]);
        switch (parent)
        {
            case JsonObject o when o.ContainsKey(parts[^1]): o.Remove(parts[^1]); break;
            case JsonArray a when int.TryParse(parts[^1], out var i) && i >= 0 && i < a.Count: a.RemoveAt(i); break;
            default: throw Unprocessable($"remove operation does not apply: doc is missing path: \"{path}\"");
        }
        return doc;
    }
}
