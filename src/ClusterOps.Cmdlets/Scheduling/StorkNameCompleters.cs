using ClusterOps.Cmdlets.Infrastructure;
using ClusterOps.Core.Scheduling;
using ClusterOps.Kubernetes.Http;

namespace ClusterOps.Cmdlets.Scheduling;

/// <summary>Tab completion of Stork object names from the cluster the command line names.</summary>
public abstract class StorkNameCompleter : ClusterNameCompleter
{
    protected abstract StorkNameKind Kind { get; }

    protected override Task<IReadOnlyList<string>> CompleteAsync(KubeClient client, string? ns, string wordToComplete) =>
        StorkNameCompletion.CompleteAsync(client, Kind, ns, wordToComplete);
}

/// <summary>Policy names for the policy cmdlets: cluster policies, or the namespaced ones of a typed -Namespace.</summary>
public sealed class SchedulePolicyNameCompleter : StorkNameCompleter
{
    protected override StorkNameKind Kind => StorkNameKind.SchedulePolicy;
    protected override bool UsesSessionNamespace => false;
}

/// <summary>Policy names a schedule of the namespace can use: its namespaced policies and the cluster's.</summary>
public sealed class SchedulePolicyForScheduleCompleter : StorkNameCompleter
{
    protected override StorkNameKind Kind => StorkNameKind.SchedulePolicy;
}

public sealed class MigrationScheduleNameCompleter : StorkNameCompleter
{
    protected override StorkNameKind Kind => StorkNameKind.MigrationSchedule;
}

public sealed class MigrationNameCompleter : StorkNameCompleter
{
    protected override StorkNameKind Kind => StorkNameKind.Migration;
}

public sealed class ClusterPairNameCompleter : StorkNameCompleter
{
    protected override StorkNameKind Kind => StorkNameKind.ClusterPair;
}
