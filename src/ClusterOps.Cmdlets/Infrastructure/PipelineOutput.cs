using System.Globalization;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClusterOps.Core.Common;

namespace ClusterOps.Cmdlets.Infrastructure;

/// <summary>
/// Where Core records become PowerShell data (design rule 9). Core stays free of System.Management.Automation: a
/// record built from a Kubernetes object implements <see cref="IKubeObjectRecord"/> and offers the JSON only through
/// it. Here every such record gets an <c>Object</c> property whose value is the PSCustomObject tree ConvertFrom-Json
/// would give for the same JSON, so <c>$x.Object.spec.options</c> works, ConvertTo-Json writes the object (not the
/// internals of a JsonNode, which made one Migration 5.9 MB and a ClusterPair run out of memory), and Export-Csv,
/// Format-List and string expansion show one short value, "Kind namespace/name".
/// The tree is built on first access, once per record: listing 10k claims into a table costs nothing extra.
/// </summary>
public static class PipelineOutput
{
    public const string ObjectProperty = "Object";

    private static readonly ConditionalWeakTable<object, PSObject> Trees = new();

    private static readonly PSCodeProperty ObjectMember = new(ObjectProperty,
        typeof(PipelineOutput).GetMethod(nameof(GetObject))!);

    private static readonly PSCodeMethod ToStringMember = new("ToString",
        typeof(PipelineOutput).GetMethod(nameof(Describe))!);

    /// <summary>What the cmdlet writes for <paramref name="item"/>: the item itself, with <c>Object</c> added to records.</summary>
    public static object Shape(object item)
    {
        var record = item is PSObject ps ? ps.BaseObject : item;
        if (record is not IKubeObjectRecord)
            return item;
        var wrapped = PSObject.AsPSObject(item);
        if (wrapped.Properties[ObjectProperty] is null)
            wrapped.Properties.Add(ObjectMember);
        return wrapped;
    }

    /// <summary>The getter of the <c>Object</c> code property (public and static, as PSCodeProperty requires).</summary>
    public static object? GetObject(PSObject instance) =>
        instance.BaseObject is IKubeObjectRecord record
            ? Trees.GetValue(record, r => Root(((IKubeObjectRecord)r).ToKubeObject()))
            : null;

    /// <summary>The root's ToString (a code method): one CSV cell / list line naming the object instead of a dump.</summary>
    public static string Describe(PSObject instance)
    {
        string? Text(PSObject? o, string name) => o?.Properties[name]?.Value as string;
        var metadata = instance.Properties["metadata"]?.Value as PSObject;
        var ns = Text(metadata, "namespace");
        var name = Text(metadata, "name") ?? "";
        return $"{Text(instance, "kind")} {(string.IsNullOrEmpty(ns) ? name : ns + "/" + name)}".Trim();
    }

    private static PSObject Root(JsonObject json)
    {
        var root = (PSObject)ToPowerShell(json)!;
        root.Members.Add(ToStringMember);
        return root;
    }

    /// <summary>
    /// A JSON node as ConvertFrom-Json gives it: objects are PSCustomObjects with ordered note properties, arrays are
    /// object[], integers Int64 (BigInteger beyond), other numbers Double, strings stay strings (timestamps too, so the
    /// object round-trips through ConvertTo-Json unchanged).
    /// </summary>
    public static object? ToPowerShell(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return null;
            case JsonObject obj:
                var result = new PSObject();
                foreach (var (key, value) in obj)
                    result.Properties.Add(new PSNoteProperty(key, ToPowerShell(value)));
                return result;
            case JsonArray array:
                var items = new object?[array.Count];
                for (var i = 0; i < items.Length; i++)
                    items[i] = ToPowerShell(array[i]);
                return items;
            default:
                var v = node.AsValue();
                return v.GetValueKind() switch
                {
                    JsonValueKind.String => v.GetValue<string>(),
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    JsonValueKind.Number => Number(v.ToJsonString()),
                    _ => null,
                };
        }
    }

    private static object Number(string text) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? l
        : System.Numerics.BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var big) ? big
        : double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
}
