using System.Text.Json.Nodes;

namespace ClusterOps.Sandbox.Server;

/// <summary>One served resource (group, version, plural) and how the server treats it.</summary>
internal sealed class ResourceDef
{
    public static readonly string[] AllVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    public required string Group { get; init; }
    public required string Version { get; init; }
    public required string Kind { get; init; }
    public required string Plural { get; init; }
    public string Singular { get; init; } = "";
    public bool Namespaced { get; init; } = true;
    public string[] ShortNames { get; init; } = [];
    public string[] Categories { get; init; } = [];
    public string[] Verbs { get; init; } = AllVerbs;

    /// <summary>Whether writes to the main resource ignore status (it has a /status subresource).</summary>
    public bool HasStatus { get; init; }

    /// <summary>Whether /scale is served (replicas at spec.replicas, selector at spec.selector).</summary>
    public bool HasScale { get; init; }

    public Names.Rule NameRule { get; init; } = Names.Rule.Subdomain;

    /// <summary>Set for resources served from a CustomResourceDefinition.</summary>
    public JsonArray? PrinterColumns { get; init; }
    public bool IsCustom { get; init; }

    /// <summary>Only stored in the registry for discovery (e.g. selfsubjectreviews), never in the object store.</summary>
    public bool Virtual { get; init; }

    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";
    public string GroupVersion => ApiVersion;
    public string ListKind => Kind + "List";

    /// <summary>"pods" or "statefulsets.apps": the wording of real error messages.</summary>
    public string GroupResource => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    /// <summary>Objects of all versions of one group resource share a store.</summary>
    public string StoreId => GroupResource;

    public override string ToString() => $"{GroupResource}/{Version}";
}
