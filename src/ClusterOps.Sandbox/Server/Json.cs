using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ClusterOps.Sandbox.Server;

/// <summary>Small JSON helpers shared by the store, the HTTP layer and the controllers.</summary>
internal static class Json
{
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    public static readonly JsonSerializerOptions SerializerOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] ToBytes(JsonNode node)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions)) node.WriteTo(w);
        return buffer.WrittenSpan.ToArray();
    }

    public static string ToText(JsonNode node) => node.ToJsonString(SerializerOptions);

    public static JsonObject ParseObject(ReadOnlySpan<byte> utf8)
    {
        var node = JsonNode.Parse(utf8) ?? throw ApiException.BadRequest("the request body is empty");
        return node as JsonObject ?? throw ApiException.BadRequest("the request body must be a JSON object");
    }

    public static JsonObject Obj(JsonObject parent, string name)
    {
        if (parent[name] is JsonObject o) return o;
        o = new JsonObject();
        parent[name] = o;
        return o;
    }

    public static string? Str(JsonNode? node, params string[] path)
    {
        var n = At(node, path);
        if (n is JsonValue v)
        {
            if (v.TryGetValue<string>(out var s)) return s;
            return v.ToJsonString();
        }
        return null;
    }

    public static long? Long(JsonNode? node, params string[] path)
    {
        var n = At(node, path) as JsonValue;
        if (n == null) return null;
        if (n.TryGetValue<long>(out var l)) return l;
        if (n.TryGetValue<int>(out var i)) return i;
        if (n.TryGetValue<double>(out var d)) return (long)d;
        if (n.TryGetValue<string>(out var s) && long.TryParse(s, out l)) return l;
        return null;
    }

    public static bool? Bool(JsonNode? node, params string[] path)
    {
        var n = At(node, path) as JsonValue;
        if (n == null) return null;
        if (n.TryGetValue<bool>(out var b)) return b;
        return null;
    }

    public static JsonNode? At(JsonNode? node, params string[] path)
    {
        foreach (var p in path)
        {
            if (node is JsonObject o) node = o[p];
            else return null;
        }
        return node;
    }

    public static IEnumerable<JsonObject> Objects(JsonNode? array)
    {
        if (array is not JsonArray a) yield break;
        foreach (var item in a)
            if (item is JsonObject o) yield return o;
    }

    /// <summary>Forces lazily materialised nodes so concurrent readers never race on first access.</summary>
    public static void Materialize(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var kv in o) Materialize(kv.Value);
                break;
            case JsonArray a:
                foreach (var item in a) Materialize(item);
                break;
        }
    }

    public static bool DeepEquals(JsonNode? a, JsonNode? b) => JsonNode.DeepEquals(a, b);
}
