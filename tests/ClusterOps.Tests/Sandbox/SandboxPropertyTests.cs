using System.Text.Json.Nodes;
using ClusterOps.Sandbox.Server;
using FsCheck;
using FsCheck.Fluent;

namespace ClusterOps.Tests.Sandbox;

/// <summary>Properties of the selector parser and the merge patch over generated inputs.</summary>
public sealed class SandboxPropertyTests
{
    private static readonly string[] Keys = ["app", "tier", "env", "example.com/team"];
    private static readonly string[] Values = ["db", "web", "prod", "a-1"];

    private sealed record Req(string Key, string Op, string[] Values);

    private static bool Oracle(Req r, IReadOnlyDictionary<string, string> labels)
    {
        var has = labels.TryGetValue(r.Key, out var v);
        return r.Op switch
        {
            "=" or "==" => has && v == r.Values[0],
            "!=" => !has || v != r.Values[0],
            "in" => has && r.Values.Contains(v),
            "notin" => !has || !r.Values.Contains(v),
            "exists" => has,
            _ => !has,
        };
    }

    private static string Render(Req r) => r.Op switch
    {
        "in" or "notin" => $"{r.Key} {r.Op} ({string.Join(",", r.Values)})",
        "exists" => r.Key,
        "!" => "!" + r.Key,
        _ => $"{r.Key}{r.Op}{r.Values[0]}",
    };

    [Fact]
    public void Parsed_label_selectors_match_exactly_when_every_requirement_holds()
    {
        var values = Gen.NonEmptyListOf(Gen.Elements(Values)).Select(l => l.Distinct().ToArray());
        var req = from key in Gen.Elements(Keys)
                  from op in Gen.Elements("=", "==", "!=", "in", "notin", "exists", "!")
                  from vs in values
                  select new Req(key, op, vs);
        var labels = Gen.SubListOf(Keys).SelectMany(keys => Gen.ArrayOf(Gen.Elements(Values), keys.Count)
            .Select(vs => (IReadOnlyDictionary<string, string>)keys.Zip(vs).ToDictionary(p => p.First, p => p.Second)));
        var cases = from reqs in Gen.NonEmptyListOf(req)
                    from l in labels
                    select (Reqs: reqs.ToList(), Labels: l);
        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var selector = LabelSelector.Parse(string.Join(",", c.Reqs.Select(Render)));
            return selector.Matches(c.Labels) == c.Reqs.All(r => Oracle(r, c.Labels));
        }).QuickCheckThrowOnFailure();
    }

    private static Gen<JsonNode?> Value(int depth, bool allowNull)
    {
        var leaves = new List<Gen<JsonNode?>>
        {
            Gen.Elements("x", "y", "").Select(s => (JsonNode?)JsonValue.Create(s)),
            Gen.Choose(-3, 3).Select(i => (JsonNode?)JsonValue.Create(i)),
        };
        if (allowNull) leaves.Add(Gen.Constant<JsonNode?>(null));
        if (depth > 0) leaves.Add(Obj(depth - 1, allowNull).Select(o => (JsonNode?)o));
        return Gen.OneOf(leaves);
    }

    private static Gen<JsonObject> Obj(int depth, bool allowNull) =>
        Gen.SubListOf(new[] { "a", "b", "c" }).SelectMany(keys => Gen.ArrayOf(Value(depth, allowNull), keys.Count)
            .Select(vals =>
            {
                var o = new JsonObject();
                for (var i = 0; i < keys.Count; i++) o[keys[i]] = vals[i];
                return o;
            }));

    /// <summary>RFC 7386 section 2, checked key by key.</summary>
    private static bool Conforms(JsonNode? target, JsonObject patch, JsonNode? result)
    {
        if (result is not JsonObject r) return false;
        var t = target as JsonObject;
        foreach (var kv in patch)
        {
            if (kv.Value == null) { if (r.ContainsKey(kv.Key)) return false; continue; }
            if (kv.Value is JsonObject po) { if (!Conforms(t?[kv.Key], po, r[kv.Key])) return false; continue; }
            if (!JsonNode.DeepEquals(r[kv.Key], kv.Value)) return false;
        }
        if (t != null)
            foreach (var kv in t)
                if (!patch.ContainsKey(kv.Key) && !JsonNode.DeepEquals(r[kv.Key], kv.Value)) return false;
        return r.Count(kv => !patch.ContainsKey(kv.Key)) == (t?.Count(kv => !patch.ContainsKey(kv.Key)) ?? 0);
    }

    [Fact]
    public void Merge_patch_follows_rfc_7386_and_is_idempotent()
    {
        var cases = from target in Obj(2, allowNull: false)
                    from patch in Obj(2, allowNull: true)
                    select (Target: target, Patch: patch);
        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var once = Patches.Merge(c.Target, c.Patch);
            var twice = Patches.Merge(once, c.Patch);
            return Conforms(c.Target, c.Patch, once) && JsonNode.DeepEquals(once, twice);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Json_patch_add_then_remove_restores_the_document()
    {
        var cases = from target in Obj(1, allowNull: false)
                    from value in Value(1, allowNull: false)
                    select (Target: target, Value: value);
        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var ops = new JsonArray(
                new JsonObject { ["op"] = "add", ["path"] = "/added~1key", ["value"] = c.Value?.DeepClone() },
                new JsonObject { ["op"] = "remove", ["path"] = "/added~1key" });
            return JsonNode.DeepEquals(Patches.JsonPatch(c.Target, ops), c.Target);
        }).QuickCheckThrowOnFailure();
    }
}
