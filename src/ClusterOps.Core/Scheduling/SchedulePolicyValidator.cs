namespace ClusterOps.Core.Scheduling;

/// <summary>
/// Stork's validation (schedulepolicy.go Validate methods, pkg/schedule/schedule.go ValidateSchedulePolicy), so
/// that what ClusterOps accepts Stork accepts and the other way round, plus warnings for policies Stork accepts but
/// that will not behave as written. Differences from Stork, on purpose:
/// <list type="bullet">
/// <item>Stork stops at the first error; this reports every problem, in Stork's order (interval, daily, weekly,
/// monthly; within a section time before day/date).</item>
/// <item>Warnings (never errors): monthly dates 29-31, which Stork skips in shorter months (its doc comment and the
/// Portworx docs promise a rollover to the next month that the code does not do); a namespace on a cluster-scoped
/// SchedulePolicy, which the API server clears (the Portworx example sets one); fields Stork ignores; negative
/// retain, which Stork never checks; no section at all.</item>
/// </list>
/// Where the Portworx docs (the seed document) and the code disagree, this follows the code: the monthly date may
/// be 31 (the docs say "less than 31"), a missing date is skipped rather than rolled over, and a SchedulePolicy is
/// cluster-scoped whatever namespace its manifest carries (see also <see cref="StorkApi.MigrationReplicasAnnotation"/>).
/// Retain is not validated by Stork and is not used by migration schedules at all (only snapshot and
/// application-backup schedules call GetRetain).
/// </summary>
public static class SchedulePolicyValidator
{
    /// <summary>Largest interval whose minutes fit Go's time.Duration (int64 nanoseconds).</summary>
    public const int MaxIntervalMinutesWithoutOverflow = 153_722_867;

    /// <summary>Every problem of a whole object: metadata, decoding (types, unknown fields) and values.</summary>
    public static IReadOnlyList<SchedulePolicyProblem> Validate(SchedulePolicyDocument document, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        var problems = new List<SchedulePolicyProblem>();
        var name = document.Name;

        if (document.ApiVersion != StorkApi.ApiVersion ||
            document.Kind is not (StorkApi.SchedulePolicyKind or StorkApi.NamespacedSchedulePolicyKind))
        {
            problems.Add(Problem(name, source, SchedulePolicySeverity.Error, "Metadata", "Kind", "kind",
                $"{document.ApiVersion}/{document.Kind}", SchedulePolicyErrorIds.KindInvalid,
                $"'{document.ApiVersion}' kind '{document.Kind}' is not a Stork schedule policy; use apiVersion {StorkApi.ApiVersion} with kind {StorkApi.SchedulePolicyKind} or {StorkApi.NamespacedSchedulePolicyKind}."));
        }
        if (string.IsNullOrEmpty(name))
        {
            problems.Add(Problem(name, source, SchedulePolicySeverity.Error, "Metadata", "Name", "metadata.name", null,
                SchedulePolicyErrorIds.NameMissing, "The policy has no metadata.name."));
        }
        if (document.Scope == SchedulePolicyScope.Cluster && !string.IsNullOrEmpty(document.Namespace))
        {
            problems.Add(Problem(name, source, SchedulePolicySeverity.Warning, "Metadata", "Namespace", "metadata.namespace",
                document.Namespace, SchedulePolicyErrorIds.NamespaceIgnored,
                $"SchedulePolicy is cluster-scoped, so namespace '{document.Namespace}' is ignored (the API server clears it); use kind {StorkApi.NamespacedSchedulePolicyKind} for a policy that lives in a namespace."));
        }

        var spec = SchedulePolicyDecoder.Decode(document, problems, source);
        problems.AddRange(ValidateSpec(spec, name, source));
        return problems;
    }

    /// <summary>The value checks alone, for a policy being built from parameters.</summary>
    public static IReadOnlyList<SchedulePolicyProblem> ValidateSpec(SchedulePolicySpec spec, string policyName, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var problems = new List<SchedulePolicyProblem>();
        void Add(SchedulePolicySeverity severity, string section, string field, string path, string? value, string id, string message) =>
            problems.Add(Problem(policyName, source, severity, section, field, path, value, id, message));

        if (spec.IsEmpty)
        {
            Add(SchedulePolicySeverity.Warning, "Policy", "Policy", "policy", null, SchedulePolicyErrorIds.NoSections,
                "The policy has no interval, daily, weekly or monthly section: Stork accepts it but never triggers anything.");
        }

        if (spec.Interval is { } interval)
        {
            if (interval.IntervalMinutes < 1)
            {
                Add(SchedulePolicySeverity.Error, "Interval", "IntervalMinutes", "policy.interval.intervalMinutes", Str(interval.IntervalMinutes),
                    SchedulePolicyErrorIds.IntervalTooSmall,
                    $"IntervalMinutes {interval.IntervalMinutes} is not allowed; Stork needs a whole number of minutes of at least 1.");
            }
            else if (interval.IntervalMinutes > MaxIntervalMinutesWithoutOverflow)
            {
                Add(SchedulePolicySeverity.Warning, "Interval", "IntervalMinutes", "policy.interval.intervalMinutes", Str(interval.IntervalMinutes),
                    SchedulePolicyErrorIds.IntervalOverflow,
                    $"IntervalMinutes {interval.IntervalMinutes} overflows Go's time.Duration (at most {MaxIntervalMinutesWithoutOverflow}); Stork accepts it but its interval arithmetic wraps around.");
            }
            CheckRetain(interval.Retain, "Interval");
        }

        if (spec.Daily is { } daily)
        {
            CheckTime(daily.Time, "Daily");
            CheckRetain(daily.Retain, "Daily");
        }

        if (spec.Weekly is { } weekly)
        {
            CheckTime(weekly.Time, "Weekly");
            if (!StorkWeekdays.TryParse(weekly.Day, out _))
            {
                Add(SchedulePolicySeverity.Error, "Weekly", "WeeklyDay", "policy.weekly.day", weekly.Day, SchedulePolicyErrorIds.WeekdayInvalid,
                    $"WeeklyDay '{weekly.Day}' is not a day Stork accepts; use {DayAdvice(weekly.Day)}.");
            }
            CheckRetain(weekly.Retain, "Weekly");
        }

        if (spec.Monthly is { } monthly)
        {
            CheckTime(monthly.Time, "Monthly");
            if (monthly.Date is < 1 or > 31)
            {
                Add(SchedulePolicySeverity.Error, "Monthly", "MonthlyDate", "policy.monthly.date", Str(monthly.Date), SchedulePolicyErrorIds.DateOutOfRange,
                    $"MonthlyDate {monthly.Date} is out of range; Stork accepts 1 to 31.");
            }
            else if (monthly.Date >= 29)
            {
                var months = monthly.Date switch
                {
                    29 => "February in years that are not leap years",
                    30 => "February",
                    _ => "February, April, June, September and November",
                };
                Add(SchedulePolicySeverity.Warning, "Monthly", "MonthlyDate", "policy.monthly.date", Str(monthly.Date), SchedulePolicyErrorIds.DateSkippedInShortMonths,
                    $"MonthlyDate {monthly.Date}: Stork skips the monthly run in {months}. It does not roll over to the next month, whatever its docs say: the target date is rebuilt from the current month on every check.");
            }
            CheckRetain(monthly.Retain, "Monthly");
        }

        return problems;

        void CheckTime(string time, string section)
        {
            if (!KitchenTime.TryParse(time, out _, out var reason))
            {
                Add(SchedulePolicySeverity.Error, section, section + "Time", $"policy.{section.ToLowerInvariant()}.time", time, SchedulePolicyErrorIds.TimeInvalid,
                    $"{section}Time '{time}' is not a time Stork accepts ({reason}); use {KitchenTime.AcceptedForm}.");
            }
        }

        void CheckRetain(int retain, string section)
        {
            if (retain < 0)
            {
                Add(SchedulePolicySeverity.Warning, section, section + "Retain", $"policy.{section.ToLowerInvariant()}.retain", Str(retain), SchedulePolicyErrorIds.RetainNegative,
                    $"{section}Retain {retain} is negative; Stork does not check it, and snapshot or backup schedules using this policy would keep nothing. Use 0 for Stork's default or a positive count.");
            }
        }
    }

    /// <summary>True when Stork would accept the object (no Error problems).</summary>
    public static bool IsValid(IEnumerable<SchedulePolicyProblem> problems) =>
        problems.All(p => p.Severity != SchedulePolicySeverity.Error);

    /// <summary>Stork's own check of one section, as storkctl uses it for its columns (Validate() == nil).</summary>
    public static bool IsSectionValid(SchedulePolicySpec spec, SchedulePolicyType type) => type switch
    {
        SchedulePolicyType.Interval => spec.Interval is { IntervalMinutes: >= 1 },
        SchedulePolicyType.Daily => spec.Daily is { } d && KitchenTime.TryParse(d.Time, out _),
        SchedulePolicyType.Weekly => spec.Weekly is { } w && KitchenTime.TryParse(w.Time, out _) && StorkWeekdays.TryParse(w.Day, out _),
        SchedulePolicyType.Monthly => spec.Monthly is { Date: >= 1 and <= 31 } m && KitchenTime.TryParse(m.Time, out _),
        _ => false,
    };

    /// <summary>Stork's ValidateSchedulePolicy: every present section valid.</summary>
    public static bool IsSpecValid(SchedulePolicySpec spec) =>
        Enum.GetValues<SchedulePolicyType>().All(t => !spec.Has(t) || IsSectionValid(spec, t));

    private static string DayAdvice(string day) =>
        StorkWeekdays.Guess(day) is { } guessed
            ? StorkWeekdays.JoinAlternatives(StorkWeekdays.SpellingsOf(guessed))
            : "a day name such as Sunday or Sun, capitalised or all lower-case (Thursday also takes Thur and Thurs)";

    private static string Str(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static SchedulePolicyProblem Problem(string name, string? source, SchedulePolicySeverity severity, string section, string field,
        string path, string? value, string id, string message) => new()
    {
        PolicyName = name,
        Source = source,
        Severity = severity,
        Section = section,
        Field = field,
        Path = path,
        Value = value,
        ErrorId = id,
        Message = message,
    };
}
