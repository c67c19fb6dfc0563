using System.Text.Json.Nodes;

namespace ClusterOps.Sandbox.Server;

/// <summary>Serving custom resources: a stored CRD registers its resource; removing it stops serving and drops the objects.</summary>
internal static class Crds
{
    public static void Validate(ResourceDef def, JsonObject crd)
    {
        var name = Json.Str(crd, "metadata", "name") ?? "";
        var group = Json.Str(crd, "spec", "group") ?? "";
        var plural = Json.Str(crd, "spec", "names", "plural") ?? "";
        var errors = new List<FieldError>();
        if (group.Length == 0) errors.Add(new FieldError("spec.group", "FieldValueRequired", "Required value"));
        if (plural.Length == 0) errors.Add(new FieldError("spec.names.plural", "FieldValueRequired", "Required value"));
        if (string.IsNullOrEmpty(Json.Str(crd, "spec", "names", "kind"))) errors.Add(new FieldError("spec.names.kind", "FieldValueRequired", "Required value"));
        var scope = Json.Str(crd, "spec", "scope");
        if (scope is not ("Namespaced" or "Cluster")) errors.Add(FieldError.InvalidValue("spec.scope", scope ?? "", "should be either Cluster or Namespaced"));
        if (group.Length > 0 && plural.Length > 0 && name != $"{plural}.{group}")
            errors.Add(FieldError.InvalidValue("metadata.name", name, "must be spec.names.plural+\".\"+spec.group"));
        var versions = Json.Objects(Json.At(crd, "spec", "versions")).ToList();
        if (versions.Count == 0) errors.Add(new FieldError("spec.versions", "FieldValueRequired", "Required value: must have exactly one version marked as storage version"));
        else if (versions.Count(v => Json.Bool(v, "storage") == true) != 1)
            errors.Add(FieldError.InvalidValue("spec.versions", "", "must have exactly one version marked as storage version"));
        if (errors.Count > 0) throw ApiException.Invalid(def, name, errors);
    }

    public static IEnumerable<ResourceDef> DefsOf(JsonObject crd)
    {
        var group = Json.Str(crd, "spec", "group")!;
        var names = (JsonObject)Json.At(crd, "spec", "names")!;
        var kind = Json.Str(names, "kind")!;
        foreach (var v in Json.Objects(Json.At(crd, "spec", "versions")))
        {
            if (Json.Bool(v, "served") == false) continue;
            yield return new ResourceDef
            {
                Group = group,
                Version = Json.Str(v, "name")!,
                Kind = kind,
                Plural = Json.Str(names, "plural")!,
                Singular = Json.Str(names, "singular") ?? kind.ToLowerInvariant(),
                Namespaced = Json.Str(crd, "spec", "scope") == "Namespaced",
                ShortNames = (names["shortNames"] as JsonArray)?.Select(n => Json.Str(n) ?? "").ToArray() ?? [],
                Categories = (names["categories"] as JsonArray)?.Select(n => Json.Str(n) ?? "").ToArray() ?? [],
                HasStatus = Json.At(v, "subresources", "status") != null,
                HasScale = Json.At(v, "subresources", "scale") != null,
                PrinterColumns = v["additionalPrinterColumns"]?.DeepClone() as JsonArray,
                IsCustom = true,
            };
        }
    }

    public static void OnStored(ObjectStore store, JsonObject crd) => store.Registry.Register(DefsOf(crd).ToList());

    public static void OnRemoved(ObjectStore store, JsonObject crd)
    {
        var group = Json.Str(crd, "spec", "group") ?? "";
        var plural = Json.Str(crd, "spec", "names", "plural") ?? "";
        store.DropAll($"{plural}.{group}");
        store.Registry.Unregister(group, plural);
    }
}
