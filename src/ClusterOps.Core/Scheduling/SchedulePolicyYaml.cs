using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ClusterOps.Core.Common;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ClusterOps.Core.Scheduling;

/// <summary>
/// Reads schedule policies from YAML files (kubectl-style manifests, several documents per file, other kinds
/// skipped) for offline checks and trigger previews. Plain scalars resolve as kubectl's YAML-to-JSON step does
/// (YAML 1.1 as in go-yaml v2: yes/no/on/off are booleans, 014 is octal), so a file that kubectl would turn into
/// <c>"date": "14"</c> is checked as the same JSON Stork will receive.
/// </summary>
public static partial class SchedulePolicyYaml
{
    public const string FileNotFound = "SchedulePolicyFileNotFound";
    public const string YamlInvalid = "SchedulePolicyYamlInvalid";
    public const string NoPolicyInFile = "SchedulePolicyFileHasNoPolicy";

    /// <summary>Every SchedulePolicy / NamespacedSchedulePolicy in the file, in order (items of a kind: List included).</summary>
    public static IReadOnlyList<SchedulePolicyDocument> LoadFile(string path)
    {
        if (!File.Exists(path))
            throw new OperationException(FileNotFound, FailureKind.ObjectNotFound, $"The file '{path}' does not exist.", path);
        using var reader = File.OpenText(path);
        var policies = Load(reader, path);
        if (policies.Count == 0)
        {
            throw new OperationException(NoPolicyInFile, FailureKind.InvalidData,
                $"'{path}' holds no {StorkApi.SchedulePolicyKind} or {StorkApi.NamespacedSchedulePolicyKind} ({StorkApi.ApiVersion}).", path);
        }
        return policies;
    }

    /// <summary>The policies in YAML text; objects of other kinds are skipped.</summary>
    public static IReadOnlyList<SchedulePolicyDocument> Load(TextReader reader, string sourceName = "<input>") =>
        ReadObjects(reader, sourceName).SelectMany(Expand).Where(IsPolicy).Select(SchedulePolicyDocument.FromJson).ToList();

    /// <summary>Every YAML document as a JSON object (non-object documents are skipped).</summary>
    public static IReadOnlyList<JsonObject> ReadObjects(TextReader reader, string sourceName = "<input>")
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(reader);
        }
        catch (YamlException ex)
        {
            throw new OperationException(YamlInvalid, FailureKind.InvalidData,
                $"'{sourceName}' is not valid YAML at line {ex.Start.Line}, column {ex.Start.Column}: {ex.Message}", sourceName, ex);
        }
        return stream.Documents.Select(d => ToJson(d.RootNode)).OfType<JsonObject>().ToList();
    }

    private static IEnumerable<JsonObject> Expand(JsonObject obj) =>
        obj["kind"]?.GetValueKind() == System.Text.Json.JsonValueKind.String && obj["kind"]!.GetValue<string>() == "List" && obj["items"] is JsonArray items
            ? items.OfType<JsonObject>().Select(i => (JsonObject)i.DeepClone())
            : [obj];

    private static bool IsPolicy(JsonObject obj) =>
        obj["kind"] is JsonValue kind && kind.TryGetValue<string>(out var k) &&
        k is StorkApi.SchedulePolicyKind or StorkApi.NamespacedSchedulePolicyKind &&
        obj["apiVersion"] is JsonValue api && api.TryGetValue<string>(out var a) && a.StartsWith(StorkApi.Group + "/", StringComparison.Ordinal);

    internal static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => ToObject(map),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(ToJson).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => null,
    };

    private static JsonObject ToObject(YamlMappingNode map)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in map.Children)
            obj[(key as YamlScalarNode)?.Value ?? key.ToString()] = ToJson(value);
        return obj;
    }

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
        if (tag == "tag:yaml.org,2002:str" || (tag is null && scalar.Style != ScalarStyle.Plain))
            return JsonValue.Create(text);

        if (text is "" or "~" or "null" or "Null" or "NULL")
            return null;
        if (text is "true" or "True" or "TRUE" or "yes" or "Yes" or "YES" or "y" or "Y" or "on" or "On" or "ON")
            return JsonValue.Create(true);
        if (text is "false" or "False" or "FALSE" or "no" or "No" or "NO" or "n" or "N" or "off" or "Off" or "OFF")
            return JsonValue.Create(false);

        var digits = text.Replace("_", "", StringComparison.Ordinal);
        var negative = digits.StartsWith('-');
        var unsigned = digits.TrimStart('-', '+');
        if (OctalPattern().IsMatch(digits) && TryBase(unsigned[1..], 8, negative, out var octal))
            return JsonValue.Create(octal);
        if (unsigned.StartsWith("0x", StringComparison.Ordinal) && TryBase(unsigned[2..], 16, negative, out var hex))
            return JsonValue.Create(hex);
        if (IntegerPattern().IsMatch(digits) && long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
            return JsonValue.Create(integer);
        if (FloatPattern().IsMatch(digits) && double.TryParse(digits, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
            return JsonValue.Create(real);
        return JsonValue.Create(text);
    }

    private static bool TryBase(string digits, int radix, bool negative, out long value)
    {
        value = 0;
        if (digits.Length == 0)
            return false;
        try
        {
            value = Convert.ToInt64(digits, radix);
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
        {
            return false;
        }
        if (negative)
            value = -value;
        return true;
    }

    [GeneratedRegex(@"^[-+]?0[0-7]+$")]
    private static partial Regex OctalPattern();

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
