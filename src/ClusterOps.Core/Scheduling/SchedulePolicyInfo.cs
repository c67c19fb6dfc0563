using System.Text.Json.Nodes;
using ClusterOps.Core.Common;

namespace ClusterOps.Core.Scheduling;

/// <summary>
/// One schedule policy as Get-SchedulePolicy emits it. Interval, Daily, Weekly and Monthly are the cells storkctl
/// prints (<c>1</c>, <c>10:14PM</c>, <c>Thursday@10:13PM</c>, <c>14@8:05PM</c>, <c>N/A</c>, <c>Invalid</c>); the typed
/// properties beside them are for filtering and for building new policies. Retain values are the ones Stork would
/// use (0 means the type's default), null when the section is absent. <see cref="Document"/> carries the whole
/// object, unknown fields included; PowerShell sees it as the Object property (see <see cref="IKubeObjectRecord"/>),
/// and the typed spec stays internal, so no record dump reaches a table or a CSV cell.
/// </summary>
public sealed class SchedulePolicyInfo : IKubeObjectRecord
{
    public required string Name { get; init; }
    public required SchedulePolicyScope Scope { get; init; }

    /// <summary>SchedulePolicy or NamespacedSchedulePolicy, so Get-KubeEvent -InputObject can find the object's events.</summary>
    public string Kind => Document.Kind ?? StorkApi.KindFor(Scope);

    /// <summary>Null for a cluster-scoped SchedulePolicy (whatever its metadata says; the API server ignores it there).</summary>
    public string? Namespace { get; init; }

    /// <summary>storkctl INTERVAL-MINUTES cell.</summary>
    public required string Interval { get; init; }
    public required string Daily { get; init; }
    public required string Weekly { get; init; }
    public required string Monthly { get; init; }

    public int? IntervalMinutes { get; init; }
    public string? DailyTime { get; init; }
    public string? WeeklyDay { get; init; }
    public string? WeeklyTime { get; init; }
    public int? MonthlyDate { get; init; }
    public string? MonthlyTime { get; init; }

    public int? IntervalRetain { get; init; }
    public int? DailyRetain { get; init; }
    public int? WeeklyRetain { get; init; }
    public int? MonthlyRetain { get; init; }

    /// <summary>False when Stork rejects the policy; then no schedule using it ever triggers.</summary>
    public required bool IsValid { get; init; }

    public string? ResourceVersion { get; init; }

    /// <summary>The file the policy was read from, or null when it came from the cluster.</summary>
    public string? Source { get; init; }

    internal SchedulePolicySpec Spec { get; init; } = null!;

    /// <summary>The full object (JSON tree), for read-modify-write in Core.</summary>
    internal SchedulePolicyDocument Document { get; init; } = null!;

    JsonObject IKubeObjectRecord.ToKubeObject() => Document.Json;

    public static SchedulePolicyInfo From(SchedulePolicyDocument document, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        var problems = new List<SchedulePolicyProblem>();
        var spec = document.ReadSpec(problems);
        var decodes = problems.All(p => p.Severity != SchedulePolicySeverity.Error);
        return new SchedulePolicyInfo
        {
            Name = document.Name,
            Scope = document.Scope,
            Namespace = document.EffectiveNamespace,
            Interval = StorkctlSchedulePolicyColumns.Interval(spec),
            Daily = StorkctlSchedulePolicyColumns.Daily(spec),
            Weekly = StorkctlSchedulePolicyColumns.Weekly(spec),
            Monthly = StorkctlSchedulePolicyColumns.Monthly(spec),
            IntervalMinutes = spec.Interval?.IntervalMinutes,
            DailyTime = spec.Daily?.Time,
            WeeklyDay = spec.Weekly?.Day,
            WeeklyTime = spec.Weekly?.Time,
            MonthlyDate = spec.Monthly?.Date,
            MonthlyTime = spec.Monthly?.Time,
            IntervalRetain = spec.EffectiveRetain(SchedulePolicyType.Interval),
            DailyRetain = spec.EffectiveRetain(SchedulePolicyType.Daily),
            WeeklyRetain = spec.EffectiveRetain(SchedulePolicyType.Weekly),
            MonthlyRetain = spec.EffectiveRetain(SchedulePolicyType.Monthly),
            IsValid = decodes && SchedulePolicyValidator.IsSpecValid(spec),
            ResourceVersion = document.ResourceVersion,
            Source = source,
            Spec = spec,
            Document = document,
        };
    }

    public override string ToString() => Name;
}
