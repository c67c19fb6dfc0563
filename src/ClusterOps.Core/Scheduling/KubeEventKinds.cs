using ClusterOps.Core.Backup;
using ClusterOps.Core.Common;

namespace ClusterOps.Core.Scheduling;

/// <summary>
/// The kinds Get-KubeEvent -Kind accepts: the objects ClusterOps works with and the core objects their events name.
/// The API server matches involvedObject.kind exactly (an event of a Migration never matches 'migration'), so a
/// kind is accepted in any case, as kubectl accepts resource types (kubectl describe MIGRATION x), and sent in its
/// canonical spelling; a kind outside the list is refused before a request, because the server would answer a
/// misspelt kind with an empty list that looks like "no events".
/// </summary>
public static class KubeEventKinds
{
    public const string Unknown = "KubeEventKindUnknown";

    public static IReadOnlyList<string> Known { get; } =
    [
        "Pod", "PersistentVolumeClaim", "PersistentVolume", "Deployment", "StatefulSet", "ReplicaSet", "Job", "Service",
        "ConfigMap", "Namespace", "Node",
        StorkResources.MigrationKind, StorkApi.MigrationScheduleKind, StorkApi.SchedulePolicyKind, StorkApi.NamespacedSchedulePolicyKind,
        StorkResources.ClusterPairKind,
        ThreescaleApi.ApiManagerKind, ThreescaleApi.BackupKind, ThreescaleApi.RestoreKind,
    ];

    /// <summary>The canonical spelling of <paramref name="kind"/>; throws KubeEventKindUnknown for a kind not in the list.</summary>
    public static string Canonical(string kind) =>
        Known.FirstOrDefault(k => k.Equals(kind, StringComparison.OrdinalIgnoreCase))
        ?? throw new OperationException(Unknown, FailureKind.InvalidArgument,
            $"'{kind}' is not a kind Get-KubeEvent knows. Use one of: {string.Join(", ", Known)}.", kind);

    /// <summary>Tab completion: the known kinds that start with the word typed, in any case.</summary>
    public static IEnumerable<string> Complete(string wordToComplete) =>
        Known.Where(k => k.StartsWith(wordToComplete ?? "", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal);
}
