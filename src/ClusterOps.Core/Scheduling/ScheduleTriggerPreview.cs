using System.Collections;
using ClusterOps.Core.Common;
using ClusterOps.Kubernetes.Http;

namespace ClusterOps.Core.Scheduling;

/// <summary>Where Get-ScheduleTrigger's policy comes from: exactly one of an object, a YAML file, or a cluster name.</summary>
public sealed record PolicySource
{
    public SchedulePolicyInfo? Policy { get; init; }
    /// <summary>A YAML file (resolved path) and the path as the user typed it, for PolicyName.</summary>
    public (string Resolved, string AsGiven)? File { get; init; }
    /// <summary>A policy name looked up in the cluster as Stork does, with the namespace of the schedule.</summary>
    public (KubeClient Client, string Name, string Namespace)? Cluster { get; init; }
}

/// <summary>Get-ScheduleTrigger's parameters, as typed (times in -TimeZone unless they carry an offset).</summary>
public sealed record ScheduleTriggerQuery(
    PolicySource Source,
    DateTime? Start,
    DateTime? End,
    string? TimeZone,
    IDictionary? LastTrigger,
    TimeSpan MigrationDuration,
    string? ScheduleName,
    bool IncludeMissed);

/// <summary>
/// Get-ScheduleTrigger: resolve the policy (offline for objects and files; only a name reads the cluster), the zone,
/// the range (default: now to a week later) and the last triggers (given, else the schedule's real history), then
/// replay Stork's controller for each policy.
/// </summary>
public static class ScheduleTriggerPreview
{
    public static async Task PreviewAsync(ScheduleTriggerQuery query, IOperationContext context)
    {
        var zone = OfflineScheduleOperations.FindTimeZone(query.TimeZone);
        var lastTriggers = OfflineScheduleOperations.ParseLastTriggers(query.LastTrigger, zone);
        IEnumerable<SchedulePolicyInfo> policies;
        if (query.Source.File is { } file)
        {
            policies = SchedulePolicyYaml.LoadFile(file.Resolved, context.CancellationToken).Select(d => SchedulePolicyInfo.From(d, file.AsGiven));
        }
        else if (query.Source.Cluster is { } cluster)
        {
            var (policy, history) = await ClusterTriggerPreview.LoadAsync(cluster.Client, cluster.Name, cluster.Namespace, query.ScheduleName, context)
                .ConfigureAwait(false);
            policies = [policy];
            if (query.LastTrigger is null && history is not null)
                lastTriggers = history;
        }
        else
        {
            policies = [query.Source.Policy ?? throw new ArgumentException("A policy source is required.", nameof(query))];
        }

        var start = query.Start is { } s ? OfflineScheduleOperations.ToInstant(s, zone) : DateTimeOffset.UtcNow;
        var end = query.End is { } e ? OfflineScheduleOperations.ToInstant(e, zone) : start.AddDays(7);
        foreach (var policy in policies)
        {
            OfflineScheduleOperations.PreviewTriggers(new ScheduleTriggerRequest
            {
                Policy = policy.Spec, PolicyName = policy.Name, Start = start, End = end,
                TimeZone = zone, LastTriggers = lastTriggers, MigrationDuration = query.MigrationDuration,
                ScheduleName = query.ScheduleName, IncludeMissed = query.IncludeMissed,
            }, context);
        }
    }
}
