namespace ClusterOps.Core.Lifecycle;

public enum StopMode
{
    /// <summary>Record each workload's replicas in an annotation and scale it to 0; every object stays.</summary>
    ScaleToZero,
    /// <summary>What stop-tml-cluster.sh does: save a restore record, then delete secrets, workloads and services.</summary>
    Undeploy,
}

public enum StepAction
{
    SaveRestoreRecord,
    ScaleToZero,
    WaitForPodsGone,
    DeleteSecret,
    DeleteWorkload,
    DeleteService,
    CheckClaims,
    CreateService,
    CreateSecret,
    CreateWorkload,
    ScaleUp,
    WaitForReady,
    RemoveAnnotation,
    DeleteRestoreRecord,
    DeleteClaim,
    DeleteStorageClass,
}

public enum StepResult
{
    /// <summary>The change was made (or the wait/check succeeded).</summary>
    Done,
    /// <summary>Nothing to do: the object was already in the wanted state.</summary>
    Skipped,
    /// <summary>-WhatIf, or the user declined -Confirm.</summary>
    NotConfirmed,
    /// <summary>A check found something to look at (a claim not Bound); the run went on.</summary>
    Warning,
    Failed,
}

/// <summary>The well-known annotation and object names the lifecycle writes.</summary>
public static class LifecycleAnnotations
{
    /// <summary>On a workload scaled to 0 by Stop: the replica count Start restores.</summary>
    public const string StoppedReplicas = "clusterops.io/stopped-replicas";
}

/// <summary>One step a planner decided on. <see cref="Replicas"/> is set for ScaleToZero (what to record) and ScaleUp.</summary>
public sealed record PlannedStep(ComponentDefinition? Component, StepAction Action, string ObjectKind, string ObjectName, int? Replicas = null)
{
    public string Object => $"{ObjectKind.ToLowerInvariant()}/{ObjectName}";
    public override string ToString() => $"{Action} {Object}";
}

/// <summary>
/// One record per step of Stop/Start/Remove-TmlCluster: flat scalars for Format-Table and Export-Csv.
/// </summary>
public sealed class LifecycleStepRecord
{
    public required string Namespace { get; init; }
    /// <summary>"NoSQL", "TM[1]", or "Cluster" for cluster-wide steps.</summary>
    public required string Component { get; init; }
    public required string Action { get; init; }
    /// <summary>kind/name, e.g. "statefulset/cass-set-0".</summary>
    public required string Object { get; init; }
    public required StepResult Result { get; init; }
    public TimeSpan Duration { get; init; }
    public string Message { get; init; } = "";

    public override string ToString() => $"{Component} {Action} {Object}: {Result}";
}
