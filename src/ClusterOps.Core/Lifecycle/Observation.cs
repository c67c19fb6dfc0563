namespace ClusterOps.Core.Lifecycle;

/// <summary>What the cluster says about a workload: desired and ready replicas and the stop annotation.</summary>
public sealed record WorkloadObservation(int DesiredReplicas, int ReadyReplicas, int? StoppedReplicas);

/// <summary>One pod of a workload. <see cref="StuckReason"/> is set when it cannot become Ready by waiting.</summary>
public sealed record PodObservation(string Name, bool Ready, bool Terminating, string? StuckReason = null, string? Message = null);

/// <summary>One claim of a workload and its phase ("Bound", "Pending", "Lost", or "" when it does not exist).</summary>
public sealed record ClaimObservation(string Name, string Phase, string? Volume = null, bool Terminating = false)
{
    public bool Exists => Phase.Length > 0;
    public bool IsBound => Phase == "Bound" && !Terminating;
}

/// <summary>
/// Everything known about one component unit at one moment: the raw material of <see cref="ComponentStateRules"/>
/// and the planners. Built from API reads by the lifecycle operations; built by hand in tests.
/// </summary>
public sealed record ComponentObservation(
    ComponentDefinition Definition,
    WorkloadObservation? Workload,
    IReadOnlyList<PodObservation> Pods,
    IReadOnlyList<string> SecretsPresent,
    IReadOnlyList<string> ServicesPresent,
    IReadOnlyList<ClaimObservation> Claims,
    bool InRestoreRecord)
{
    public IReadOnlyList<string> MissingSecrets => Definition.Secrets.Except(SecretsPresent, StringComparer.Ordinal).ToList();
    public IReadOnlyList<string> MissingServices => Definition.Services.Except(ServicesPresent, StringComparer.Ordinal).ToList();
    public IReadOnlyList<ClaimObservation> UnboundClaims => Claims.Where(c => !c.IsBound).ToList();
}
