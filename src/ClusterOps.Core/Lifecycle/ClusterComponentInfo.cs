namespace ClusterOps.Core.Lifecycle;

/// <summary>
/// One component unit of an application cluster as Get-TmlCluster emits it: flat columns for tables and CSV, and
/// the cluster's overall state repeated on every row (so one object type flows down the pipeline and
/// <c>Select-Object -First 1 ClusterState</c> answers "is it up?").
/// </summary>
public sealed class ClusterComponentInfo
{
    public required string Namespace { get; init; }
    public required string Component { get; init; }
    public int Zone { get; init; }
    /// <summary>kind/name, e.g. "statefulset/cass-set-0".</summary>
    public required string Workload { get; init; }
    /// <summary>"ready/desired", e.g. "1/1"; "0/0" when scaled to zero, "-" when the workload does not exist.</summary>
    public required string Replicas { get; init; }
    public int Pods { get; init; }
    /// <summary>Claim names, comma-separated.</summary>
    public string Claims { get; init; } = "";
    /// <summary>"bound/expected".</summary>
    public string ClaimsBound { get; init; } = "";
    /// <summary>"present/expected" component secrets.</summary>
    public string SecretsPresent { get; init; } = "";
    public required ComponentState State { get; init; }
    public string Detail { get; init; } = "";
    public required ComponentState ClusterState { get; init; }
    public string ClusterDetail { get; init; } = "";

    public override string ToString() => $"{Component} {State}";
}
