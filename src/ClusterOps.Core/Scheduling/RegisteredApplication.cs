using System.Globalization;
using System.Text.Json.Nodes;

namespace ClusterOps.Core.Scheduling;

/// <summary>One suspend option of a registered kind: where the field is, its type (bool, int, string) and, for bool, the value that means "suspended".</summary>
public sealed record SuspendOption(string Path, string Type, string? Value);

/// <summary>
/// A custom-resource kind Stork knows from a cluster-scoped ApplicationRegistration
/// (stork.libopenstorage.org/v1alpha1, pkg/apis/stork/v1alpha1/applicationregistration.go): group, version, kind,
/// its suspendOptions plus nestedSuspendOptions, and podsPath.
/// </summary>
public sealed record RegisteredApplication(string Registration, string Group, string Version, string Kind, IReadOnlyList<SuspendOption> Options, string? PodsPath)
{
    /// <summary>Stork's prefix for the per-path annotation that stores "activate,deactivate" values (migration controller).</summary>
    public const string AnnotationPrefix = StorkApi.Group + "/";
    public const string CrdActivateAnnotation = StorkApi.Group + "/migrationCRDActivate";
    public const string CrdDeactivateAnnotation = StorkApi.Group + "/migrationCRDDeactivate";

    /// <summary>Every resource entry of one ApplicationRegistration; suspendOptions (when it has a path) comes after nestedSuspendOptions, as storkctl appends it.</summary>
    public static IEnumerable<RegisteredApplication> From(JsonObject registration)
    {
        var name = StorkResources.Name(registration);
        foreach (var resource in (registration["resources"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var options = (resource["nestedSuspendOptions"] as JsonArray ?? []).OfType<JsonObject>().Select(Option).ToList();
            if (resource["suspendOptions"] is JsonObject single && !string.IsNullOrEmpty(StorkResources.Text(single["path"])))
                options.Add(Option(single));
            yield return new RegisteredApplication(name, StorkResources.Text(resource["group"]) ?? "", StorkResources.Text(resource["version"]) ?? "",
                StorkResources.Text(resource["kind"]) ?? "", options, StorkResources.Text(resource["podsPath"]));
        }
    }

    private static SuspendOption Option(JsonObject o) =>
        new(StorkResources.Text(o["path"]) ?? "", StorkResources.Text(o["type"]) ?? "", StorkResources.Text(o["value"]));

    /// <summary>
    /// The value storkctl's updateCRDObjects (pkg/resourceutils/updatereplicas.go) writes at the option's path:
    /// bool: the registered value when activating is its negation ("suspended" is the registered value), or simply
    /// !activate when no value is registered; int: the count stored in the per-path annotation (first of
    /// "activate,deactivate") or in migrationCRDActivate when activating, 0 when deactivating; string: the per-path
    /// annotation's first (activate) or second (deactivate) value, or migrationCRDActivate/-Deactivate. A path of one
    /// segment is ignored, as storkctl ignores it. Throws FormatException with storkctl's reason when it cannot decide.
    /// </summary>
    public static JsonNode? SuspendValue(SuspendOption option, IReadOnlyDictionary<string, string> annotations, bool activate, out bool apply)
    {
        apply = option.Path.Split('.').Length > 1;
        if (!apply)
            return null;
        switch (option.Type)
        {
            case "bool":
                return bool.TryParse(option.Value, out var suspended) ? JsonValue.Create(activate ? !suspended : suspended) : JsonValue.Create(!activate);
            case "int":
                if (!activate)
                    return JsonValue.Create(0L);
                var stored = annotations.TryGetValue(AnnotationPrefix + option.Path, out var pair) ? pair.Split(',')[0]
                    : annotations.TryGetValue(CrdActivateAnnotation, out var old) ? old : null;
                if (stored is null)
                    throw new FormatException($"it has neither {AnnotationPrefix + option.Path} nor {CrdActivateAnnotation}, so there is no stored count to restore");
                return long.TryParse(stored, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count)
                    ? JsonValue.Create(count)
                    : throw new FormatException($"the stored count '{stored}' is not a number");
            case "string":
                if (annotations.TryGetValue(AnnotationPrefix + option.Path, out var values))
                {
                    var parts = values.Split(',');
                    if (parts.Length != 2)
                        throw new FormatException($"migrated annotation does not have proper values {AnnotationPrefix + option.Path}/{values}");
                    return JsonValue.Create(activate ? parts[0] : parts[1]);
                }
                var key = activate ? CrdActivateAnnotation : CrdDeactivateAnnotation;
                return annotations.TryGetValue(key, out var legacy) ? JsonValue.Create(legacy) : throw new FormatException($"required migration annotation not found {key}");
            default:
                throw new FormatException($"invalid type {option.Type} to suspend cr");
        }
    }

    /// <summary>The pod names listed at <see cref="PodsPath"/> (storkctl deletes them on deactivation).</summary>
    public IReadOnlyList<string> Pods(JsonObject item) =>
        string.IsNullOrEmpty(PodsPath)
            ? []
            : (StorkResources.At(item, PodsPath.Split('.')) as JsonArray ?? []).Select(StorkResources.Text).OfType<string>().ToList();
}
