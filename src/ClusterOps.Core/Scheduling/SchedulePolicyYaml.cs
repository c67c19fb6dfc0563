using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ClusterOps.Core.Common;
using ClusterOps.Kubernetes.Input;

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
    /// <summary>The file broke a bound of <see cref="InputLimits"/> (size, depth, node count, alias cycle, not a regular file).</summary>
    public const string InputRefused = "SchedulePolicyInputRefused";
    public const string FileUnreadable = "SchedulePolicyFileUnreadable";

    /// <summary>
    /// Every SchedulePolicy / NamespacedSchedulePolicy in the file, in order (items of a kind: List included). The file
    /// is read through the shared bounded reader, so a hostile file is an <see cref="OperationException"/> naming
    /// the bound, never a hang, a crash or an exhausted session.
    /// </summary>
    public static IReadOnlyList<SchedulePolicyDocument> LoadFile(string path, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
            throw new OperationException(FileNotFound, FailureKind.ObjectNotFound, $"The file '{path}' does not exist.", path);
        string text;
        try
        {
            text = BoundedFile.ReadText(path, InputLimits.MaxYamlFileBytes, "schedule policy file", cancellationToken);
        }
        catch (InputLimitException ex)
        {
            throw Refused(ex, path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OperationException(FileUnreadable, FailureKind.PermissionDenied, $"Cannot read '{path}': {ex.Message}", path, ex);
        }
        var policies = ReadObjects(new StringReader(text), path, "schedule policy file")
            .SelectMany(Expand).Where(IsPolicy).Select(SchedulePolicyDocument.FromJson).ToList();
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

    /// <summary>Every YAML document as a JSON object (non-object documents are skipped), within <see cref="InputLimits"/>.</summary>
    public static IReadOnlyList<JsonObject> ReadObjects(TextReader reader, string sourceName = "<input>") =>
        ReadObjects(reader, sourceName, "YAML input");

    private static IReadOnlyList<JsonObject> ReadObjects(TextReader reader, string sourceName, string what)
    {
        IReadOnlyList<YamlItem> documents;
        try
        {
            documents = BoundedYaml.Parse(ReadBounded(reader), sourceName, what);
        }
        catch (YamlInputException ex)
        {
            throw new OperationException(YamlInvalid, FailureKind.InvalidData,
                $"'{sourceName}' is not valid YAML at line {ex.Line}{(ex.Column is { } c ? $", column {c}" : "")}: {ex.Message}", sourceName, ex);
        }
        catch (InputLimitException ex)
        {
            throw Refused(ex, sourceName);
        }
        return documents.Select(d => BoundedYaml.ToJson(d, Scalar)).OfType<JsonObject>().ToList();
    }

    /// <summary>The reader's text, refusing it once it passes the YAML size bound (a reader may never end).</summary>
    private static string ReadBounded(TextReader reader)
    {
        var text = new System.Text.StringBuilder();
        var buffer = new char[64 * 1024];
        int read;
        while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
        {
            text.Append(buffer, 0, read);
            if (text.Length > InputLimits.MaxYamlFileBytes)
                break; // BoundedYaml.Parse refuses it with the size message
        }
        return text.ToString();
    }

    private static OperationException Refused(InputLimitException ex, string path) =>
        new(InputRefused, FailureKind.InvalidData, ex.Message, path, ex)
        {
            RecommendedAction = "Check that the path names the policy manifest you meant; a real policy file is small, shallow and has no self-referencing aliases.",
        };

    private static IEnumerable<JsonObject> Expand(JsonObject obj) =>
        obj["kind"]?.GetValueKind() == System.Text.Json.JsonValueKind.String && obj["kind"]!.GetValue<string>() == "List" && obj["items"] is JsonArray items
            ? items.OfType<JsonObject>().Select(i => (JsonObject)i.DeepClone())
            : [obj];

    private static bool IsPolicy(JsonObject obj) =>
        obj["kind"] is JsonValue kind && kind.TryGetValue<string>(out var k) &&
        k is StorkApi.SchedulePolicyKind or StorkApi.NamespacedSchedulePolicyKind &&
        obj["apiVersion"] is JsonValue api && api.TryGetValue<string>(out var a) && a.StartsWith(StorkApi.Group + "/", StringComparison.Ordinal);

    /// <summary>A node as JSON, converted iteratively by the shared reader (no recursion to overflow).</summary>
    internal static JsonNode? ToJson(YamlItem node) => BoundedYaml.ToJson(node, Scalar);

    private static JsonNode? Scalar(YamlScalar scalar)
    {
        var text = scalar.Value;
        var tag = scalar.Tag;
        if (tag == "tag:yaml.org,2002:str" || (tag is null && !scalar.Plain))
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
