using ClusterOps.Core.Scheduling;
using FsCheck;
using FsCheck.Fluent;

namespace ClusterOps.Tests.Scheduling;

/// <summary>Properties of the trigger preview over random valid policies, zones, ranges and migration durations.</summary>
public sealed class ScheduleTriggerPropertyTests
{
    private static readonly string[] ZoneIds = ["UTC", "America/New_York", "Europe/London", "Asia/Kolkata", "Australia/Lord_Howe"];

    public sealed record Scenario(SchedulePolicySpec Spec, string ZoneId, DateTimeOffset Start, TimeSpan Length, TimeSpan Duration)
    {
        public ScheduleTriggerRequest Request(bool missed = false) => new()
        {
            Policy = Spec,
            Start = Start,
            End = Start + Length,
            TimeZone = ZoneId == "UTC" ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(ZoneId),
            MigrationDuration = Duration,
            IncludeMissed = missed,
        };

        public override string ToString() => $"{Spec} in {ZoneId} from {Start:o} for {Length}, migrations {Duration}";
    }

    private static readonly Gen<string> KitchenGen =
        from hour in Gen.Choose(0, 12)
        from minute in Gen.Choose(0, 59)
        from suffix in Gen.Elements("AM", "PM", "am", "pm")
        select $"{hour}:{minute:00}{suffix}";

    private static readonly Gen<SchedulePolicySpec> SpecGen =
        from interval in Gen.Choose(1, 240).Select(m => new IntervalPolicySection(m)).OrNull()
        from daily in KitchenGen.Select(t => new DailyPolicySection(t)).OrNull()
        from weekly in (from d in Gen.Elements(StorkWeekdays.AcceptedKeys.ToArray()) from t in KitchenGen select new WeeklyPolicySection(d, t)).OrNull()
        from monthly in (from d in Gen.Choose(1, 31) from t in KitchenGen select new MonthlyPolicySection(d, t)).OrNull()
        select new SchedulePolicySpec(interval, daily, weekly, monthly);

    private static readonly Arbitrary<Scenario> Scenarios = (
        from spec in SpecGen
        from zone in Gen.Elements(ZoneIds)
        from startMinutes in Gen.Choose(0, 8 * 365 * 24 * 60)
        from startSecond in Gen.Choose(0, 59)
        from lengthHours in Gen.Choose(1, 24 * 21)
        from durationMinutes in Gen.Frequency((2, Gen.Constant(0)), (3, Gen.Choose(1, 180)))
        select new Scenario(spec, zone,
            new DateTimeOffset(2019, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(startMinutes).AddSeconds(startSecond),
            TimeSpan.FromHours(lengthHours), TimeSpan.FromMinutes(durationMinutes))).ToArbitrary();

    private static readonly Config Quick = Config.QuickThrowOnFailure.WithMaxTest(60);

    private static List<ScheduleTriggerInfo> Triggered(Scenario s) =>
        ScheduleTriggerSimulator.Simulate(s.Request()).ToList();

    [Fact]
    public void No_two_triggers_of_one_type_are_closer_than_its_period()
    {
        Check.One(Quick, Prop.ForAll(Scenarios, s =>
        {
            // Lower bounds that hold even across DST changes and late starts inside the one-hour window.
            var minimum = new Dictionary<SchedulePolicyType, TimeSpan>
            {
                [SchedulePolicyType.Interval] = TimeSpan.FromMinutes(s.Spec.Interval?.IntervalMinutes ?? 0),
                [SchedulePolicyType.Daily] = TimeSpan.FromHours(22),
                [SchedulePolicyType.Weekly] = TimeSpan.FromDays(7) - TimeSpan.FromHours(2),
                [SchedulePolicyType.Monthly] = TimeSpan.FromDays(28) - TimeSpan.FromHours(2),
            };
            return Triggered(s).GroupBy(t => t.PolicyType).All(g => g.Zip(g.Skip(1), (a, b) => b.Time - a.Time).All(gap => gap > minimum[g.Key]));
        }));
    }

    [Fact]
    public void Scheduled_triggers_fall_inside_their_window_and_each_target_fires_at_most_once()
    {
        Check.One(Quick, Prop.ForAll(Scenarios, s =>
        {
            var zone = s.Request().TimeZone;
            var scheduled = Triggered(s).Where(t => t.PolicyType != SchedulePolicyType.Interval).ToList();
            var insideWindow = scheduled.All(t =>
                t.Target is { } target && target <= t.Time && t.Time - target < TimeSpan.FromHours(1) &&
                (t.PolicyType == SchedulePolicyType.Monthly
                    ? Local(t.Time, zone).Month == Local(target, zone).Month   // cut when the month changes
                    : Local(t.Time, zone).Date == Local(target, zone).Date));  // cut at local midnight
            var once = scheduled.GroupBy(t => (t.PolicyType, t.Target)).All(g => g.Count() == 1);
            return insideWindow && once;
        }));
    }

    [Fact]
    public void A_trigger_never_starts_while_another_migration_runs_and_time_only_moves_forward()
    {
        Check.One(Quick, Prop.ForAll(Scenarios, s =>
        {
            var triggers = Triggered(s);
            return triggers.Zip(triggers.Skip(1), (a, b) => b.Time > a.Time && (a.Finished is null ? false : b.Time >= a.Finished)).All(ok => ok);
        }));
    }

    [Fact]
    public void The_preview_is_deterministic_and_missed_entries_do_not_change_the_triggers()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(30), Prop.ForAll(Scenarios, s =>
        {
            static string Key(ScheduleTriggerInfo t) => $"{t.Time:o}|{t.PolicyType}|{t.Outcome}|{t.Reason}|{t.Target:o}|{t.Finished:o}";
            var first = ScheduleTriggerSimulator.Simulate(s.Request(missed: true)).Select(Key).ToList();
            var second = ScheduleTriggerSimulator.Simulate(s.Request(missed: true)).Select(Key).ToList();
            var withoutMissed = Triggered(s).Select(Key).ToList();
            return first.SequenceEqual(second) &&
                   first.Where(k => k.Contains("|Triggered|", StringComparison.Ordinal)).SequenceEqual(withoutMissed);
        }));
    }

    [Fact]
    public void Missed_windows_only_happen_while_a_migration_runs()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(40), Prop.ForAll(Scenarios, s =>
        {
            var all = ScheduleTriggerSimulator.Simulate(s.Request(missed: true)).ToList();
            return all.Where(t => t.Outcome == ScheduleTriggerOutcome.Missed).All(m =>
                s.Duration > TimeSpan.Zero &&
                all.Any(t => t.Outcome == ScheduleTriggerOutcome.Triggered && t.Time <= m.Time && (t.Finished is null || t.Finished > m.Target)));
        }));
    }

    private static DateTimeOffset Local(DateTimeOffset t, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(t, zone);
}
