using ClusterOps.Core.Common;

namespace ClusterOps.Core.Scheduling;

/// <summary>
/// The section values a New-/Set-SchedulePolicy caller gives (null = not given), turned into a spec with Stork's
/// validation. Kept here so that the cluster cmdlets only bind parameters: the rules (which values belong
/// together, at least one section, Stork's checks) are decided and tested in Core.
/// </summary>
public sealed record SchedulePolicyParameters
{
    public int? IntervalMinutes { get; init; }
    public int? IntervalRetain { get; init; }
    public string? DailyTime { get; init; }
    public int? DailyRetain { get; init; }
    public string? WeeklyDay { get; init; }
    public string? WeeklyTime { get; init; }
    public int? WeeklyRetain { get; init; }
    public int? MonthlyDate { get; init; }
    public string? MonthlyTime { get; init; }
    public int? MonthlyRetain { get; init; }

    public const string ParametersIncomplete = "SchedulePolicyParametersIncomplete";
    public const string ClearLeavesNoSection = "SchedulePolicyClearLeavesNoSection";

    /// <summary>
    /// A new policy: every section given, nothing else. Throws <see cref="OperationException"/> listing every
    /// problem (a retain without its section, a day without a time, no section at all, anything Stork rejects);
    /// returns the spec and Stork's warnings (for example a monthly date of 29-31) for the caller to show.
    /// </summary>
    public (SchedulePolicySpec Spec, IReadOnlyList<SchedulePolicyProblem> Warnings) BuildNew(string policyName) =>
        Apply(new SchedulePolicySpec(), policyName, requireSection: true);

    /// <summary>
    /// Set-SchedulePolicy: the given values replace those of <paramref name="current"/>; sections named in
    /// <paramref name="clear"/> are removed. A section that does not exist yet needs all its required values.
    /// </summary>
    public (SchedulePolicySpec Spec, IReadOnlyList<SchedulePolicyProblem> Warnings) ApplyTo(
        SchedulePolicySpec current, string policyName, IEnumerable<SchedulePolicyType>? clear = null)
    {
        var cleared = current;
        foreach (var type in clear ?? [])
        {
            if (Touches(type))
                throw Incomplete(policyName, [$"{type} is both cleared and given values."]);
            cleared = type switch
            {
                SchedulePolicyType.Interval => cleared with { Interval = null },
                SchedulePolicyType.Daily => cleared with { Daily = null },
                SchedulePolicyType.Weekly => cleared with { Weekly = null },
                _ => cleared with { Monthly = null },
            };
        }
        var result = Apply(cleared, policyName, requireSection: false);
        // New-SchedulePolicy refuses a policy without sections (Stork accepts it and never triggers anything);
        // -Clear must not reach the same state by another road.
        if (result.Item1.IsEmpty && !current.IsEmpty)
        {
            throw new OperationException(ClearLeavesNoSection, FailureKind.InvalidArgument,
                $"-Clear {string.Join(", ", clear ?? [])} would leave schedule policy '{policyName}' with no interval, daily, weekly or monthly " +
                "section: Stork would accept it and never trigger a migration. Give the section it should keep (for example -DailyTime), " +
                "or remove the policy with Remove-SchedulePolicy.", policyName);
        }
        return result;
    }

    private (SchedulePolicySpec, IReadOnlyList<SchedulePolicyProblem>) Apply(SchedulePolicySpec current, string policyName, bool requireSection)
    {
        var missing = new List<string>();
        var spec = current with
        {
            Interval = Merge(current.Interval, Touches(SchedulePolicyType.Interval), c =>
                new IntervalPolicySection(
                    IntervalMinutes ?? c?.IntervalMinutes ?? Missing<int>("IntervalMinutes", "Interval"),
                    IntervalRetain ?? c?.Retain ?? 0, c?.Options)),
            Daily = Merge(current.Daily, Touches(SchedulePolicyType.Daily), c =>
                new DailyPolicySection(
                    DailyTime ?? c?.Time ?? Missing<string>("DailyTime", "Daily"),
                    DailyRetain ?? c?.Retain ?? 0, c?.Options, c?.ForceFullSnapshotDay)),
            Weekly = Merge(current.Weekly, Touches(SchedulePolicyType.Weekly), c =>
                new WeeklyPolicySection(
                    WeeklyDay ?? c?.Day ?? Missing<string>("WeeklyDay", "Weekly"),
                    WeeklyTime ?? c?.Time ?? Missing<string>("WeeklyTime", "Weekly"),
                    WeeklyRetain ?? c?.Retain ?? 0, c?.Options)),
            Monthly = Merge(current.Monthly, Touches(SchedulePolicyType.Monthly), c =>
                new MonthlyPolicySection(
                    MonthlyDate ?? c?.Date ?? Missing<int>("MonthlyDate", "Monthly"),
                    MonthlyTime ?? c?.Time ?? Missing<string>("MonthlyTime", "Monthly"),
                    MonthlyRetain ?? c?.Retain ?? 0, c?.Options)),
        };
        if (requireSection && spec.IsEmpty)
            missing.Add("Give at least one section: -IntervalMinutes, -DailyTime, -WeeklyDay with -WeeklyTime, or -MonthlyDate with -MonthlyTime.");
        foreach (var (name, value) in Retains())
        {
            if (value is <= 0)
                missing.Add($"{name} {value} is not allowed: give a positive count (leave it out for Stork's default).");
        }
        if (missing.Count > 0)
            throw Incomplete(policyName, missing);

        var problems = SchedulePolicyValidator.ValidateSpec(spec, policyName);
        var errors = problems.Where(p => p.Severity == SchedulePolicySeverity.Error).ToList();
        if (errors.Count > 0)
        {
            throw new OperationException(errors[0].ErrorId, FailureKind.InvalidArgument, string.Join(" ", errors.Select(e => e.Message)), policyName);
        }
        return (spec, problems.Where(p => p.ErrorId != SchedulePolicyErrorIds.NoSections).ToList());

        T Missing<T>(string parameter, string section)
        {
            missing.Add($"-{parameter} is required for a new {section} section.");
            return default!;
        }
    }

    private bool Touches(SchedulePolicyType type) => type switch
    {
        SchedulePolicyType.Interval => IntervalMinutes is not null || IntervalRetain is not null,
        SchedulePolicyType.Daily => DailyTime is not null || DailyRetain is not null,
        SchedulePolicyType.Weekly => WeeklyDay is not null || WeeklyTime is not null || WeeklyRetain is not null,
        _ => MonthlyDate is not null || MonthlyTime is not null || MonthlyRetain is not null,
    };

    private IEnumerable<(string, int?)> Retains() =>
    [
        ("IntervalRetain", IntervalRetain), ("DailyRetain", DailyRetain),
        ("WeeklyRetain", WeeklyRetain), ("MonthlyRetain", MonthlyRetain),
    ];

    private static T? Merge<T>(T? current, bool touched, Func<T?, T> build) where T : class =>
        touched ? build(current) : current;

    private static OperationException Incomplete(string policyName, IEnumerable<string> messages) =>
        new(ParametersIncomplete, FailureKind.InvalidArgument, string.Join(" ", messages), policyName);
}
