namespace ClusterOps.Kubernetes.Resources;

// Models carry the fields ClusterOps reads or writes; everything else rides in ExtensionData (see KubeModel).
// Quantities ("10Gi", "500m") stay strings: they are compared and displayed, never computed on here.

public sealed class PersistentVolumeClaim : KubeObject
{
    public PersistentVolumeClaimSpec? Spec { get; set; }
    public PersistentVolumeClaimStatus? Status { get; set; }
}

public sealed class PersistentVolumeClaimSpec : KubeModel
{
    public List<string>? AccessModes { get; set; }
    public string? StorageClassName { get; set; }
    public string? VolumeName { get; set; }
    public string? VolumeMode { get; set; }
    public VolumeResourceRequirements? Resources { get; set; }
    public LabelSelector? Selector { get; set; }
}

public sealed class VolumeResourceRequirements : KubeModel
{
    public Dictionary<string, string>? Requests { get; set; }
    public Dictionary<string, string>? Limits { get; set; }
}

public sealed class PersistentVolumeClaimStatus : KubeModel
{
    /// <summary>Pending, Bound or Lost.</summary>
    public string? Phase { get; set; }
    public List<string>? AccessModes { get; set; }
    public Dictionary<string, string>? Capacity { get; set; }
    public List<Condition>? Conditions { get; set; }
}

public sealed class PersistentVolume : KubeObject
{
    public PersistentVolumeSpec? Spec { get; set; }
    public PersistentVolumeStatus? Status { get; set; }
}

public sealed class PersistentVolumeSpec : KubeModel
{
    public Dictionary<string, string>? Capacity { get; set; }
    public List<string>? AccessModes { get; set; }
    /// <summary>Retain, Delete or Recycle.</summary>
    public string? PersistentVolumeReclaimPolicy { get; set; }
    public string? StorageClassName { get; set; }
    public string? VolumeMode { get; set; }
    public ObjectReference? ClaimRef { get; set; }
}

public sealed class PersistentVolumeStatus : KubeModel
{
    /// <summary>Pending, Available, Bound, Released or Failed.</summary>
    public string? Phase { get; set; }
    public string? Reason { get; set; }
    public string? Message { get; set; }
}

public sealed class ObjectReference : KubeModel
{
    public string? ApiVersion { get; set; }
    public string? Kind { get; set; }
    public string? Name { get; set; }
    public string? Namespace { get; set; }
    public string? Uid { get; set; }
    public string? ResourceVersion { get; set; }
    public string? FieldPath { get; set; }
}

/// <summary>The condition shape shared by pods, PVCs, deployments, jobs, ...</summary>
public sealed class Condition : KubeModel
{
    public string? Type { get; set; }
    public string? Status { get; set; }
    public string? Reason { get; set; }
    public string? Message { get; set; }
    public DateTimeOffset? LastTransitionTime { get; set; }
    public DateTimeOffset? LastProbeTime { get; set; }
    public DateTimeOffset? LastUpdateTime { get; set; }
}

public sealed class Pod : KubeObject
{
    public PodSpec? Spec { get; set; }
    public PodStatus? Status { get; set; }
}

public sealed class PodSpec : KubeModel
{
    public string? NodeName { get; set; }
    public string? ServiceAccountName { get; set; }
    public string? RestartPolicy { get; set; }
    public List<Container>? Containers { get; set; }
    public List<Container>? InitContainers { get; set; }
    public List<Volume>? Volumes { get; set; }
}

public sealed class Container : KubeModel
{
    public string? Name { get; set; }
    public string? Image { get; set; }
    public List<string>? Command { get; set; }
    public List<string>? Args { get; set; }
}

public sealed class Volume : KubeModel
{
    public string? Name { get; set; }
    public PersistentVolumeClaimVolumeSource? PersistentVolumeClaim { get; set; }
}

public sealed class PersistentVolumeClaimVolumeSource : KubeModel
{
    public string? ClaimName { get; set; }
    public bool? ReadOnly { get; set; }
}

public sealed class PodStatus : KubeModel
{
    /// <summary>Pending, Running, Succeeded, Failed or Unknown.</summary>
    public string? Phase { get; set; }
    public string? Reason { get; set; }
    public string? Message { get; set; }
    public string? PodIP { get; set; }
    public DateTimeOffset? StartTime { get; set; }
    public List<Condition>? Conditions { get; set; }
    public List<ContainerStatus>? ContainerStatuses { get; set; }
    public List<ContainerStatus>? InitContainerStatuses { get; set; }
}

public sealed class ContainerStatus : KubeModel
{
    public string? Name { get; set; }
    public bool Ready { get; set; }
    public int RestartCount { get; set; }
    public string? Image { get; set; }
    public ContainerState? State { get; set; }
    public ContainerState? LastState { get; set; }
}

public sealed class ContainerState : KubeModel
{
    public ContainerStateWaiting? Waiting { get; set; }
    public ContainerStateRunning? Running { get; set; }
    public ContainerStateTerminated? Terminated { get; set; }
}

public sealed class ContainerStateWaiting : KubeModel
{
    /// <summary>CrashLoopBackOff, ImagePullBackOff, ContainerCreating, ...</summary>
    public string? Reason { get; set; }
    public string? Message { get; set; }
}

public sealed class ContainerStateRunning : KubeModel
{
    public DateTimeOffset? StartedAt { get; set; }
}

public sealed class ContainerStateTerminated : KubeModel
{
    public int ExitCode { get; set; }
    public string? Reason { get; set; }
    public string? Message { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
}

public sealed class Service : KubeObject
{
    public ServiceSpec? Spec { get; set; }
}

public sealed class ServiceSpec : KubeModel
{
    public string? Type { get; set; }
    public string? ClusterIP { get; set; }
    public Dictionary<string, string>? Selector { get; set; }
    public List<ServicePort>? Ports { get; set; }
}

public sealed class ServicePort : KubeModel
{
    public string? Name { get; set; }
    public int Port { get; set; }
    public string? Protocol { get; set; }
}

/// <summary>
/// A Secret. Its values are base64 in <see cref="Data"/>; ToString prints names only, and the client never traces
/// bodies, so values cannot leak through logging.
/// </summary>
public sealed class Secret : KubeObject
{
    public string? Type { get; set; }
    public Dictionary<string, string>? Data { get; set; }
    public Dictionary<string, string>? StringData { get; set; }
    public bool? Immutable { get; set; }

    public override string ToString() =>
        $"Secret {Metadata.Namespace}/{Metadata.Name} (keys: {string.Join(",", Data?.Keys ?? Enumerable.Empty<string>())})";
}

public sealed class ConfigMap : KubeObject
{
    public Dictionary<string, string>? Data { get; set; }
}

public sealed class Namespace : KubeObject
{
    public NamespaceStatus? Status { get; set; }
}

public sealed class NamespaceStatus : KubeModel
{
    public string? Phase { get; set; }
}

public sealed class Event : KubeObject
{
    public ObjectReference? InvolvedObject { get; set; }
    public string? Reason { get; set; }
    public string? Message { get; set; }
    /// <summary>Normal or Warning.</summary>
    public string? Type { get; set; }
    public int? Count { get; set; }
    public DateTimeOffset? FirstTimestamp { get; set; }
    public DateTimeOffset? LastTimestamp { get; set; }
    public DateTimeOffset? EventTime { get; set; }
}
