using System.Text.Json;
using System.Text.Json.Nodes;

namespace ClusterOps.Core.Scheduling;

/// <summary>
/// A SchedulePolicy or NamespacedSchedulePolicy object (stork.libopenstorage.org/v1alpha1) held as its JSON tree.
/// The tree is the source of truth: <see cref="ReadSpec()"/> gives the typed view and <see cref="WriteSpec"/>
/// writes one back into the same tree, touching only the fields ClusterOps knows. Fields it does not know (a newer
/// Stork's, labels, annotations, managedFields, a typo someone relies on) survive a read-modify-write.
/// </summary>
public sealed class SchedulePolicyDocument
{
    private SchedulePolicyDocument(JsonObject json) => Json = json;

    /// <summary>The live object. Mutating it mutates this document.</summary>
    internal JsonObject Json { get; }

    public string? ApiVersion => Json["apiVersion"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
    public string? Kind => Json["kind"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public string Name => Metadata("name") ?? "";

    /// <summary>
    /// The namespace as written. On a cluster-scoped SchedulePolicy it means nothing: the API server clears it
    /// (the seed's example sets <c>namespace: mysql</c>), so <see cref="EffectiveNamespace"/> is what counts.
    /// </summary>
    public string? Namespace => Metadata("namespace");

    public SchedulePolicyScope Scope =>
        Kind == StorkApi.NamespacedSchedulePolicyKind ? SchedulePolicyScope.Namespaced : SchedulePolicyScope.Cluster;

    public string? EffectiveNamespace => Scope == SchedulePolicyScope.Namespaced ? Namespace : null;

    public string? ResourceVersion => Metadata("resourceVersion");

    /// <summary>Wrap an existing object (for example one returned by the API server). The node is used, not copied.</summary>
    public static SchedulePolicyDocument FromJson(JsonObject json) => new(json ?? throw new ArgumentNullException(nameof(json)));

    public static SchedulePolicyDocument Parse(string json) =>
        FromJson(JsonNode.Parse(json) as JsonObject ?? throw new JsonException("A schedule policy must be a JSON object."));

    /// <summary>
    /// A new object: a cluster-scoped SchedulePolicy when <paramref name="namespace"/> is null, otherwise a
    /// NamespacedSchedulePolicy in that namespace.
    /// </summary>
    public static SchedulePolicyDocument Create(string name, string? @namespace, SchedulePolicySpec spec)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var scope = @namespace is null ? SchedulePolicyScope.Cluster : SchedulePolicyScope.Namespaced;
        var metadata = new JsonObject { ["name"] = name };
        if (@namespace is not null)
            metadata["namespace"] = @namespace;
        var document = new SchedulePolicyDocument(new JsonObject
        {
            ["apiVersion"] = StorkApi.ApiVersion,
            ["kind"] = StorkApi.KindFor(scope),
            ["metadata"] = metadata,
        });
        document.WriteSpec(spec);
        return document;
    }

    /// <summary>A deep copy, for building an update without touching the original.</summary>
    public SchedulePolicyDocument Clone() => new((JsonObject)Json.DeepClone());

    /// <summary>The typed view, read the way Stork's Go decoder would (values of the wrong type read as Go's zero value).</summary>
    public SchedulePolicySpec ReadSpec() => SchedulePolicyDecoder.Decode(this, problems: null);

    /// <summary>The typed view plus every decoding problem (wrong JSON types, fields Stork ignores).</summary>
    public SchedulePolicySpec ReadSpec(ICollection<SchedulePolicyProblem> problems) => SchedulePolicyDecoder.Decode(this, problems);

    /// <summary>
    /// Write <paramref name="spec"/> into the tree: each present section's known fields are set (retain 0, empty
    /// options and a null forceFullSnapshotDay are removed, as Go's zero values), unknown fields in the section are
    /// kept, and absent sections are removed.
    /// </summary>
    public void WriteSpec(SchedulePolicySpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (Json["policy"] is not JsonObject policy)
        {
            policy = new JsonObject();
            Json["policy"] = policy;
        }

        WriteSection(policy, "interval", spec.Interval, (o, s) =>
        {
            o["intervalMinutes"] = s.IntervalMinutes;
            SetRetainAndOptions(o, s.Retain, s.Options);
        });
        WriteSection(policy, "daily", spec.Daily, (o, s) =>
        {
            o["time"] = s.Time;
            SetRetainAndOptions(o, s.Retain, s.Options);
            SetOrRemove(o, "forceFullSnapshotDay", s.ForceFullSnapshotDay is null ? null : JsonValue.Create(s.ForceFullSnapshotDay));
        });
        WriteSection(policy, "weekly", spec.Weekly, (o, s) =>
        {
            o["day"] = s.Day;
            o["time"] = s.Time;
            SetRetainAndOptions(o, s.Retain, s.Options);
        });
        WriteSection(policy, "monthly", spec.Monthly, (o, s) =>
        {
            o["date"] = s.Date;
            o["time"] = s.Time;
            SetRetainAndOptions(o, s.Retain, s.Options);
        });
    }

    public string ToJsonString(bool indented = false) =>
        Json.ToJsonString(new JsonSerializerOptions { WriteIndented = indented });

    public override string ToString() => $"{Kind}/{Name}";

    private string? Metadata(string key) =>
        Json["metadata"] is JsonObject m && m[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static void WriteSection<T>(JsonObject policy, string key, T? section, Action<JsonObject, T> write)
        where T : class
    {
        if (section is null)
        {
            policy.Remove(key);
            return;
        }
        if (policy[key] is not JsonObject target)
        {
            target = new JsonObject();
            policy[key] = target;
        }
        write(target, section);
    }

    private static void SetRetainAndOptions(JsonObject section, int retain, IReadOnlyDictionary<string, string>? options)
    {
        SetOrRemove(section, "retain", retain == 0 ? null : JsonValue.Create(retain));
        JsonObject? map = null;
        if (options is { Count: > 0 })
        {
            map = new JsonObject();
            foreach (var (k, v) in options.OrderBy(p => p.Key, StringComparer.Ordinal))
                map[k] = v;
        }
        SetOrRemove(section, "options", map);
    }

    private static void SetOrRemove(JsonObject o, string key, JsonNode? value)
    {
        if (value is null)
            o.Remove(key);
        else
            o[key] = value;
    }
}
