using System.Text.Json.Nodes;

namespace ClusterOps.Sandbox.Server;

/// <summary>A parsed labelSelector: =, ==, !=, in, notin, exists and !key.</summary>
internal sealed class LabelSelector
{
    private enum Op { Equals, NotEquals, In, NotIn, Exists, DoesNotExist }

    private sealed record Requirement(string Key, Op Op, string[] Values);

    private readonly List<Requirement> _requirements;

    private LabelSelector(List<Requirement> requirements) => _requirements = requirements;

    public bool IsEmpty => _requirements.Count == 0;

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        foreach (var r in _requirements)
        {
            var has = labels.TryGetValue(r.Key, out var v);
            var ok = r.Op switch
            {
                Op.Equals => has && v == r.Values[0],
                Op.NotEquals => !has || v != r.Values[0],
                Op.In => has && r.Values.Contains(v),
                Op.NotIn => !has || !r.Values.Contains(v),
                Op.Exists => has,
                _ => !has,
            };
            if (!ok) return false;
        }
        return true;
    }

    public static LabelSelector Parse(string? text)
    {
        var reqs = new List<Requirement>();
        if (string.IsNullOrWhiteSpace(text)) return new LabelSelector(reqs);
        foreach (var part in SplitTopLevel(text))
        {
            var p = part.Trim();
            if (p.Length == 0) throw Bad(text, "empty requirement");
            if (p.StartsWith('!'))
            {
                reqs.Add(new Requirement(Key(p[1..].Trim(), text), Op.DoesNotExist, []));
                continue;
            }
            var setMatch = System.Text.RegularExpressions.Regex.Match(p, @"^(\S+)\s+(in|notin)\s*\((.*)\)$");
            if (setMatch.Success)
            {
                var values = setMatch.Groups[3].Value.Split(',').Select(v => v.Trim()).ToArray();
                reqs.Add(new Requirement(Key(setMatch.Groups[1].Value, text), setMatch.Groups[2].Value == "in" ? Op.In : Op.NotIn, values));
                continue;
            }
            int idx;
            if ((idx = p.IndexOf("!=", StringComparison.Ordinal)) > 0)
                reqs.Add(new Requirement(Key(p[..idx].Trim(), text), Op.NotEquals, [Value(p[(idx + 2)..].Trim(), text)]));
            else if ((idx = p.IndexOf("==", StringComparison.Ordinal)) > 0)
                reqs.Add(new Requirement(Key(p[..idx].Trim(), text), Op.Equals, [Value(p[(idx + 2)..].Trim(), text)]));
            else if ((idx = p.IndexOf('=')) > 0)
                reqs.Add(new Requirement(Key(p[..idx].Trim(), text), Op.Equals, [Value(p[(idx + 1)..].Trim(), text)]));
            else if (p.IndexOfAny(['=', '!', '(', ')', ' ']) < 0)
                reqs.Add(new Requirement(Key(p, text), Op.Exists, []));
            else throw Bad(text, $"unable to parse requirement: {p}");
        }
        return new LabelSelector(reqs);
    }

    /// <summary>A workload's spec.selector (matchLabels + matchExpressions) as a selector.</summary>
    public static LabelSelector FromLabelSelectorObject(JsonNode? selector)
    {
        var reqs = new List<Requirement>();
        if (selector?["matchLabels"] is JsonObject ml)
            foreach (var kv in ml) reqs.Add(new Requirement(kv.Key, Op.Equals, [Json.Str(kv.Value) ?? ""]));
        foreach (var e in Json.Objects(selector?["matchExpressions"]))
        {
            var op = Json.Str(e, "operator") switch { "In" => Op.In, "NotIn" => Op.NotIn, "Exists" => Op.Exists, _ => Op.DoesNotExist };
            reqs.Add(new Requirement(Json.Str(e, "key") ?? "", op, (e["values"] as JsonArray)?.Select(v => Json.Str(v) ?? "").ToArray() ?? []));
        }
        return new LabelSelector(reqs);
    }

    private static IEnumerable<string> SplitTopLevel(string s)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '(') depth++;
            else if (s[i] == ')') depth--;
            else if (s[i] == ',' && depth == 0)
            {
                yield return s[start..i];
                start = i + 1;
            }
        }
        yield return s[start..];
    }

    private static string Key(string k, string text)
    {
        if (k.Length == 0 || k.IndexOfAny([' ', '=', '!', '(', ')', ',']) >= 0) throw Bad(text, $"invalid label key \"{k}\"");
        return k;
    }

    private static string Value(string v, string text)
    {
        if (!Names.IsLabelValue(v)) throw Bad(text, $"invalid label value: \"{v}\"");
        return v;
    }

    private static ApiException Bad(string text, string why) =>
        ApiException.BadRequest($"unable to parse requirement: {why}");
}

/// <summary>A parsed fieldSelector (=, ==, !=) over the fields the real server supports for each resource.</summary>
internal sealed class FieldSelector
{
    private readonly List<(string Field, bool Equal, string Value)> _terms = new();

    public bool IsEmpty => _terms.Count == 0;

    public static FieldSelector Parse(string? text, ResourceDef def)
    {
        var fs = new FieldSelector();
        if (string.IsNullOrWhiteSpace(text)) return fs;
        foreach (var raw in text.Split(','))
        {
            var p = raw.Trim();
            int idx;
            string field, value;
            bool eq;
            if ((idx = p.IndexOf("!=", StringComparison.Ordinal)) > 0) { field = p[..idx]; value = p[(idx + 2)..]; eq = false; }
            else if ((idx = p.IndexOf("==", StringComparison.Ordinal)) > 0) { field = p[..idx]; value = p[(idx + 2)..]; eq = true; }
            else if ((idx = p.IndexOf('=')) > 0) { field = p[..idx]; value = p[(idx + 1)..]; eq = true; }
            else throw ApiException.BadRequest($"invalid selector: '{text}'; can't understand '{p}'");
            field = field.Trim();
            if (!Supported(def, field))
                throw ApiException.BadRequest($"field label not supported: {field}");
            fs._terms.Add((field, eq, value.Trim()));
        }
        return fs;
    }

    private static bool Supported(ResourceDef def, string field)
    {
        if (field is "metadata.name" or "metadata.namespace") return true;
        if (def.IsCustom) return false;
        return (def.Group, def.Kind) switch
        {
            ("", "Pod") => field is "status.phase" or "spec.nodeName" or "spec.restartPolicy" or "spec.schedulerName" or "spec.serviceAccountName" or "status.podIP" or "status.nominatedNodeName",
            ("", "Event") => field.StartsWith("involvedObject.", StringComparison.Ordinal) || field is "reason" or "reportingComponent" or "source" or "type",
            ("", "Secret") => field == "type",
            ("", "Namespace") => field == "status.phase",
            ("", "PersistentVolumeClaim") => false,
            ("batch", "Job") => field == "status.successful",
            _ => false,
        };
    }

    public bool Matches(StoredObject o)
    {
        JsonObject? parsed = null;
        foreach (var (field, eq, value) in _terms)
        {
            string actual;
            switch (field)
            {
                case "metadata.name": actual = o.Name; break;
                case "metadata.namespace": actual = o.Namespace ?? ""; break;
                case "status.phase" when o.Phase != null: actual = o.Phase; break;
                default:
                    parsed ??= o.Parse();
                    var node = Json.At(parsed, field.Split('.'));
                    actual = node == null ? "" : Json.Str(node) ?? "";
                    if (field == "source") actual = Json.Str(parsed, "source", "component") ?? "";
                    break;
            }
            if ((actual == value) != eq) return false;
        }
        return true;
    }
}
