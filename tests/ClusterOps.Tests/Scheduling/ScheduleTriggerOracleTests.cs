using System.Globalization;
using ClusterOps.Core.Scheduling;

namespace ClusterOps.Tests.Scheduling;

/// <summary>
/// The simulator against sequences computed with Go's own time package (Oracle/README.md): DST gaps and overlaps,
/// month rollover, windows past midnight, long migrations blocking other types.
/// </summary>
public sealed class ScheduleTriggerOracleTests
{
    public static TheoryData<string> Scenarios() => new(Cases.Keys);

    private static readonly Dictionary<string, (SchedulePolicySpec Spec, string Zone, string Start, string End, TimeSpan Duration)> Cases = new()
    {
        ["stork-cases-utc"] = (new SchedulePolicySpec(new IntervalPolicySection(360), new DailyPolicySection("11:15PM"),
            new WeeklyPolicySection("Sunday", "11:15pm"), new MonthlyPolicySection(28, "11:15pm")),
            "UTC", "2019-02-01T00:00:00Z", "2019-03-05T00:00:00Z", TimeSpan.FromMinutes(5)),
        ["dst-new-york"] = (new SchedulePolicySpec(Daily: new DailyPolicySection("2:30AM"), Weekly: new WeeklyPolicySection("Sunday", "1:30AM"),
            Monthly: new MonthlyPolicySection(10, "2:45AM")),
            "America/New_York", "2019-03-01T00:00:00Z", "2019-03-20T00:00:00Z", TimeSpan.Zero),
        ["dst-new-york-fall"] = (new SchedulePolicySpec(Daily: new DailyPolicySection("1:30AM"), Weekly: new WeeklyPolicySection("Sunday", "1:45AM"),
            Monthly: new MonthlyPolicySection(3, "1:15AM")),
            "America/New_York", "2019-10-25T00:00:00Z", "2019-11-10T00:00:00Z", TimeSpan.Zero),
        ["dst-london"] = (new SchedulePolicySpec(Daily: new DailyPolicySection("1:30AM"), Weekly: new WeeklyPolicySection("Sunday", "1:10AM")),
            "Europe/London", "2019-03-25T00:00:00Z", "2019-04-02T00:00:00Z", TimeSpan.Zero),
        ["monthly-31-late"] = (new SchedulePolicySpec(Monthly: new MonthlyPolicySection(31, "11:30PM")),
            "UTC", "2019-01-01T00:00:00Z", "2020-01-05T00:00:00Z", TimeSpan.Zero),
        ["monthly-14-late-window"] = (new SchedulePolicySpec(Daily: new DailyPolicySection("11:50PM"), Monthly: new MonthlyPolicySection(14, "11:30PM")),
            "Asia/Kolkata", "2019-01-01T00:00:00Z", "2019-04-01T00:00:00Z", TimeSpan.FromMinutes(50)),
        ["long-migration"] = (new SchedulePolicySpec(new IntervalPolicySection(30), new DailyPolicySection("10:14PM"), new WeeklyPolicySection("Thursday", "10:13PM")),
            "UTC", "2019-02-13T00:00:00Z", "2019-02-16T00:00:00Z", TimeSpan.FromMinutes(95)),
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Matches_the_Go_oracle(string scenario)
    {
        var (spec, zoneId, start, end, duration) = Cases[scenario];
        var zone = zoneId == "UTC" ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        var expected = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Scheduling", "Oracle", scenario + ".txt"))
            .Where(l => l.Length > 0).ToList();

        var actual = ScheduleTriggerSimulator.Simulate(new ScheduleTriggerRequest
        {
            Policy = spec,
            Start = DateTimeOffset.Parse(start, CultureInfo.InvariantCulture),
            End = DateTimeOffset.Parse(end, CultureInfo.InvariantCulture),
            TimeZone = zone,
            MigrationDuration = duration,
        }).Select(t => $"{t.PolicyType} {GoRfc3339(t.Time)}").ToList();

        Assert.NotEmpty(expected);
        Assert.Equal(expected, actual);
    }

    /// <summary>Go's RFC3339 layout prints Z for a zero offset whatever the zone.</summary>
    private static string GoRfc3339(DateTimeOffset t) =>
        t.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture) +
        (t.Offset == TimeSpan.Zero ? "Z" : t.ToString("zzz", CultureInfo.InvariantCulture));
}
