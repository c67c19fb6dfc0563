namespace ClusterOps.Core.Scheduling;

/// <summary>
/// One object Enable-/Disable-MigratedApplication changed: a workload it scaled (Deployment, StatefulSet, ReplicaSet,
/// DeploymentConfig; the replica counts are set), a CronJob it suspended or resumed, a custom resource registered in
/// an ApplicationRegistration whose suspend field it set, or a MigrationSchedule whose status.applicationActivated it
/// set. <see cref="Field"/>, <see cref="Before"/> and <see cref="After"/> say what changed in every case.
/// </summary>
public sealed class MigratedApplicationChange
{
    public required string Kind { get; init; }
    public required string Name { get; init; }
    public required string Namespace { get; init; }

    /// <summary>The field set, as a dotted path: spec.replicas, spec.suspend, a registered suspend path, status.applicationActivated.</summary>
    public required string Field { get; init; }
    public string? Before { get; init; }
    public required string After { get; init; }

    /// <summary>For the scaled workloads only.</summary>
    public int? ReplicasBefore { get; init; }
    public int? ReplicasAfter { get; init; }

    /// <summary>Activated or Deactivated.</summary>
    public required string Action { get; init; }

    /// <summary>The count stored by Stork in stork.libopenstorage.org/migrationReplicas (scaled workloads only).</summary>
    public int? MigrationReplicas { get; init; }

    public override string ToString() => $"{Kind} {Namespace}/{Name}: {Field} {Before ?? "(unset)"} -> {After}";
}
