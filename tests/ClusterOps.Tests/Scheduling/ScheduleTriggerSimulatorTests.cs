using ClusterOps.Core.Common;
using ClusterOps.Core.Scheduling;

namespace ClusterOps.Tests.Scheduling;

public sealed class ScheduleTriggerSimulatorTests
{
    private static readonly SchedulePolicySpec TestPolicy = new(
        new IntervalPolicySection(1), new DailyPolicySection("10:14PM"),
        new WeeklyPolicySection("Thursday", "10:13PM"), new MonthlyPolicySection(14, "8:05PM"));

    private static DateTimeOffset Utc(int month, int day, int hour, int minute, int second = 0) =>
        new(2019, month, day, hour, minute, second, TimeSpan.Zero);

    private static List<ScheduleTriggerInfo> Run(SchedulePolicySpec spec, DateTimeOffset start, DateTimeOffset end,
        TimeSpan? duration = null, IReadOnlyDictionary<SchedulePolicyType, DateTimeOffset>? last = null, bool missed = false, string? schedule = null) =>
        ScheduleTriggerSimulator.Simulate(new ScheduleTriggerRequest
        {
            Policy = spec,
            Start = start,
            End = end,
            MigrationDuration = duration ?? TimeSpan.Zero,
            LastTriggers = last ?? new Dictionary<SchedulePolicyType, DateTimeOffset>(),
            IncludeMissed = missed,
            ScheduleName = schedule,
            PolicyName = "testpolicy",
        }).ToList();

    [Fact]
    public void Seed_policy_on_the_seed_day_runs_every_section_when_migrations_are_quick()
    {
        // 2019-02-14 was a Thursday and the 14th: monthly (8:05PM), weekly (10:13PM) and daily (10:14PM) all fire
        // between the 1-minute interval runs, each on the first free pass at or after its target.
        var triggers = Run(TestPolicy, Utc(2, 14, 20, 0), Utc(2, 14, 22, 30), schedule: "mysqlmigrationschedule");
        var scheduled = triggers.Where(t => t.PolicyType != SchedulePolicyType.Interval).ToList();
        Assert.Equal([SchedulePolicyType.Monthly, SchedulePolicyType.Weekly, SchedulePolicyType.Daily], scheduled.Select(t => t.PolicyType));
        // An interval run started on the 22:13:00 pass itself, so weekly waits for the next pass.
        Assert.Contains(triggers, t => t.PolicyType == SchedulePolicyType.Interval && t.Time == Utc(2, 14, 22, 13));
        Assert.Equal([Utc(2, 14, 20, 5), Utc(2, 14, 22, 13, 10), Utc(2, 14, 22, 14)], scheduled.Select(t => t.Time));
        Assert.Equal("mysqlmigrationschedule-interval-2019-02-14-200000", triggers[0].MigrationName);
        Assert.Equal("mysqlmigrationschedule-monthly-2019-02-14-200500", scheduled[0].MigrationName);
    }

    [Fact]
    public void Seed_policy_starves_daily_weekly_and_monthly_when_a_migration_outlasts_the_interval()
    {
        // Interval is checked first and is always overdue when a 2-minute migration ends, so the other sections
        // never get a pass of their own: their windows are all lost.
        var triggers = Run(TestPolicy, Utc(2, 14, 20, 0), Utc(2, 14, 23, 30), duration: TimeSpan.FromMinutes(2), missed: true);
        Assert.All(triggers.Where(t => t.Outcome == ScheduleTriggerOutcome.Triggered), t => Assert.Equal(SchedulePolicyType.Interval, t.PolicyType));
        Assert.Equal([SchedulePolicyType.Monthly, SchedulePolicyType.Weekly, SchedulePolicyType.Daily],
            triggers.Where(t => t.Outcome == ScheduleTriggerOutcome.Missed).Select(t => t.PolicyType));
    }

    [Fact]
    public void Interval_fires_strictly_after_the_interval_so_one_step_later_each_time()
    {
        var triggers = Run(new SchedulePolicySpec(Interval: new IntervalPolicySection(1)), Utc(3, 1, 0, 0), Utc(3, 1, 0, 5));
        // 60 s is not "more than 1 minute"; the next 10-second pass is.
        Assert.Equal([0, 70, 140, 210, 280], triggers.Select(t => (int)(t.Time - Utc(3, 1, 0, 0)).TotalSeconds));
        Assert.Equal("every 1 min: no earlier Interval run in the schedule's status", triggers[0].Reason);
        Assert.All(triggers.Skip(1), t => Assert.Equal(TimeSpan.FromSeconds(10), t.Delay));
    }

    [Fact]
    public void A_last_trigger_before_the_start_is_honoured()
    {
        var last = new Dictionary<SchedulePolicyType, DateTimeOffset> { [SchedulePolicyType.Interval] = Utc(3, 1, 0, 0) };
        var first = Run(new SchedulePolicySpec(Interval: new IntervalPolicySection(30)), Utc(3, 1, 0, 10), Utc(3, 1, 1, 0), last: last)[0];
        Assert.Equal(Utc(3, 1, 0, 30, 10), first.Time);
        Assert.Contains("since the last Interval run at 2019-03-01 00:00:00", first.Reason);
    }

    [Fact]
    public void A_daily_trigger_that_already_ran_today_does_not_run_again()
    {
        var last = new Dictionary<SchedulePolicyType, DateTimeOffset> { [SchedulePolicyType.Daily] = Utc(3, 1, 22, 14, 30) };
        var triggers = Run(new SchedulePolicySpec(Daily: new DailyPolicySection("10:14PM")), Utc(3, 1, 22, 15), Utc(3, 2, 23, 0), last: last);
        Assert.Equal([Utc(3, 2, 22, 14)], triggers.Select(t => t.Time));
    }

    [Fact]
    public void A_migration_in_progress_blocks_every_type_and_a_lost_window_is_reported_as_missed()
    {
        var spec = new SchedulePolicySpec(Interval: new IntervalPolicySection(120), Daily: new DailyPolicySection("1:00AM"));
        // The interval run at 00:00 takes two hours: the 1:00AM daily window (1:00-2:00) is lost.
        var triggers = Run(spec, Utc(3, 1, 0, 0), Utc(3, 1, 4, 0), duration: TimeSpan.FromHours(2), missed: true);
        Assert.Equal(
            [(SchedulePolicyType.Interval, ScheduleTriggerOutcome.Triggered), (SchedulePolicyType.Daily, ScheduleTriggerOutcome.Missed),
             (SchedulePolicyType.Interval, ScheduleTriggerOutcome.Triggered)],
            triggers.Select(t => (t.PolicyType, t.Outcome)));
        var missed = triggers[1];
        Assert.Equal(Utc(3, 1, 2, 0), missed.Time);
        Assert.Equal(Utc(3, 1, 1, 0), missed.Target);
        Assert.Contains("Stork does not catch up", missed.Reason);
        Assert.Equal(Utc(3, 1, 2, 0), triggers[0].Finished);
        Assert.Equal(Utc(3, 1, 2, 0, 10), triggers[2].Time); // 2h after 00:00 is not "more than" 2h

        // Without IncludeMissed only real triggers come out.
        Assert.All(Run(spec, Utc(3, 1, 0, 0), Utc(3, 1, 4, 0), duration: TimeSpan.FromHours(2)), t => Assert.Equal(ScheduleTriggerOutcome.Triggered, t.Outcome));
    }

    [Fact]
    public void A_late_start_inside_the_window_is_reported_with_its_delay()
    {
        var spec = new SchedulePolicySpec(Interval: new IntervalPolicySection(600), Daily: new DailyPolicySection("1:00AM"));
        var triggers = Run(spec, Utc(3, 1, 0, 50), Utc(3, 1, 3, 0), duration: TimeSpan.FromMinutes(25));
        var daily = Assert.Single(triggers, t => t.PolicyType == SchedulePolicyType.Daily);
        Assert.Equal(Utc(3, 1, 1, 15), daily.Time);
        Assert.Equal(TimeSpan.FromMinutes(15), daily.Delay);
        Assert.EndsWith("started 15m00s after the target", daily.Reason);
    }

    [Fact]
    public void A_run_still_in_progress_at_the_start_blocks_until_it_finishes()
    {
        var last = new Dictionary<SchedulePolicyType, DateTimeOffset> { [SchedulePolicyType.Daily] = Utc(3, 1, 0, 0) };
        var triggers = Run(new SchedulePolicySpec(Interval: new IntervalPolicySection(5)), Utc(3, 1, 0, 10), Utc(3, 1, 1, 0),
            duration: TimeSpan.FromMinutes(30), last: last);
        Assert.Equal(Utc(3, 1, 0, 30), triggers[0].Time);
    }

    [Fact]
    public void Triggers_carry_the_zone_and_local_times()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata");
        var trigger = ScheduleTriggerSimulator.Simulate(new ScheduleTriggerRequest
        {
            Policy = new SchedulePolicySpec(Daily: new DailyPolicySection("9:00AM")),
            Start = Utc(3, 1, 0, 0),
            End = Utc(3, 1, 12, 0),
            TimeZone = zone,
            ScheduleName = "s",
        }).Single();
        Assert.Equal(new DateTimeOffset(2019, 3, 1, 9, 0, 0, TimeSpan.FromHours(5.5)), trigger.Time);
        Assert.Equal(TimeSpan.FromHours(5.5), trigger.Time.Offset);
        Assert.Equal("s-daily-2019-03-01-090000", trigger.MigrationName);
        Assert.Equal("Asia/Kolkata", trigger.TimeZone);
    }

    [Fact]
    public void An_invalid_policy_never_triggers_and_says_why()
    {
        var ex = Assert.Throws<OperationException>(() => ScheduleTriggerSimulator.Simulate(new ScheduleTriggerRequest
        {
            Policy = new SchedulePolicySpec(Interval: new IntervalPolicySection(5), Monthly: new MonthlyPolicySection(32, "1:00AM")),
            Start = Utc(3, 1, 0, 0),
            End = Utc(3, 2, 0, 0),
        }));
        Assert.Equal(SchedulePolicyErrorIds.PolicyInvalid, ex.ErrorId);
        Assert.Contains("MonthlyDate 32", ex.Message);
    }

    [Fact]
    public void Bad_ranges_are_rejected_before_enumeration()
    {
        var spec = new SchedulePolicySpec(Interval: new IntervalPolicySection(5));
        Assert.Equal(ScheduleTriggerSimulator.RangeInvalid, Assert.Throws<OperationException>(() =>
            ScheduleTriggerSimulator.Simulate(new ScheduleTriggerRequest { Policy = spec, Start = Utc(3, 2, 0, 0), End = Utc(3, 1, 0, 0) })).ErrorId);
        Assert.Equal(ScheduleTriggerSimulator.RangeInvalid, Assert.Throws<OperationException>(() =>
            ScheduleTriggerSimulator.Simulate(new ScheduleTriggerRequest { Policy = spec, Start = Utc(3, 1, 0, 0), End = Utc(3, 2, 0, 0), Step = TimeSpan.Zero })).ErrorId);
    }

    [Fact]
    public void Enumeration_can_be_cancelled()
    {
        using var cts = new CancellationTokenSource();
        var triggers = ScheduleTriggerSimulator.Simulate(new ScheduleTriggerRequest
        {
            Policy = new SchedulePolicySpec(Interval: new IntervalPolicySection(1)),
            Start = Utc(1, 1, 0, 0),
            End = Utc(12, 31, 0, 0),
        }, cts.Token);
        using var e = triggers.GetEnumerator();
        Assert.True(e.MoveNext());
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => { while (e.MoveNext()) { } });
    }
}

public sealed class StorkApiNamesTests
{
    [Fact]
    public void Migration_names_match_the_seed_describe_output()
    {
        Assert.Equal("mysqlmigrationschedule-interval-2019-02-16-004052",
            StorkApi.MigrationName("mysqlmigrationschedule", SchedulePolicyType.Interval, new DateTimeOffset(2019, 2, 16, 0, 40, 52, TimeSpan.Zero)));
        Assert.Equal("mysqlmigrationschedule-monthly-2019-02-14-200541",
            StorkApi.MigrationName("mysqlmigrationschedule", SchedulePolicyType.Monthly, new DateTimeOffset(2019, 2, 14, 20, 5, 41, TimeSpan.Zero)));
        // The code's key, not the seed's stork.openstorage.org/migrationReplicas.
        Assert.Equal("stork.libopenstorage.org/migrationReplicas", StorkApi.MigrationReplicasAnnotation);
    }
}
