using System.Text.Json.Nodes;
using ClusterOps.Core.Scheduling;

namespace ClusterOps.Tests.Scheduling;

public sealed class MigrationScheduleStatusTests
{
    /// <summary>The status shown by the seed's kubectl describe, as JSON.</summary>
    private static JsonObject SeedSchedule() => JsonNode.Parse("""
        {"apiVersion":"stork.libopenstorage.org/v1alpha1","kind":"MigrationSchedule",
         "metadata":{"name":"mysqlmigrationschedule","namespace":"migrationnamespace"},
         "spec":{"schedulePolicyName":"daily","template":{"spec":{"clusterPair":"remotecluster"}}},
         "status":{"items":{
           "Daily":[{"creationTimestamp":"2019-02-14T22:16:51Z","finishTimestamp":"2019-02-14T22:19:51Z","name":"mysqlmigrationschedule-daily-2019-02-14-221651","status":"Successful"}],
           "Interval":[
             {"creationTimestamp":"2019-02-16T00:40:52Z","finishTimestamp":"2019-02-16T00:41:52Z","name":"mysqlmigrationschedule-interval-2019-02-16-004052","status":"Successful"},
             {"creationTimestamp":"2019-02-16T00:41:52Z","finishTimestamp":null,"name":"mysqlmigrationschedule-interval-2019-02-16-004152","status":"InProgress"}],
           "Monthly":[{"creationTimestamp":"2019-02-14T20:05:41Z","finishTimestamp":"2019-02-14T20:07:41Z","name":"mysqlmigrationschedule-monthly-2019-02-14-200541","status":"Successful"}],
           "Weekly":[{"creationTimestamp":"2019-02-14T22:13:51Z","finishTimestamp":"2019-02-14T22:16:51Z","name":"mysqlmigrationschedule-weekly-2019-02-14-221351","status":"Successful"}]}}}
        """)!.AsObject();

    [Fact]
    public void History_is_one_flat_row_per_entry_in_Stork_type_order()
    {
        var rows = MigrationScheduleStatus.History(SeedSchedule());
        Assert.Equal(["Interval", "Interval", "Daily", "Weekly", "Monthly"], rows.Select(r => r.PolicyType));
        Assert.All(rows, r => Assert.Equal(("mysqlmigrationschedule", "migrationnamespace"), (r.Schedule, r.Namespace)));
        Assert.Equal(TimeSpan.FromMinutes(3), rows[2].Duration);
        Assert.Null(rows[1].Finished);
        Assert.Null(rows[1].Duration);
    }

    [Fact]
    public void Last_triggers_running_entry_and_last_success_follow_Stork()
    {
        var schedule = SeedSchedule();
        var last = MigrationScheduleStatus.LastTriggers(schedule);
        Assert.Equal(new DateTimeOffset(2019, 2, 16, 0, 41, 52, TimeSpan.Zero), last[SchedulePolicyType.Interval]);
        Assert.Equal(new DateTimeOffset(2019, 2, 14, 20, 5, 41, TimeSpan.Zero), last[SchedulePolicyType.Monthly]);
        Assert.Equal("mysqlmigrationschedule-interval-2019-02-16-004152", MigrationScheduleStatus.Running(schedule)!.Migration);

        var (time, duration) = MigrationScheduleStatus.LastSuccess(schedule);
        Assert.Equal(new DateTimeOffset(2019, 2, 16, 0, 41, 52, TimeSpan.Zero), time);
        Assert.Equal("1m0s", GoFormat.Duration(duration!.Value));
        Assert.Equal("16 Feb 19 00:41 UTC", GoFormat.Rfc822(time!.Value, TimeZoneInfo.Utc));
    }

    [Fact]
    public void A_schedule_without_status_has_no_history()
    {
        var schedule = new JsonObject { ["metadata"] = new JsonObject { ["name"] = "s" } };
        Assert.Empty(MigrationScheduleStatus.History(schedule));
        Assert.Empty(MigrationScheduleStatus.LastTriggers(schedule));
        Assert.Equal((null, null), MigrationScheduleStatus.LastSuccess(schedule));
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(300_000, "5m0s")]
    [InlineData(3_723_000, "1h2m3s")]
    [InlineData(3_600_000, "1h0m0s")]
    [InlineData(1_500, "1.5s")]
    [InlineData(250, "250ms")]
    [InlineData(-61_000, "-1m1s")]
    public void Durations_print_like_Go(long milliseconds, string expected) =>
        Assert.Equal(expected, GoFormat.Duration(TimeSpan.FromMilliseconds(milliseconds)));
}
