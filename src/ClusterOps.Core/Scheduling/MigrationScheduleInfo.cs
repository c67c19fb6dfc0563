using ClusterOps.Core.Common;
using System.Text.Json.Nodes;

namespace ClusterOps.Core.Scheduling;

/// <summary>
/// One MigrationSchedule as Get-MigrationSchedule emits it: storkctl's columns (NAME POLICYNAME CLUSTERPAIR SUSPEND
/// LAST-SUCCESS-TIME LAST-SUCCESS-DURATION) as flat properties, the template's main switches, and the object itself.
/// </summary>
public sealed class MigrationScheduleInfo : IKubeObjectRecord
{
    public string Kind => StorkApi.MigrationScheduleKind;
    public required string Name { get; init; }
    public required string Namespace { get; init; }
    public required string PolicyName { get; init; }
    public required string ClusterPair { get; init; }
    public required bool Suspend { get; init; }
    public required bool AutoSuspend { get; init; }

    /// <summary>Newest finish time of an entry whose status is exactly Successful (storkctl LAST-SUCCESS-TIME).</summary>
    public DateTimeOffset? LastSuccessTime { get; init; }
    public TimeSpan? LastSuccessDuration { get; init; }

    /// <summary>storkctl's LAST-SUCCESS-DURATION text (Go duration, e.g. 5m0s).</summary>
    public string LastSuccessDurationText => LastSuccessDuration is { } d ? GoFormat.Duration(d) : "";

    /// <summary>The Pending/InProgress migration that blocks every new trigger, if any.</summary>
    public string? RunningMigration { get; init; }

    /// <summary>Namespaces migrated, comma separated.</summary>
    public required string Namespaces { get; init; }
    public required bool IncludeResources { get; init; }
    public required bool IncludeVolumes { get; init; }
    public required bool StartApplications { get; init; }

    /// <summary>status.applicationActivated: the applications were activated on this cluster (failover).</summary>
    public bool ApplicationActivated { get; init; }

    /// <summary>The suspended copy Stork keeps on the destination cluster.</summary>
    public bool IsStaticCopy { get; init; }

    public DateTimeOffset? Created { get; init; }
    /// <summary>The object as read; PowerShell sees it as the Object property (PSCustomObject tree), see IKubeObjectRecord.</summary>
    internal JsonObject Object { get; init; } = new();

    JsonObject IKubeObjectRecord.ToKubeObject() => Object;

    public static MigrationScheduleInfo From(JsonObject schedule)
    {
        var template = StorkResources.At(schedule, "spec", "template", "spec");
        var (lastTime, lastDuration) = MigrationScheduleStatus.LastSuccess(schedule);
        return new MigrationScheduleInfo
        {
            Name = StorkResources.Name(schedule),
            Namespace = StorkResources.Namespace(schedule) ?? "",
            PolicyName = StorkResources.Text(schedule, "spec", "schedulePolicyName") ?? "",
            ClusterPair = StorkResources.Text(template, "clusterPair") ?? "",
            Suspend = StorkResources.Bool(StorkResources.At(schedule, "spec", "suspend")) ?? false,
            AutoSuspend = StorkResources.Bool(StorkResources.At(schedule, "spec", "autoSuspend")) ?? false,
            LastSuccessTime = lastTime,
            LastSuccessDuration = lastDuration,
            RunningMigration = MigrationScheduleStatus.Running(schedule)?.Migration,
            Namespaces = string.Join(",", (StorkResources.At(template, "namespaces") as JsonArray ?? []).Select(n => StorkResources.Text(n)).OfType<string>()),
            // Stork's defaults for absent values (migration.go setDefaults): volumes and resources are included.
            IncludeResources = StorkResources.Bool(StorkResources.At(template, "includeResources")) ?? true,
            IncludeVolumes = StorkResources.Bool(StorkResources.At(template, "includeVolumes")) ?? true,
            StartApplications = StorkResources.Bool(StorkResources.At(template, "startApplications")) ?? false,
            ApplicationActivated = StorkResources.Bool(StorkResources.At(schedule, "status", "applicationActivated")) ?? false,
            IsStaticCopy = StorkResources.Text(schedule, "metadata", "annotations", StorkApi.StaticCopyAnnotation) == "true",
            Created = StorkResources.Time(StorkResources.At(schedule, "metadata", "creationTimestamp")),
            Object = schedule,
        };
    }

    public override string ToString() => $"{Namespace}/{Name}";
}
