using System.Globalization;

namespace ClusterOps.Core.Scheduling;

/// <summary>One answer of Stork's TriggerRequired for one policy type at one instant.</summary>
/// <param name="Target">The daily/weekly/monthly target Stork computed; null for interval.</param>
public readonly record struct TriggerCheck(bool Required, DateTimeOffset? Target, string Reason);

/// <summary>
/// Stork's trigger decision (pkg/schedule/schedule.go TriggerRequired and checkTrigger), as a pure function of the
/// policy, the last trigger of that type, "now" and the controller's time zone. Go's <c>time.Local</c> is the stork
/// pod's zone; there is no per-policy zone.
/// <list type="bullet">
/// <item>Interval: due when lastTrigger + intervalMinutes is strictly before now; no earlier run means due at once.</item>
/// <item>Daily: target = today at the policy time. Weekly: today at the policy time plus the days to the policy's
/// weekday, added as 24-hour steps. Monthly: <c>time.Date(year, thisMonth, date, h, m)</c>, so date 31 in a 30-day
/// month is the 1st of the next month.</item>
/// <item>checkTrigger: not due if the last trigger is at or after the target; due if target &lt;= now &lt; target + 1h.
/// No catch-up: once the hour has passed (stork down, a migration in progress), that period is lost.</item>
/// <item>Because the target is recomputed from "today" on every check, a daily or weekly window is cut at local
/// midnight (a target after 11:00PM gets less than an hour), and a monthly window at the end of the month. A
/// monthly date missing from a month is never reached: during the short month the target lies in the next month,
/// and from the 1st of that month the target is that month's own date (Stork PR #314 hit the same trap).</item>
/// <item>Stork validates the whole policy first: one invalid section stops every type. Call
/// <see cref="SchedulePolicyValidator.IsSpecValid"/> first; these methods throw on an invalid section.</item>
/// </list>
/// </summary>
public static class StorkTriggerRules
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    /// <summary>TriggerRequired(policyType, lastTrigger) at <paramref name="now"/>.</summary>
    public static TriggerCheck Check(SchedulePolicySpec spec, SchedulePolicyType type, DateTimeOffset? lastTrigger, DateTimeOffset now, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(zone);
        if (!spec.Has(type))
            return new TriggerCheck(false, null, $"the policy has no {type} section");
        if (type == SchedulePolicyType.Interval)
            return CheckInterval(spec.Interval!, lastTrigger, now, zone);
        var target = Target(spec, type, DateOnly.FromDateTime(GoTime.In(now, zone).DateTime), zone)!.Value;
        return CheckTarget(spec, type, target, lastTrigger, now, zone);
    }

    /// <summary>
    /// The daily/weekly/monthly target Stork computes on a given local calendar day (it depends on nothing else,
    /// so callers stepping through time can cache it per day). Null for interval or an absent section.
    /// </summary>
    public static DateTimeOffset? Target(SchedulePolicySpec spec, SchedulePolicyType type, DateOnly today, TimeZoneInfo zone)
    {
        switch (type)
        {
            case SchedulePolicyType.Daily when spec.Daily is { } daily:
            {
                var t = KitchenTime.Parse(daily.Time);
                return GoTime.Date(today.Year, today.Month, today.Day, t.Hour, t.Minute, zone);
            }
            case SchedulePolicyType.Weekly when spec.Weekly is { } weekly:
            {
                var t = KitchenTime.Parse(weekly.Time);
                if (!StorkWeekdays.TryParse(weekly.Day, out var scheduled))
                    throw new FormatException($"'{weekly.Day}' is not a day Stork accepts.");
                var current = today.DayOfWeek;
                var days = current < scheduled ? scheduled - current
                    : current > scheduled ? 7 - (current - scheduled)
                    : 0;
                // Absolute 24-hour steps, as Stork adds them: across a DST change the wall time shifts by an hour,
                // but only on days other than the target day, where the target is not reachable anyway.
                var today0 = GoTime.Date(today.Year, today.Month, today.Day, t.Hour, t.Minute, zone);
                return today0.AddHours(24 * days).ToOffset(zone.GetUtcOffset(today0.AddHours(24 * days).UtcDateTime));
            }
            case SchedulePolicyType.Monthly when spec.Monthly is { } monthly:
            {
                var t = KitchenTime.Parse(monthly.Time);
                if (monthly.Date is < 1 or > 31)
                    throw new FormatException($"Date {monthly.Date} is out of range.");
                return GoTime.Date(today.Year, today.Month, monthly.Date, t.Hour, t.Minute, zone);
            }
            default:
                return null;
        }
    }

    /// <summary>checkTrigger(lastTrigger, target, now) with a reason in words.</summary>
    public static TriggerCheck CheckTarget(SchedulePolicySpec spec, SchedulePolicyType type, DateTimeOffset target, DateTimeOffset? lastTrigger, DateTimeOffset now, TimeZoneInfo zone) =>
        CheckTarget(spec, type, target, lastTrigger, now, zone, explain: true);

    /// <summary>The decision alone, without building the reason text (the simulator asks millions of times).</summary>
    internal static bool IsRequired(SchedulePolicySpec spec, SchedulePolicyType type, DateTimeOffset? target, DateTimeOffset? lastTrigger, DateTimeOffset now) =>
        type == SchedulePolicyType.Interval
            ? lastTrigger is not { } last || last.AddMinutes(spec.Interval!.IntervalMinutes) < now
            : target is { } t && !(lastTrigger is { } l && l >= t) && (now == t || (now > t && now - t < Window));

    private static TriggerCheck CheckTarget(SchedulePolicySpec spec, SchedulePolicyType type, DateTimeOffset target, DateTimeOffset? lastTrigger, DateTimeOffset now, TimeZoneInfo zone, bool explain)
    {
        var what = explain ? Describe(spec, type) : "";
        if (lastTrigger is { } last && last >= target)
            return new TriggerCheck(false, target, explain ? $"{what}: already ran for the target {Local(target, zone)} (last run {Local(last, zone)})" : "");
        if (now == target || (now > target && now - target < Window))
            return new TriggerCheck(true, target, explain ? $"{what}: target {Local(target, zone)}, inside its one-hour window" : "");
        if (!explain)
            return new TriggerCheck(false, target, "");
        return now < target
            ? new TriggerCheck(false, target, $"{what}: next target {Local(target, zone)}")
            : new TriggerCheck(false, target, $"{what}: the window of {Local(target, zone)} has passed without a run");
    }

    private static TriggerCheck CheckInterval(IntervalPolicySection interval, DateTimeOffset? lastTrigger, DateTimeOffset now, TimeZoneInfo zone)
    {
        if (interval.IntervalMinutes < 1)
            throw new FormatException($"IntervalMinutes {interval.IntervalMinutes} is invalid.");
        if (lastTrigger is not { } last)
            return new TriggerCheck(true, null, $"every {interval.IntervalMinutes} min: no earlier Interval run in the schedule's status");
        var due = last.AddMinutes(interval.IntervalMinutes);
        return due < now
            ? new TriggerCheck(true, null, $"every {interval.IntervalMinutes} min: more than {interval.IntervalMinutes} min since the last Interval run at {Local(last, zone)}")
            : new TriggerCheck(false, null, $"every {interval.IntervalMinutes} min: next after {Local(due, zone)}");
    }

    /// <summary>"daily at 10:14PM", "weekly on Thursday at 10:13PM", "monthly on day 14 at 8:05PM".</summary>
    public static string Describe(SchedulePolicySpec spec, SchedulePolicyType type) => type switch
    {
        SchedulePolicyType.Interval => $"every {spec.Interval?.IntervalMinutes} min",
        SchedulePolicyType.Daily => $"daily at {spec.Daily?.Time}",
        SchedulePolicyType.Weekly => $"weekly on {spec.Weekly?.Day} at {spec.Weekly?.Time}",
        SchedulePolicyType.Monthly => $"monthly on day {spec.Monthly?.Date} at {spec.Monthly?.Time}",
        _ => type.ToString(),
    };

    internal static string Local(DateTimeOffset t, TimeZoneInfo zone) =>
        GoTime.In(t, zone).ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture);
}
