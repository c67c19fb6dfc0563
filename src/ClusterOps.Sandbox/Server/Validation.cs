using System.Text.Json.Nodes;

namespace ClusterOps.Sandbox.Server;

/// <summary>The subset of the real validation our clients can trip over, with the real field paths and wording.</summary>
internal static class Validation
{
    private const string LabelValueMessage =
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

    public static IEnumerable<FieldError> Validate(ResourceDef def, JsonObject obj)
    {
        if (obj["metadata"]?["labels"] is JsonObject labels)
            foreach (var kv in labels)
            {
                var v = kv.Value is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : null;
                if (v == null || !Names.IsLabelValue(v))
                    yield return FieldError.InvalidValue("metadata.labels", v ?? kv.Value?.ToJsonString() ?? "null", LabelValueMessage);
            }

        if (def.IsCustom) yield break;
        switch (def.Kind)
        {
            case "PersistentVolumeClaim" when def.Group == "":
                if (obj["spec"]?["accessModes"] is not JsonArray { Count: > 0 })
                    yield return FieldError.Required("spec.accessModes", "at least 1 access mode is required");
                if (Json.At(obj, "spec", "resources", "requests", "storage") == null)
                    yield return new FieldError("spec.resources[storage]", "FieldValueRequired", "Required value");
                break;
            case "Pod" when def.Group == "":
                if (obj["spec"]?["containers"] is not JsonArray { Count: > 0 })
                    yield return new FieldError("spec.containers", "FieldValueRequired", "Required value");
                break;
            case "Deployment" or "StatefulSet" when def.Group == "apps":
                var selector = Json.At(obj, "spec", "selector", "matchLabels") as JsonObject;
                if (Json.At(obj, "spec", "selector") == null)
                    yield return new FieldError("spec.selector", "FieldValueRequired", "Required value");
                else if (selector != null)
                {
                    var tl = Json.At(obj, "spec", "template", "metadata", "labels") as JsonObject;
                    if (selector.Any(kv => Json.Str(tl, kv.Key) != Json.Str(kv.Value)))
                        yield return new FieldError("spec.template.metadata.labels", "FieldValueInvalid",
                            $"Invalid value: {tl?.ToJsonString() ?? "null"}: `selector` does not match template `labels`");
                }
                break;
        }
    }

    /// <summary>
    /// Update rules for PVCs: the spec is immutable except a growing storage request on a bound claim (and the
    /// binder setting volumeName); growing needs a class that allows expansion (the PersistentVolumeClaimResize
    /// admission plugin answers 403 otherwise).
    /// </summary>
    public static IEnumerable<FieldError> ValidateUpdate(ResourceDef def, JsonObject current, JsonObject next, ObjectStore store)
    {
        if (def.IsCustom || def.Group != "" || def.Kind != "PersistentVolumeClaim") yield break;
        var oldSpec = current["spec"]?.DeepClone() as JsonObject ?? new JsonObject();
        var newSpec = next["spec"]?.DeepClone() as JsonObject ?? new JsonObject();
        var oldSize = Json.Str(oldSpec, "resources", "requests", "storage");
        var newSize = Json.Str(newSpec, "resources", "requests", "storage");
        foreach (var f in new[] { "volumeMode", "storageClassName" })
            if (newSpec[f] == null && oldSpec[f] != null) newSpec[f] = oldSpec[f]!.DeepClone();
        if (string.IsNullOrEmpty(Json.Str(oldSpec, "volumeName"))) { oldSpec.Remove("volumeName"); newSpec.Remove("volumeName"); }
        oldSpec.Remove("volumeAttributesClassName");
        newSpec.Remove("volumeAttributesClassName");
        var bound = Json.Str(current, "status", "phase") == "Bound";
        if (bound)
        {
            (Json.At(oldSpec, "resources", "requests") as JsonObject)?.Remove("storage");
            (Json.At(newSpec, "resources", "requests") as JsonObject)?.Remove("storage");
        }
        if (!Json.DeepEquals(oldSpec, newSpec))
        {
            yield return new FieldError("spec", "FieldValueForbidden",
                "Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims");
            yield break;
        }
        if (!bound || oldSize == newSize) yield break;
        var oldBytes = Controllers.Quantity.Bytes(oldSize);
        var newBytes = Controllers.Quantity.Bytes(newSize);
        if (newBytes < oldBytes)
        {
            yield return new FieldError("spec.resources.requests.storage", "FieldValueForbidden", "Forbidden: field can not be less than previous value");
            yield break;
        }
        var scName = Json.Str(next, "spec", "storageClassName") ?? "";
        var sc = scName.Length == 0 ? null : store.Get(store.Registry.Find("storage.k8s.io", "v1", "storageclasses")!, null, scName)?.Parse();
        if (sc == null || Json.Bool(sc, "allowVolumeExpansion") != true)
            throw ApiException.Forbidden(def, Json.Str(current, "metadata", "name"),
                "only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize");
    }
}
