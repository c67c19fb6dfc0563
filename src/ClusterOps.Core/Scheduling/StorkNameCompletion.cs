using System.Text.Json.Nodes;
using ClusterOps.Core.Common;
using ClusterOps.Kubernetes.Http;
using ClusterOps.Kubernetes.Resources;

namespace ClusterOps.Core.Scheduling;

/// <summary>Which names a completer offers.</summary>
public enum StorkNameKind
{
    SchedulePolicy,
    MigrationSchedule,
    Migration,
    ClusterPair,
}

/// <summary>
/// Names for tab completion of policies, schedules, migrations and cluster pairs. Never throws, answers within a
/// short budget from one page, and keeps answers a few seconds so repeated Tab presses do not each hit the server.
/// Policies offer the namespace's NamespacedSchedulePolicies and the cluster's SchedulePolicies, as Stork looks them up.
/// </summary>
public static class StorkNameCompletion
{
    public static Task<IReadOnlyList<string>> CompleteAsync(KubeClient client, StorkNameKind kind, string? @namespace, string? wordToComplete) =>
        NameCompletion.CompleteAsync(NameCompletion.KeyFor(client, kind.ToString(), @namespace), async ct =>
        {
            var names = new List<string>();
            foreach (var (type, ns) in Sources(kind, @namespace))
                names.AddRange(await FirstPageOrNoneAsync(client, type, ns, ct).ConfigureAwait(false));
            return names;
        }, wordToComplete);

    private static IEnumerable<(ResourceType<JsonObject> Type, string? Namespace)> Sources(StorkNameKind kind, string? ns) => kind switch
    {
        StorkNameKind.SchedulePolicy => ns is null
            ? [(StorkResources.SchedulePolicies, null)]
            : [(StorkResources.NamespacedSchedulePolicies, ns), (StorkResources.SchedulePolicies, null)],
        StorkNameKind.MigrationSchedule => [(StorkResources.MigrationSchedules, ns)],
        StorkNameKind.Migration => [(StorkResources.Migrations, ns)],
        _ => [(StorkResources.ClusterPairs, ns)],
    };

    private static async Task<IEnumerable<string>> FirstPageOrNoneAsync(KubeClient client, ResourceType<JsonObject> type, string? ns, CancellationToken ct)
    {
        try
        {
            return await NameCompletion.FirstPageAsync(client, type, ns, StorkResources.Name, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // One missing kind (an older Stork without NamespacedSchedulePolicy) must not hide the others.
            return Array.Empty<string>();
        }
    }
}
