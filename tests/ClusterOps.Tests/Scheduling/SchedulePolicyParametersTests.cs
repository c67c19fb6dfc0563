using ClusterOps.Core.Common;
using ClusterOps.Core.Scheduling;

namespace ClusterOps.Tests.Scheduling;

public sealed class SchedulePolicyParametersTests
{
    [Fact]
    public void The_seed_policy_builds_from_parameters()
    {
        var (spec, warnings) = new SchedulePolicyParameters
        {
            IntervalMinutes = 1, DailyTime = "10:14PM", WeeklyDay = "Thursday", WeeklyTime = "10:13PM", MonthlyDate = 14, MonthlyTime = "8:05PM",
        }.BuildNew("testpolicy");
        Assert.Empty(warnings);
        Assert.Equal("Thursday@10:13PM", StorkctlSchedulePolicyColumns.Weekly(spec));
        Assert.Equal("14@8:05PM", StorkctlSchedulePolicyColumns.Monthly(spec));
    }

    [Fact]
    public void Incomplete_sections_and_no_section_are_refused_with_every_reason()
    {
        var ex = Assert.Throws<OperationException>(() => new SchedulePolicyParameters { WeeklyDay = "Sun", MonthlyTime = "1:00AM", DailyRetain = 0 }.BuildNew("p"));
        Assert.Equal(SchedulePolicyParameters.ParametersIncomplete, ex.ErrorId);
        Assert.Equal(FailureKind.InvalidArgument, ex.Kind);
        Assert.Contains("-WeeklyTime is required", ex.Message);
        Assert.Contains("-MonthlyDate is required", ex.Message);
        Assert.Contains("-DailyTime is required", ex.Message);
        Assert.Contains("DailyRetain 0 is not allowed", ex.Message);

        Assert.Contains("at least one section", Assert.Throws<OperationException>(() => new SchedulePolicyParameters().BuildNew("p")).Message);
    }

    [Fact]
    public void Values_Stork_rejects_are_refused_with_Storks_reason_and_warnings_are_returned()
    {
        var ex = Assert.Throws<OperationException>(() => new SchedulePolicyParameters { WeeklyDay = "SUN", WeeklyTime = "1:00AM" }.BuildNew("p"));
        Assert.Equal(SchedulePolicyErrorIds.WeekdayInvalid, ex.ErrorId);
        Assert.Equal("WeeklyDay 'SUN' is not a day Stork accepts; use Sunday, Sun, sunday or sun.", ex.Message);

        var (_, warnings) = new SchedulePolicyParameters { MonthlyDate = 31, MonthlyTime = "1:00AM" }.BuildNew("p");
        Assert.Equal(SchedulePolicyErrorIds.DateSkippedInShortMonths, Assert.Single(warnings).ErrorId);
    }

    [Fact]
    public void Set_changes_given_values_keeps_the_rest_and_clears_sections()
    {
        var current = new SchedulePolicySpec(
            Interval: new IntervalPolicySection(30, 5, new Dictionary<string, string> { ["k"] = "v" }),
            Weekly: new WeeklyPolicySection("Sun", "1:00AM", 4));
        var (spec, _) = new SchedulePolicyParameters { IntervalMinutes = 60, DailyTime = "2:00AM" }
            .ApplyTo(current, "p", clear: [SchedulePolicyType.Weekly]);
        Assert.Equal(60, spec.Interval!.IntervalMinutes);
        Assert.Equal(5, spec.Interval.Retain);
        Assert.Equal("v", spec.Interval.Options!["k"]);
        Assert.Equal("2:00AM", spec.Daily!.Time);
        Assert.Null(spec.Weekly);

        Assert.Throws<OperationException>(() => new SchedulePolicyParameters { WeeklyTime = "3:00AM" }.ApplyTo(current, "p", clear: [SchedulePolicyType.Weekly]));
        // Changing only the weekly time of an existing section needs no day.
        Assert.Equal("Sun", new SchedulePolicyParameters { WeeklyTime = "3:00AM" }.ApplyTo(current, "p").Spec.Weekly!.Day);
    }

    [Fact]
    public void Clearing_the_last_sections_is_refused_as_New_SchedulePolicy_refuses_a_policy_without_sections()
    {
        var current = new SchedulePolicySpec(Interval: new IntervalPolicySection(30, 5), Weekly: new WeeklyPolicySection("Sun", "1:00AM", 4));
        var ex = Assert.Throws<OperationException>(() =>
            new SchedulePolicyParameters().ApplyTo(current, "p", clear: [SchedulePolicyType.Interval, SchedulePolicyType.Weekly]));
        Assert.Equal(SchedulePolicyParameters.ClearLeavesNoSection, ex.ErrorId);
        Assert.Equal(FailureKind.InvalidArgument, ex.Kind);
        Assert.Contains("-Clear Interval, Weekly would leave schedule policy 'p' with no", ex.Message);

        // Clearing all but one, or replacing the cleared section by another, is fine.
        Assert.NotNull(new SchedulePolicyParameters().ApplyTo(current, "p", clear: [SchedulePolicyType.Interval]).Spec.Weekly);
        var swapped = new SchedulePolicyParameters { DailyTime = "2:00AM" }.ApplyTo(current, "p", clear: [SchedulePolicyType.Interval, SchedulePolicyType.Weekly]).Spec;
        Assert.Equal(("2:00AM", null, null), (swapped.Daily!.Time, swapped.Interval, swapped.Weekly));
    }

    [Fact]
    public void Merge_patch_sends_only_changed_sections_and_nulls_what_is_removed()
    {
        var current = new SchedulePolicySpec(
            Interval: new IntervalPolicySection(30, 5, new Dictionary<string, string> { ["k"] = "v" }),
            Daily: new DailyPolicySection("1:00AM", 3),
            Weekly: new WeeklyPolicySection("Sun", "1:00AM"));
        var desired = current with
        {
            Interval = current.Interval! with { Options = new Dictionary<string, string> { ["k"] = "v" } }, // same content, new instance
            Daily = new DailyPolicySection("2:00AM"),
            Weekly = null,
        };
        var patch = SchedulePolicyPatch.ForSpec(current, desired, resourceVersion: "7");
        Assert.Equal("""{"policy":{"daily":{"time":"2:00AM","retain":null,"options":null,"forceFullSnapshotDay":null},"weekly":null},"metadata":{"resourceVersion":"7"}}""",
            patch!.ToJsonString());
        Assert.Null(SchedulePolicyPatch.ForSpec(current, current));
    }
}
