using System.Globalization;

namespace ClusterOps.Core.Scheduling;

/// <summary>
/// The cells of <c>storkctl get schedulepolicy</c> (pkg/storkctl/schedulepolicy.go schedulePolicyPrinter): N/A for
/// an absent section, Invalid when the section fails Stork's own Validate, otherwise the values verbatim:
/// INTERVAL-MINUTES the number, DAILY the time, WEEKLY <c>day@time</c>, MONTHLY <c>date@time</c>.
/// </summary>
public static class StorkctlSchedulePolicyColumns
{
    public const string NotConfigured = "N/A";
    public const string Invalid = "Invalid";

    public static string Interval(SchedulePolicySpec spec) =>
        Cell(spec, SchedulePolicyType.Interval, () => spec.Interval!.IntervalMinutes.ToString(CultureInfo.InvariantCulture));

    public static string Daily(SchedulePolicySpec spec) =>
        Cell(spec, SchedulePolicyType.Daily, () => spec.Daily!.Time);

    public static string Weekly(SchedulePolicySpec spec) =>
        Cell(spec, SchedulePolicyType.Weekly, () => $"{spec.Weekly!.Day}@{spec.Weekly.Time}");

    public static string Monthly(SchedulePolicySpec spec) =>
        Cell(spec, SchedulePolicyType.Monthly, () => $"{spec.Monthly!.Date.ToString(CultureInfo.InvariantCulture)}@{spec.Monthly.Time}");

    private static string Cell(SchedulePolicySpec spec, SchedulePolicyType type, Func<string> value) =>
        !spec.Has(type) ? NotConfigured
        : SchedulePolicyValidator.IsSectionValid(spec, type) ? value()
        : Invalid;
}
