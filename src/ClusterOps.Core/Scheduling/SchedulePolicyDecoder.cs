using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ClusterOps.Core.Scheduling;

/// <summary>
/// Reads <c>policy:</c> the way Stork's client (Kubernetes' case-sensitive JSON decoding into Go structs) does:
/// keys match exactly, unknown keys are dropped silently, null leaves Go's zero value, and a value of the wrong
/// type (a quoted date, a numeric time) is a decoding error. Such an error is worse than an invalid value: Stork
/// cannot decode the object at all, so its informer cache cannot hold it and every schedule naming it fails.
/// </summary>
internal static class SchedulePolicyDecoder
{
    private static readonly string[] TopLevelFields = ["apiVersion", "kind", "metadata", "policy", "status"];
    private static readonly string[] SectionKeys = ["interval", "daily", "weekly", "monthly"];

    public static SchedulePolicySpec Decode(SchedulePolicyDocument document, ICollection<SchedulePolicyProblem>? problems, string? source = null)
    {
        var r = new Reader(document.Name, source, problems);

        foreach (var (key, _) in document.Json)
        {
            if (!TopLevelFields.Contains(key, StringComparer.Ordinal))
                r.UnknownField("Policy", key, key, $"Stork ignores the top-level field '{key}'; the schedule belongs under 'policy:'" + Hint(key, TopLevelFields) + ".");
        }

        var policyNode = document.Json["policy"];
        if (policyNode is null)
            return new SchedulePolicySpec();
        if (policyNode is not JsonObject policy)
        {
            r.TypeError("Policy", "Policy", "policy", policyNode, "an object with interval, daily, weekly and/or monthly sections");
            return new SchedulePolicySpec();
        }

        foreach (var (key, _) in policy)
        {
            if (!SectionKeys.Contains(key, StringComparer.Ordinal))
                r.UnknownField("Policy", key, "policy." + key, $"Stork ignores 'policy.{key}'; sections are interval, daily, weekly and monthly (case-sensitive){Hint(key, SectionKeys)}.");
        }

        return new SchedulePolicySpec(
            Interval: r.Section(policy, "interval", SchedulePolicyType.Interval, ["intervalMinutes", "retain", "options"], o =>
                new IntervalPolicySection(
                    r.Int(o, "intervalMinutes", "Interval", "IntervalMinutes"),
                    r.Int(o, "retain", "Interval", "IntervalRetain"),
                    r.Map(o, "options", "Interval", "IntervalOptions"))),
            Daily: r.Section(policy, "daily", SchedulePolicyType.Daily, ["time", "retain", "options", "forceFullSnapshotDay"], o =>
                new DailyPolicySection(
                    r.String(o, "time", "Daily", "DailyTime"),
                    r.Int(o, "retain", "Daily", "DailyRetain"),
                    r.Map(o, "options", "Daily", "DailyOptions"),
                    o.ContainsKey("forceFullSnapshotDay") ? r.String(o, "forceFullSnapshotDay", "Daily", "DailyForceFullSnapshotDay") : null)),
            Weekly: r.Section(policy, "weekly", SchedulePolicyType.Weekly, ["day", "time", "retain", "options"], o =>
                new WeeklyPolicySection(
                    r.String(o, "day", "Weekly", "WeeklyDay"),
                    r.String(o, "time", "Weekly", "WeeklyTime"),
                    r.Int(o, "retain", "Weekly", "WeeklyRetain"),
                    r.Map(o, "options", "Weekly", "WeeklyOptions"))),
            Monthly: r.Section(policy, "monthly", SchedulePolicyType.Monthly, ["date", "time", "retain", "options"], o =>
                new MonthlyPolicySection(
                    r.Int(o, "date", "Monthly", "MonthlyDate"),
                    r.String(o, "time", "Monthly", "MonthlyTime"),
                    r.Int(o, "retain", "Monthly", "MonthlyRetain"),
                    r.Map(o, "options", "Monthly", "MonthlyOptions"))));
    }

    private static string Hint(string key, IEnumerable<string> known)
    {
        var match = known.FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));
        return match is null ? "" : $" (did you mean '{match}'?)";
    }

    /// <summary>JSON text of a value for messages.</summary>
    internal static string Describe(JsonNode? node) => node is null ? "null" : node.ToJsonString();

    private sealed class Reader(string policyName, string? source, ICollection<SchedulePolicyProblem>? problems)
    {
        public T? Section<T>(JsonObject policy, string key, SchedulePolicyType type, string[] fields, Func<JsonObject, T> read)
            where T : class
        {
            var node = policy[key];
            if (node is null)
                return null; // absent or null: Go leaves the pointer nil
            var path = "policy." + key;
            if (node is not JsonObject section)
            {
                TypeError(type.ToString(), type.ToString(), path, node, "an object");
                return null;
            }
            foreach (var (field, _) in section)
            {
                if (!fields.Contains(field, StringComparer.Ordinal))
                    UnknownField(type.ToString(), field, $"{path}.{field}",
                        $"Stork ignores '{path}.{field}'; the {type} section has {string.Join(", ", fields)} (case-sensitive){Hint(field, fields)}.");
            }
            return read(section);
        }

        public int Int(JsonObject o, string key, string section, string field)
        {
            var node = o[key];
            if (node is null)
                return 0;
            // Go's int is 64-bit: a value past int32 still decodes there, so it is clamped here (and then judged by
            // the range checks) rather than called a type error.
            if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number &&
                long.TryParse(v.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
                return (int)Math.Clamp(n, int.MinValue, int.MaxValue);
            TypeError(section, field, PathOf(o, key), node, "a whole number");
            return 0;
        }

        public string String(JsonObject o, string key, string section, string field)
        {
            var node = o[key];
            if (node is null)
                return "";
            if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
                return v.GetValue<string>();
            TypeError(section, field, PathOf(o, key), node, "a string (quote it in YAML)");
            return "";
        }

        public IReadOnlyDictionary<string, string>? Map(JsonObject o, string key, string section, string field)
        {
            var node = o[key];
            if (node is null)
                return null;
            if (node is JsonObject map && map.All(p => p.Value is JsonValue pv && pv.GetValueKind() == JsonValueKind.String))
                return map.ToDictionary(p => p.Key, p => p.Value!.GetValue<string>(), StringComparer.Ordinal);
            TypeError(section, field, PathOf(o, key), node, "a map of strings to strings");
            return null;
        }

        public void TypeError(string section, string field, string path, JsonNode node, string expected) =>
            problems?.Add(new SchedulePolicyProblem
            {
                PolicyName = policyName,
                Source = source,
                Severity = SchedulePolicySeverity.Error,
                Section = section,
                Field = field,
                Path = path,
                Value = Describe(node),
                ErrorId = SchedulePolicyErrorIds.FieldType,
                Message = $"{field} {Describe(node)} is not {expected}: Stork cannot decode this policy at all, so every schedule that names it fails.",
            });

        public void UnknownField(string section, string field, string path, string message) =>
            problems?.Add(new SchedulePolicyProblem
            {
                PolicyName = policyName,
                Source = source,
                Severity = SchedulePolicySeverity.Warning,
                Section = section,
                Field = field,
                Path = path,
                Value = null,
                ErrorId = SchedulePolicyErrorIds.UnknownField,
                Message = message,
            });

        private static string PathOf(JsonObject section, string key) => section.GetPath().TrimStart('$', '.') + "." + key;
    }
}
