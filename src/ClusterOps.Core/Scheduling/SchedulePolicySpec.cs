namespace ClusterOps.Core.Scheduling;

/// <summary>
/// The typed body of a Stork schedule policy (<c>policy:</c>), values kept as written so that an invalid value can
/// be shown and validated. A null section is absent. Options and forceFullSnapshotDay are carried for snapshot and
/// backup schedules; migration schedules never read them, nor retain.
/// </summary>
public sealed record SchedulePolicySpec(
    IntervalPolicySection? Interval = null,
    DailyPolicySection? Daily = null,
    WeeklyPolicySection? Weekly = null,
    MonthlyPolicySection? Monthly = null)
{
    public bool IsEmpty => Interval is null && Daily is null && Weekly is null && Monthly is null;

    public bool Has(SchedulePolicyType type) => type switch
    {
        SchedulePolicyType.Interval => Interval is not null,
        SchedulePolicyType.Daily => Daily is not null,
        SchedulePolicyType.Weekly => Weekly is not null,
        SchedulePolicyType.Monthly => Monthly is not null,
        _ => false,
    };

    /// <summary>
    /// The retain Stork uses for a section (pkg/schedule/schedule.go GetRetain): the written value, or the type's
    /// default when it is 0; null when the section is absent. Only snapshot and application-backup schedules call
    /// GetRetain: a MigrationSchedule keeps its history by its own pruning rule whatever retain says.
    /// </summary>
    public int? EffectiveRetain(SchedulePolicyType type) => type switch
    {
        SchedulePolicyType.Interval => Interval is null ? null : Or(Interval.Retain, IntervalPolicySection.DefaultRetain),
        SchedulePolicyType.Daily => Daily is null ? null : Or(Daily.Retain, DailyPolicySection.DefaultRetain),
        SchedulePolicyType.Weekly => Weekly is null ? null : Or(Weekly.Retain, WeeklyPolicySection.DefaultRetain),
        SchedulePolicyType.Monthly => Monthly is null ? null : Or(Monthly.Retain, MonthlyPolicySection.DefaultRetain),
        _ => null,
    };

    private static int Or(int value, int fallback) => value == 0 ? fallback : value;
}

/// <summary><c>policy.interval</c>: trigger when more than IntervalMinutes have passed since the last interval run.</summary>
public sealed record IntervalPolicySection(int IntervalMinutes, int Retain = 0, IReadOnlyDictionary<string, string>? Options = null)
{
    public const int DefaultRetain = 10;
}

/// <summary><c>policy.daily</c>: Time is Go time.Kitchen text ("10:14PM"), see <see cref="KitchenTime"/>.</summary>
public sealed record DailyPolicySection(string Time, int Retain = 0, IReadOnlyDictionary<string, string>? Options = null, string? ForceFullSnapshotDay = null)
{
    public const int DefaultRetain = 30;
}

/// <summary><c>policy.weekly</c>: Day is one of <see cref="StorkWeekdays.AcceptedKeys"/>.</summary>
public sealed record WeeklyPolicySection(string Day, string Time, int Retain = 0, IReadOnlyDictionary<string, string>? Options = null)
{
    public const int DefaultRetain = 7;
}

/// <summary>
/// <c>policy.monthly</c>: Date 1..31. Stork's own doc comment (and the Portworx docs) say a date missing from a
/// month rolls over into the next month; the code does not do that. It builds the target from the current month
/// every pass, so during a short month the target lies in the next month, and once that month starts the target
/// moves to its own date: the short month is skipped (see <see cref="StorkTriggerRules"/>).
/// </summary>
public sealed record MonthlyPolicySection(int Date, string Time, int Retain = 0, IReadOnlyDictionary<string, string>? Options = null)
{
    public const int DefaultRetain = 12;
}
