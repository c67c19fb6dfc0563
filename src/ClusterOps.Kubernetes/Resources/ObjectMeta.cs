using System.Text.Json;
using System.Text.Json.Serialization;

namespace ClusterOps.Kubernetes.Resources;

/// <summary>
/// Base of every model: fields this code does not know land in <see cref="ExtensionData"/> and are written back
/// unchanged, so a read-modify-write never drops what a newer server (or another controller) put there.
/// </summary>
public abstract class KubeModel
{
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>A top-level API object: apiVersion, kind, metadata.</summary>
public interface IKubeObject
{
    string? ApiVersion { get; set; }
    string? Kind { get; set; }
    ObjectMeta Metadata { get; set; }
}

public abstract class KubeObject : KubeModel, IKubeObject
{
    public string? ApiVersion { get; set; }
    public string? Kind { get; set; }
    public ObjectMeta Metadata { get; set; } = new();

    public override string ToString() => $"{Kind} {Metadata.Namespace}/{Metadata.Name}";
}

public sealed class ObjectMeta : KubeModel
{
    public string? Name { get; set; }
    public string? GenerateName { get; set; }
    public string? Namespace { get; set; }
    public string? Uid { get; set; }
    public string? ResourceVersion { get; set; }
    public long? Generation { get; set; }
    public DateTimeOffset? CreationTimestamp { get; set; }
    public DateTimeOffset? DeletionTimestamp { get; set; }
    public long? DeletionGracePeriodSeconds { get; set; }
    public Dictionary<string, string>? Labels { get; set; }
    public Dictionary<string, string>? Annotations { get; set; }
    public List<OwnerReference>? OwnerReferences { get; set; }
    public List<string>? Finalizers { get; set; }
}

public sealed class OwnerReference : KubeModel
{
    public string? ApiVersion { get; set; }
    public string? Kind { get; set; }
    public string? Name { get; set; }
    public string? Uid { get; set; }
    public bool? Controller { get; set; }
    public bool? BlockOwnerDeletion { get; set; }
}

public sealed class ListMeta : KubeModel
{
    public string? ResourceVersion { get; set; }
    public string? Continue { get; set; }
    public long? RemainingItemCount { get; set; }
}

/// <summary>Any list (PodList, or the list of a custom resource).</summary>
public sealed class KubeList<T> : KubeModel where T : class
{
    public string? ApiVersion { get; set; }
    public string? Kind { get; set; }
    public ListMeta Metadata { get; set; } = new();
    public List<T> Items { get; set; } = new();
}

public sealed class LabelSelector : KubeModel
{
    public Dictionary<string, string>? MatchLabels { get; set; }
    public List<LabelSelectorRequirement>? MatchExpressions { get; set; }
}

public sealed class LabelSelectorRequirement : KubeModel
{
    public string? Key { get; set; }
    public string? Operator { get; set; }
    public List<string>? Values { get; set; }
}

/// <summary>meta/v1 Status, the body of every API failure.</summary>
public sealed class Status : KubeModel
{
    public string? ApiVersion { get; set; }
    public string? Kind { get; set; }
    /// <summary>"Success" or "Failure".</summary>
    [JsonPropertyName("status")]
    public string? Outcome { get; set; }
    public string? Message { get; set; }
    public string? Reason { get; set; }
    public int? Code { get; set; }
    public StatusDetails? Details { get; set; }
}

public sealed class StatusDetails : KubeModel
{
    public string? Name { get; set; }
    public string? Group { get; set; }
    public string? Kind { get; set; }
    public string? Uid { get; set; }
    public List<StatusCauseModel>? Causes { get; set; }
    public int? RetryAfterSeconds { get; set; }
}

public sealed class StatusCauseModel : KubeModel
{
    public string? Reason { get; set; }
    public string? Message { get; set; }
    public string? Field { get; set; }
}
