using ClusterOps.Core.Scheduling;

namespace ClusterOps.Tests.Scheduling;

/// <summary>
/// Ports of Stork's pkg/schedule/schedule_test.go trigger cases. Stork runs them in the test machine's time.Local;
/// they hold in any zone, so each runs in UTC and in two zones with offsets.
/// </summary>
public sealed class StorkTriggerRulesTests
{
    public static TheoryData<string> Zones() => new() { "UTC", "Asia/Kolkata", "America/New_York" };

    private static TimeZoneInfo Zone(string id) => id == "UTC" ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(id);

    /// <summary>time.Date(y, m, d, h, min, 0, 0, zone).</summary>
    private static DateTimeOffset At(TimeZoneInfo zone, int month, int day, int hour, int minute) =>
        new DateTimeOffset(new DateTime(2019, month, day, hour, minute, 0), zone.GetUtcOffset(new DateTime(2019, month, day, hour, minute, 0)));

    private static bool Required(SchedulePolicySpec spec, SchedulePolicyType type, DateTimeOffset? last, DateTimeOffset now, TimeZoneInfo zone) =>
        StorkTriggerRules.Check(spec, type, last, now, zone).Required;

    // triggerIntervalRequiredTest: 60-minute interval.
    [Theory]
    [MemberData(nameof(Zones))]
    public void Interval_cases(string zoneId)
    {
        var z = Zone(zoneId);
        var spec = new SchedulePolicySpec(Interval: new IntervalPolicySection(60));
        var now = At(z, 2, 7, 23, 16);
        Assert.True(Required(spec, SchedulePolicyType.Interval, null, now, z));                     // never triggered
        Assert.False(Required(spec, SchedulePolicyType.Interval, At(z, 2, 7, 23, 14), now, z));     // 2 min ago
        Assert.False(Required(spec, SchedulePolicyType.Interval, At(z, 2, 7, 22, 16), now, z));     // exactly 60 min ago: not "before"
        Assert.True(Required(spec, SchedulePolicyType.Interval, At(z, 2, 7, 22, 14), now, z));      // 62 min ago
    }

    // triggerDailyRequiredTest: daily at 11:15PM.
    [Theory]
    [MemberData(nameof(Zones))]
    public void Daily_cases(string zoneId)
    {
        var z = Zone(zoneId);
        var spec = new SchedulePolicySpec(Daily: new DailyPolicySection("11:15PM"));
        var now = At(z, 2, 7, 23, 16);
        Assert.True(Required(spec, SchedulePolicyType.Daily, At(z, 2, 7, 23, 14), now, z));  // last before the schedule
        Assert.False(Required(spec, SchedulePolicyType.Daily, At(z, 2, 7, 23, 15), now, z)); // last at the schedule
        Assert.True(Required(spec, SchedulePolicyType.Daily, At(z, 2, 6, 23, 15), now, z));  // one day ago at the schedule
        Assert.True(Required(spec, SchedulePolicyType.Daily, At(z, 2, 6, 23, 14), now, z));  // one day ago before
        Assert.True(Required(spec, SchedulePolicyType.Daily, At(z, 2, 6, 23, 16), now, z));  // one day ago after

        now = At(z, 2, 8, 21, 15); // two hours before the next day's schedule
        Assert.False(Required(spec, SchedulePolicyType.Daily, At(z, 2, 7, 23, 15), now, z));
        Assert.False(Required(spec, SchedulePolicyType.Daily, At(z, 2, 7, 23, 16), now, z));
    }

    // triggerWeeklyRequiredTest: weekly on Sunday at 11:15pm.
    [Theory]
    [MemberData(nameof(Zones))]
    public void Weekly_cases(string zoneId)
    {
        var z = Zone(zoneId);
        var spec = new SchedulePolicySpec(Weekly: new WeeklyPolicySection("Sunday", "11:15pm"));
        var now = At(z, 2, 7, 23, 16); // Thursday
        Assert.False(Required(spec, SchedulePolicyType.Weekly, At(z, 2, 2, 23, 16), now, z));
        Assert.False(Required(spec, SchedulePolicyType.Weekly, At(z, 2, 3, 23, 15), now, z));

        now = At(z, 2, 10, 23, 16); // Sunday 11:16pm
        Assert.True(Required(spec, SchedulePolicyType.Weekly, At(z, 2, 6, 23, 16), now, z));

        now = At(z, 2, 17, 23, 15); // Sunday, exactly at the target
        Assert.True(Required(spec, SchedulePolicyType.Weekly, At(z, 2, 10, 23, 16), now, z));
    }

    // triggerMonthlyRequiredTest: monthly on the 28th at 11:15pm.
    [Theory]
    [MemberData(nameof(Zones))]
    public void Monthly_cases(string zoneId)
    {
        var z = Zone(zoneId);
        var spec = new SchedulePolicySpec(Monthly: new MonthlyPolicySection(28, "11:15pm"));
        var now = At(z, 2, 28, 23, 16);
        Assert.True(Required(spec, SchedulePolicyType.Monthly, At(z, 2, 2, 23, 16), now, z));
        Assert.False(Required(spec, SchedulePolicyType.Monthly, At(z, 2, 28, 23, 16), now, z));
    }

    [Fact]
    public void A_type_without_a_section_never_triggers()
    {
        var spec = new SchedulePolicySpec(Daily: new DailyPolicySection("1:00AM"));
        var check = StorkTriggerRules.Check(spec, SchedulePolicyType.Interval, null, DateTimeOffset.UnixEpoch, TimeZoneInfo.Utc);
        Assert.False(check.Required);
    }

    [Fact]
    public void The_window_is_one_hour_from_the_target_exclusive()
    {
        var z = TimeZoneInfo.Utc;
        var spec = new SchedulePolicySpec(Daily: new DailyPolicySection("10:00AM"));
        var target = At(z, 3, 1, 10, 0);
        Assert.False(Required(spec, SchedulePolicyType.Daily, null, target.AddTicks(-1), z));
        Assert.True(Required(spec, SchedulePolicyType.Daily, null, target, z));
        Assert.True(Required(spec, SchedulePolicyType.Daily, null, target.AddHours(1).AddTicks(-1), z));
        Assert.False(Required(spec, SchedulePolicyType.Daily, null, target.AddHours(1), z));
    }

    [Fact]
    public void Daily_and_weekly_windows_are_cut_at_local_midnight_but_monthly_ones_run_on()
    {
        var z = TimeZoneInfo.Utc;
        var after = At(z, 3, 15, 0, 10); // 40 minutes after an 11:30PM target on the 14th (a Thursday)
        Assert.False(Required(new SchedulePolicySpec(Daily: new DailyPolicySection("11:30PM")), SchedulePolicyType.Daily, null, after, z));
        Assert.False(Required(new SchedulePolicySpec(Weekly: new WeeklyPolicySection("Thu", "11:30PM")), SchedulePolicyType.Weekly, null, after, z));
        Assert.True(Required(new SchedulePolicySpec(Monthly: new MonthlyPolicySection(14, "11:30PM")), SchedulePolicyType.Monthly, null, after, z));
        // ...until the month changes: the 31st's window does not reach into the 1st.
        Assert.False(Required(new SchedulePolicySpec(Monthly: new MonthlyPolicySection(31, "11:30PM")), SchedulePolicyType.Monthly, null, At(z, 4, 1, 0, 10), z));
    }

    [Fact]
    public void A_date_missing_from_the_month_targets_the_next_month_and_is_never_reached()
    {
        var z = TimeZoneInfo.Utc;
        var spec = new SchedulePolicySpec(Monthly: new MonthlyPolicySection(31, "8:00AM"));
        // In April, Go's time.Date(2019, April, 31) is May 1st...
        Assert.Equal(new DateTimeOffset(2019, 5, 1, 8, 0, 0, TimeSpan.Zero), StorkTriggerRules.Target(spec, SchedulePolicyType.Monthly, new DateOnly(2019, 4, 10), z));
        // ...but on May 1st the target is May 31st, so 8:00AM on May 1st does not trigger.
        Assert.False(Required(spec, SchedulePolicyType.Monthly, null, At(z, 5, 1, 8, 0), z));
        // February 2019: Feb 31 is March 3rd while in February.
        Assert.Equal(new DateTimeOffset(2019, 3, 3, 8, 0, 0, TimeSpan.Zero), StorkTriggerRules.Target(spec, SchedulePolicyType.Monthly, new DateOnly(2019, 2, 1), z));
    }

    [Fact]
    public void Targets_in_a_spring_forward_gap_follow_Go_normalisation()
    {
        var ny = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var spec = new SchedulePolicySpec(Daily: new DailyPolicySection("2:30AM"));
        // 2:30AM does not exist on 2019-03-10 in New York; Go lands on 1:30AM EST (06:30Z).
        var target = StorkTriggerRules.Target(spec, SchedulePolicyType.Daily, new DateOnly(2019, 3, 10), ny)!.Value;
        Assert.Equal(new DateTimeOffset(2019, 3, 10, 6, 30, 0, TimeSpan.Zero), target.ToUniversalTime());
        // In a fall-back overlap Go takes the first (daylight) 1:30AM.
        var overlap = StorkTriggerRules.Target(spec with { Daily = new DailyPolicySection("1:30AM") }, SchedulePolicyType.Daily, new DateOnly(2019, 11, 3), ny)!.Value;
        Assert.Equal(new DateTimeOffset(2019, 11, 3, 5, 30, 0, TimeSpan.Zero), overlap.ToUniversalTime());
    }
}
