using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ClusterOps.Sandbox.Server;

/// <summary>YAML (one or more documents) to JSON nodes, with YAML 1.2 core-schema scalars as Kubernetes reads them.</summary>
internal static partial class Yaml
{
    public static IReadOnlyList<JsonObject> ParseDocuments(string text)
    {
        var trimmed = text.TrimStart();
        if (trimmed.StartsWith('{'))
            return [Json.ParseObject(System.Text.Encoding.UTF8.GetBytes(text))];
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw ApiException.BadRequest($"error converting YAML to JSON: {e.Message}");
        }
        var result = new List<JsonObject>();
        foreach (var doc in stream.Documents)
        {
            var node = Convert(doc.RootNode);
            if (node is JsonObject o) result.Add(o);
            else if (node != null) throw ApiException.BadRequest("the YAML document is not an object");
        }
        return result;
    }

    private static JsonNode? Convert(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode map:
                var o = new JsonObject();
                foreach (var kv in map.Children)
                    o[((YamlScalarNode)kv.Key).Value ?? ""] = Convert(kv.Value);
                return o;
            case YamlSequenceNode seq:
                var a = new JsonArray();
                foreach (var item in seq.Children) a.Add(Convert(item));
                return a;
            case YamlScalarNode s:
                var v = s.Value ?? "";
                if (s.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
                    return JsonValue.Create(v);
                if (v is "" or "~" or "null" or "Null" or "NULL") return null;
                if (v is "true" or "True" or "TRUE") return JsonValue.Create(true);
                if (v is "false" or "False" or "FALSE") return JsonValue.Create(false);
                if (IntPattern().IsMatch(v) && long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) return JsonValue.Create(l);
                if (FloatPattern().IsMatch(v) && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return JsonValue.Create(d);
                return JsonValue.Create(v);
            default:
                return null;
        }
    }

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex IntPattern();

    [GeneratedRegex("^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
