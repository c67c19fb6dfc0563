using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ClusterOps.Core.Backup;

/// <summary>Null-tolerant reads from API objects held as JsonObject (fields we do not model survive untouched).</summary>
internal static class JsonPaths
{
    public static JsonNode? At(this JsonNode? node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not JsonObject obj || !obj.TryGetPropertyValue(key, out node))
                return null;
        }
        return node;
    }

    public static string? Str(this JsonNode? node, params string[] path) =>
        node.At(path) is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    public static bool? Bool(this JsonNode? node, params string[] path) =>
        node.At(path) is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? v.GetValue<bool>() : null;

    public static long? Long(this JsonNode? node, params string[] path) =>
        node.At(path) is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var l) ? l : null;

    public static DateTimeOffset? Time(this JsonNode? node, params string[] path) =>
        node.Str(path) is { } s && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t
            : null;

    public static IEnumerable<JsonObject> Objects(this JsonNode? node, params string[] path) =>
        node.At(path) is JsonArray a ? a.OfType<JsonObject>() : Enumerable.Empty<JsonObject>();

    public static string Name(this JsonNode? obj) => obj.Str("metadata", "name") ?? "";
    public static string? Uid(this JsonNode? obj) => obj.Str("metadata", "uid");

    public static IReadOnlyDictionary<string, string> Annotations(this JsonNode? obj)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (obj.At("metadata", "annotations") is JsonObject a)
        {
            foreach (var (key, value) in a)
            {
                if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String)
                    result[key] = v.GetValue<string>();
            }
        }
        return result;
    }

    /// <summary>The condition of that type, if present: (status, reason, message).</summary>
    public static (string Status, string? Reason, string? Message)? Condition(this JsonNode? obj, string type)
    {
        foreach (var c in obj.Objects("status", "conditions"))
        {
            if (c.Str("type") == type)
                return (c.Str("status") ?? "Unknown", c.Str("reason"), c.Str("message"));
        }
        return null;
    }
}
