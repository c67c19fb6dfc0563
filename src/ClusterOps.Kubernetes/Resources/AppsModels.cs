namespace ClusterOps.Kubernetes.Resources;

public sealed class Deployment : KubeObject
{
    public DeploymentSpec? Spec { get; set; }
    public DeploymentStatus? Status { get; set; }
}

public sealed class DeploymentSpec : KubeModel
{
    public int? Replicas { get; set; }
    public LabelSelector? Selector { get; set; }
    public PodTemplateSpec? Template { get; set; }
    public bool? Paused { get; set; }
}

public sealed class DeploymentStatus : KubeModel
{
    public long? ObservedGeneration { get; set; }
    public int? Replicas { get; set; }
    public int? ReadyReplicas { get; set; }
    public int? AvailableReplicas { get; set; }
    public int? UpdatedReplicas { get; set; }
    public int? UnavailableReplicas { get; set; }
    public List<Condition>? Conditions { get; set; }
}

public sealed class PodTemplateSpec : KubeModel
{
    public ObjectMeta? Metadata { get; set; }
    public PodSpec? Spec { get; set; }
}

public sealed class StatefulSet : KubeObject
{
    public StatefulSetSpec? Spec { get; set; }
    public StatefulSetStatus? Status { get; set; }
}

public sealed class StatefulSetSpec : KubeModel
{
    public int? Replicas { get; set; }
    public string? ServiceName { get; set; }
    public LabelSelector? Selector { get; set; }
    public PodTemplateSpec? Template { get; set; }
    public List<PersistentVolumeClaim>? VolumeClaimTemplates { get; set; }
    public StatefulSetPersistentVolumeClaimRetentionPolicy? PersistentVolumeClaimRetentionPolicy { get; set; }
    public string? PodManagementPolicy { get; set; }
}

public sealed class StatefulSetPersistentVolumeClaimRetentionPolicy : KubeModel
{
    /// <summary>Retain (default) or Delete.</summary>
    public string? WhenDeleted { get; set; }
    /// <summary>Retain (default) or Delete: Delete removes PVCs of scaled-down ordinals.</summary>
    public string? WhenScaled { get; set; }
}

public sealed class StatefulSetStatus : KubeModel
{
    public long? ObservedGeneration { get; set; }
    public int? Replicas { get; set; }
    public int? ReadyReplicas { get; set; }
    public int? CurrentReplicas { get; set; }
    public int? UpdatedReplicas { get; set; }
    public int? AvailableReplicas { get; set; }
    public string? CurrentRevision { get; set; }
    public string? UpdateRevision { get; set; }
    public List<Condition>? Conditions { get; set; }
}

public sealed class Job : KubeObject
{
    public JobSpec? Spec { get; set; }
    public JobStatus? Status { get; set; }
}

public sealed class JobSpec : KubeModel
{
    public int? Parallelism { get; set; }
    public int? Completions { get; set; }
    public int? BackoffLimit { get; set; }
    public long? ActiveDeadlineSeconds { get; set; }
    public bool? Suspend { get; set; }
    public PodTemplateSpec? Template { get; set; }
}

public sealed class JobStatus : KubeModel
{
    public int? Active { get; set; }
    public int? Succeeded { get; set; }
    public int? Failed { get; set; }
    public DateTimeOffset? StartTime { get; set; }
    public DateTimeOffset? CompletionTime { get; set; }
    public List<Condition>? Conditions { get; set; }
}

/// <summary>autoscaling/v1 Scale, the body of the /scale subresource.</summary>
public sealed class Scale : KubeObject
{
    public ScaleSpec? Spec { get; set; }
    public ScaleStatus? Status { get; set; }
}

public sealed class ScaleSpec : KubeModel
{
    public int? Replicas { get; set; }
}

public sealed class ScaleStatus : KubeModel
{
    public int Replicas { get; set; }
    public string? Selector { get; set; }
}
