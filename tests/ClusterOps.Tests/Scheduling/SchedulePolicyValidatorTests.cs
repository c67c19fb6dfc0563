using ClusterOps.Core.Scheduling;

namespace ClusterOps.Tests.Scheduling;

public sealed class SchedulePolicyValidatorTests
{
    private static IReadOnlyList<SchedulePolicyProblem> Errors(SchedulePolicySpec spec) =>
        SchedulePolicyValidator.ValidateSpec(spec, "p").Where(p => p.Severity == SchedulePolicySeverity.Error).ToList();

    // Port of pkg/schedule/schedule_test.go validateSchedulePolicyTest ("validpolicy").
    [Fact]
    public void Stork_validpolicy_passes()
    {
        var spec = new SchedulePolicySpec(
            Daily: new DailyPolicySection("01:15am"),
            Weekly: new WeeklyPolicySection("Sunday", "11:15pm"),
            Monthly: new MonthlyPolicySection(15, "12:15pm"));
        Assert.Empty(SchedulePolicyValidator.ValidateSpec(spec, "validpolicy"));
        Assert.True(SchedulePolicyValidator.IsSpecValid(spec));
    }

    // The invalid cases of validateSchedulePolicyTest: invalidintervalpolicy (empty interval), invaliddailypolicy
    // (25:15am), invalidweeklypolicy (day "T"; "Tue" at 13:15pm), invalidMonthlypolicy (date 32; 13:15pm).
    public static TheoryData<string, SchedulePolicySpec, string, string> StorkInvalidPolicies() => new()
    {
        { "invalidintervalpolicy", new SchedulePolicySpec(Interval: new IntervalPolicySection(0)), "IntervalMinutes", SchedulePolicyErrorIds.IntervalTooSmall },
        { "invaliddailypolicy", new SchedulePolicySpec(Daily: new DailyPolicySection("25:15am")), "DailyTime", SchedulePolicyErrorIds.TimeInvalid },
        { "invalidweeklypolicy-day", new SchedulePolicySpec(Weekly: new WeeklyPolicySection("T", "11:15pm")), "WeeklyDay", SchedulePolicyErrorIds.WeekdayInvalid },
        { "invalidweeklypolicy-time", new SchedulePolicySpec(Weekly: new WeeklyPolicySection("Tue", "13:15pm")), "WeeklyTime", SchedulePolicyErrorIds.TimeInvalid },
        { "invalidMonthlypolicy-date", new SchedulePolicySpec(Monthly: new MonthlyPolicySection(32, "11:15pm")), "MonthlyDate", SchedulePolicyErrorIds.DateOutOfRange },
        { "invalidMonthlypolicy-time", new SchedulePolicySpec(Monthly: new MonthlyPolicySection(12, "13:15pm")), "MonthlyTime", SchedulePolicyErrorIds.TimeInvalid },
    };

    [Theory]
    [MemberData(nameof(StorkInvalidPolicies))]
    public void Stork_invalid_policies_fail_with_one_error_naming_the_field(string name, SchedulePolicySpec spec, string field, string errorId)
    {
        var error = Assert.Single(Errors(spec));
        Assert.Equal(field, error.Field);
        Assert.Equal(errorId, error.ErrorId);
        Assert.False(SchedulePolicyValidator.IsSpecValid(spec), name);
    }

    [Fact]
    public void Weekday_error_names_the_value_and_the_spellings_Stork_accepts()
    {
        var error = Assert.Single(Errors(new SchedulePolicySpec(Weekly: new WeeklyPolicySection("SUN", "10:00PM"))));
        Assert.Equal("WeeklyDay 'SUN' is not a day Stork accepts; use Sunday, Sun, sunday or sun.", error.Message);
        Assert.Equal("Weekly", error.Section);
        Assert.Equal("policy.weekly.day", error.Path);
        Assert.Equal("SUN", error.Value);
    }

    [Theory]
    [InlineData("THURSDAY", "Thursday, Thu, Thur, Thurs, thursday, thu, thur or thurs")]
    [InlineData("Tues", "Tuesday, Tue, tuesday or tue")]
    [InlineData("saturDAY", "Saturday, Sat, saturday or sat")]
    [InlineData("T", "a day name such as Sunday or Sun")]
    [InlineData("", "a day name such as Sunday or Sun")]
    public void Weekday_advice_guesses_the_intended_day(string day, string advice)
    {
        var error = Assert.Single(Errors(new SchedulePolicySpec(Weekly: new WeeklyPolicySection(day, "10:00PM"))));
        Assert.Contains(advice, error.Message);
    }

    [Fact]
    public void Accepted_weekday_keys_are_exactly_Storks_map()
    {
        Assert.Equal(32, StorkWeekdays.AcceptedKeys.Count);
        foreach (var day in Enum.GetValues<DayOfWeek>())
        {
            var name = day.ToString();
            foreach (var accepted in new[] { name, name[..3], name.ToLowerInvariant(), name[..3].ToLowerInvariant() })
            {
                Assert.True(StorkWeekdays.TryParse(accepted, out var parsed), accepted);
                Assert.Equal(day, parsed);
            }
            Assert.False(StorkWeekdays.TryParse(name.ToUpperInvariant(), out _));
            Assert.False(StorkWeekdays.TryParse(name[..3].ToUpperInvariant(), out _));
        }
        Assert.True(StorkWeekdays.TryParse("Thurs", out var thurs) && thurs == DayOfWeek.Thursday);
        Assert.True(StorkWeekdays.TryParse("thur", out var thur) && thur == DayOfWeek.Thursday);
        Assert.False(StorkWeekdays.TryParse("Tues", out _));
        Assert.False(StorkWeekdays.TryParse(" Sunday", out _));
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(1, false)]
    [InlineData(28, false)]
    [InlineData(31, false)]
    [InlineData(32, true)]
    [InlineData(-1, true)]
    public void Monthly_date_must_be_1_to_31_inclusive(int date, bool error)
    {
        var errors = Errors(new SchedulePolicySpec(Monthly: new MonthlyPolicySection(date, "8:05PM")));
        Assert.Equal(error, errors.Count == 1);
        if (error)
            Assert.Equal($"MonthlyDate {date} is out of range; Stork accepts 1 to 31.", errors[0].Message);
    }

    [Theory]
    [InlineData(29, "February in years that are not leap years")]
    [InlineData(30, "February")]
    [InlineData(31, "February, April, June, September and November")]
    public void Monthly_date_29_to_31_is_accepted_with_a_warning_that_short_months_are_skipped(int date, string months)
    {
        var problems = SchedulePolicyValidator.ValidateSpec(new SchedulePolicySpec(Monthly: new MonthlyPolicySection(date, "8:05PM")), "p");
        var warning = Assert.Single(problems);
        Assert.Equal(SchedulePolicySeverity.Warning, warning.Severity);
        Assert.Equal(SchedulePolicyErrorIds.DateSkippedInShortMonths, warning.ErrorId);
        Assert.Contains(months, warning.Message);
        Assert.Contains("does not roll over", warning.Message);
    }

    [Fact]
    public void Time_error_explains_Go_kitchen_form()
    {
        var error = Assert.Single(Errors(new SchedulePolicySpec(Daily: new DailyPolicySection("10:14 PM"))));
        Assert.StartsWith("DailyTime '10:14 PM' is not a time Stork accepts (' PM' is not AM, PM, am or pm", error.Message);
        Assert.Contains("h:mmPM or h:mmpm", error.Message);
    }

    [Fact]
    public void Every_problem_is_reported_in_Storks_order_not_just_the_first()
    {
        var spec = new SchedulePolicySpec(
            Interval: new IntervalPolicySection(0),
            Daily: new DailyPolicySection("25:00AM"),
            Weekly: new WeeklyPolicySection("Funday", "1:5PM"),
            Monthly: new MonthlyPolicySection(0, "noon"));
        Assert.Equal(
            ["IntervalMinutes", "DailyTime", "WeeklyTime", "WeeklyDay", "MonthlyTime", "MonthlyDate"],
            Errors(spec).Select(e => e.Field));
    }

    [Fact]
    public void Retain_is_not_checked_by_Stork_but_a_negative_one_is_a_warning()
    {
        var problems = SchedulePolicyValidator.ValidateSpec(new SchedulePolicySpec(Interval: new IntervalPolicySection(5, Retain: -1)), "p");
        var warning = Assert.Single(problems);
        Assert.Equal(SchedulePolicySeverity.Warning, warning.Severity);
        Assert.Equal("IntervalRetain", warning.Field);
    }

    [Fact]
    public void An_interval_that_overflows_Go_duration_is_accepted_with_a_warning()
    {
        var ok = SchedulePolicyValidator.ValidateSpec(new SchedulePolicySpec(Interval: new IntervalPolicySection(SchedulePolicyValidator.MaxIntervalMinutesWithoutOverflow)), "p");
        Assert.Empty(ok);
        var problems = SchedulePolicyValidator.ValidateSpec(new SchedulePolicySpec(Interval: new IntervalPolicySection(SchedulePolicyValidator.MaxIntervalMinutesWithoutOverflow + 1)), "p");
        Assert.Equal(SchedulePolicyErrorIds.IntervalOverflow, Assert.Single(problems).ErrorId);
        Assert.True(SchedulePolicyValidator.IsValid(problems));
    }

    [Fact]
    public void An_empty_policy_is_valid_for_Stork_but_warned_about()
    {
        var warning = Assert.Single(SchedulePolicyValidator.ValidateSpec(new SchedulePolicySpec(), "p"));
        Assert.Equal(SchedulePolicyErrorIds.NoSections, warning.ErrorId);
        Assert.True(SchedulePolicyValidator.IsSpecValid(new SchedulePolicySpec()));
    }

    // policyRetainTest: retain 0 means the type's default (interval 10, daily 30, weekly 7, monthly 12).
    [Fact]
    public void Effective_retain_follows_GetRetain()
    {
        var spec = new SchedulePolicySpec(
            new IntervalPolicySection(60), new DailyPolicySection("10:40PM"),
            new WeeklyPolicySection("Thur", "10:40PM"), new MonthlyPolicySection(25, "10:40PM"));
        Assert.Equal([10, 30, 7, 12], Enum.GetValues<SchedulePolicyType>().Select(t => spec.EffectiveRetain(t)!.Value));

        var set = spec with
        {
            Interval = spec.Interval! with { Retain = 5 },
            Daily = spec.Daily! with { Retain = 10 },
            Weekly = spec.Weekly! with { Retain = 20 },
            Monthly = spec.Monthly! with { Retain = 30 },
        };
        Assert.Equal([5, 10, 20, 30], Enum.GetValues<SchedulePolicyType>().Select(t => set.EffectiveRetain(t)!.Value));
        Assert.Null(new SchedulePolicySpec().EffectiveRetain(SchedulePolicyType.Daily));
    }
}
