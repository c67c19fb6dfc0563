using System.Collections;
using System.Reflection;
using System.Management.Automation;
using ClusterOps.Cmdlets.Scheduling;
using ClusterOps.Core.Common;
using ClusterOps.Core.Scheduling;
using ClusterOps.Tests.Infrastructure;

namespace ClusterOps.Tests.Scheduling;

public sealed class OfflineScheduleOperationsTests
{
    [Fact]
    public void TestFile_writes_one_problem_per_problem_for_every_policy_in_the_file()
    {
        var path = SeedPolicies.WriteTemp(SeedPolicies.TestPolicyYaml.Replace("\"Thursday\"", "\"THU\"") + "\n---\n" + SeedPolicies.MigrationScheduleYaml);
        try
        {
            var context = new RecordingOperationContext();
            OfflineScheduleOperations.TestFile(path, quiet: false, context);
            var problems = context.ObjectsOf<SchedulePolicyProblem>().ToList();
            Assert.Equal([SchedulePolicyErrorIds.NamespaceIgnored, SchedulePolicyErrorIds.WeekdayInvalid], problems.Select(p => p.ErrorId));
            Assert.All(problems, p => Assert.Equal(path, p.Source));
            Assert.Equal("WeeklyDay 'THU' is not a day Stork accepts; use Thursday, Thu, Thur, Thurs, thursday, thu, thur or thurs.", problems[1].Message);
            Assert.Contains(context.Verbose, v => v.Contains("1 error(s), 1 warning(s)"));

            var quiet = new RecordingOperationContext();
            OfflineScheduleOperations.TestFile(path, quiet: true, quiet);
            Assert.Equal([false], quiet.ObjectsOf<bool>());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TestFile_reports_an_unreadable_file_as_a_non_terminating_error()
    {
        var context = new RecordingOperationContext();
        OfflineScheduleOperations.TestFile("/nonexistent/p.yaml", quiet: false, context);
        var (error, target) = Assert.Single(context.Errors);
        Assert.Equal(SchedulePolicyYaml.FileNotFound, Assert.IsType<OperationException>(error).ErrorId);
        Assert.Equal("/nonexistent/p.yaml", target);
        Assert.Empty(context.Objects);
    }

    [Fact]
    public void TestPolicy_of_a_valid_policy_writes_nothing_or_true()
    {
        var info = SchedulePolicyInfo.From(SchedulePolicyDocument.Create("ok", null, new SchedulePolicySpec(Daily: new DailyPolicySection("1:00AM"))));
        var context = new RecordingOperationContext();
        OfflineScheduleOperations.TestPolicy(info, quiet: false, context);
        Assert.Empty(context.Objects);
        OfflineScheduleOperations.TestPolicy(info, quiet: true, context);
        Assert.Equal([true], context.ObjectsOf<bool>());
    }

    [Fact]
    public async Task Preview_of_a_file_reads_times_in_the_zone_and_continues_from_the_given_last_trigger()
    {
        var path = SeedPolicies.WriteTemp(SeedPolicies.TestPolicyYaml);
        var context = new RecordingOperationContext();

        await ScheduleTriggerPreview.PreviewAsync(new ScheduleTriggerQuery(
            new PolicySource { File = (path, "testpolicy.yaml") },
            Start: new DateTime(2019, 2, 14, 20, 0, 0), End: new DateTime(2019, 2, 14, 20, 10, 0), TimeZone: "Asia/Kolkata",
            LastTrigger: new Hashtable { ["interval"] = "2019-02-14T14:29:30Z" }, MigrationDuration: TimeSpan.Zero,
            ScheduleName: null, IncludeMissed: false), context);

        var triggers = context.ObjectsOf<ScheduleTriggerInfo>().ToList();
        Assert.NotEmpty(triggers);
        // 20:00 in Kolkata is 14:30Z; the interval ran at 14:29:30Z, so no trigger may come before a minute after it.
        Assert.All(triggers, t => Assert.True(t.Time >= new DateTimeOffset(2019, 2, 14, 14, 30, 30, TimeSpan.Zero), t.Time.ToString("o")));
        Assert.All(triggers, t => Assert.True(t.Time <= new DateTimeOffset(2019, 2, 14, 14, 40, 0, TimeSpan.Zero), t.Time.ToString("o")));
    }

    [Fact]
    public void PreviewTriggers_streams_the_simulation_to_the_context()
    {
        var context = new RecordingOperationContext();
        OfflineScheduleOperations.PreviewTriggers(new ScheduleTriggerRequest
        {
            Policy = new SchedulePolicySpec(Daily: new DailyPolicySection("10:14PM")),
            PolicyName = "nightly",
            Start = new DateTimeOffset(2019, 2, 14, 0, 0, 0, TimeSpan.Zero),
            End = new DateTimeOffset(2019, 2, 17, 0, 0, 0, TimeSpan.Zero),
        }, context);
        var triggers = context.ObjectsOf<ScheduleTriggerInfo>().ToList();
        Assert.Equal(3, triggers.Count);
        Assert.All(triggers, t => Assert.Equal("nightly", t.PolicyName));
        Assert.Contains(context.Verbose, v => v.Contains("a pass every 10 s"));
    }

    [Fact]
    public void Command_line_times_without_a_kind_are_wall_times_in_the_controller_zone()
    {
        var paris = OfflineScheduleOperations.FindTimeZone("Europe/Paris");
        var wall = new DateTime(2019, 7, 1, 22, 0, 0, DateTimeKind.Unspecified);
        Assert.Equal(new DateTimeOffset(2019, 7, 1, 20, 0, 0, TimeSpan.Zero), OfflineScheduleOperations.ToInstant(wall, paris));
        var utc = new DateTime(2019, 7, 1, 22, 0, 0, DateTimeKind.Utc);
        Assert.Equal(new DateTimeOffset(utc), OfflineScheduleOperations.ToInstant(utc, paris));
        Assert.Same(TimeZoneInfo.Utc, OfflineScheduleOperations.FindTimeZone("utc"));
        Assert.Equal(OfflineScheduleOperations.TimeZoneNotFound,
            Assert.Throws<OperationException>(() => OfflineScheduleOperations.FindTimeZone("Mars/Olympus_Mons")).ErrorId);
    }

    [Fact]
    public void LastTrigger_table_accepts_types_in_any_case_and_several_value_kinds()
    {
        var zone = OfflineScheduleOperations.FindTimeZone("Asia/Kolkata");
        var table = new Hashtable
        {
            ["interval"] = "2019-02-16T00:40:52Z",
            ["Daily"] = "2019-02-14 22:16:51",
            ["WEEKLY"] = new DateTimeOffset(2019, 2, 14, 22, 13, 51, TimeSpan.Zero),
            ["Monthly"] = new DateTime(2019, 2, 14, 20, 5, 41, DateTimeKind.Utc),
        };
        var last = OfflineScheduleOperations.ParseLastTriggers(table, zone);
        Assert.Equal(new DateTimeOffset(2019, 2, 16, 0, 40, 52, TimeSpan.Zero), last[SchedulePolicyType.Interval]);
        Assert.Equal(new DateTimeOffset(2019, 2, 14, 22, 16, 51, TimeSpan.FromHours(5.5)), last[SchedulePolicyType.Daily]);
        Assert.Equal(new DateTimeOffset(2019, 2, 14, 22, 13, 51, TimeSpan.Zero), last[SchedulePolicyType.Weekly]);
        Assert.Equal(new DateTimeOffset(2019, 2, 14, 20, 5, 41, TimeSpan.Zero), last[SchedulePolicyType.Monthly]);

        Assert.Equal(OfflineScheduleOperations.LastTriggerInvalid, Assert.Throws<OperationException>(() =>
            OfflineScheduleOperations.ParseLastTriggers(new Hashtable { ["Hourly"] = "2019-01-01" }, zone)).ErrorId);
        Assert.Equal(OfflineScheduleOperations.LastTriggerInvalid, Assert.Throws<OperationException>(() =>
            OfflineScheduleOperations.ParseLastTriggers(new Hashtable { ["1"] = "2019-01-01" }, zone)).ErrorId);
        Assert.Equal(OfflineScheduleOperations.LastTriggerInvalid, Assert.Throws<OperationException>(() =>
            OfflineScheduleOperations.ParseLastTriggers(new Hashtable { ["Daily"] = "yesterday-ish" }, zone)).ErrorId);
    }

    [Fact]
    public void Cmdlet_metadata_is_as_documented()
    {
        AssertCmdlet(typeof(TestSchedulePolicyCommand), "Test", "SchedulePolicy", "InputObject", [typeof(SchedulePolicyProblem), typeof(bool)]);
        AssertCmdlet(typeof(GetScheduleTriggerCommand), "Get", "ScheduleTrigger", "Policy", [typeof(ScheduleTriggerInfo)]);

        var helpDir = Path.Combine(RepoRoot(), "docs", "help");
        foreach (var name in new[] { "Test-SchedulePolicy", "Get-ScheduleTrigger" })
        {
            var help = File.ReadAllText(Path.Combine(helpDir, name + ".md"));
            var cmdletType = name == "Test-SchedulePolicy" ? typeof(TestSchedulePolicyCommand) : typeof(GetScheduleTriggerCommand);
            foreach (var parameter in cmdletType.GetProperties().Where(p => p.CustomAttributes.Any(a => a.AttributeType == typeof(ParameterAttribute))))
                Assert.Contains($"### -{parameter.Name}", help);
            Assert.True(help.Split("### Example ").Length - 1 >= 2, name + " needs two examples");
        }
        var manifest = File.ReadAllText(Path.Combine(RepoRoot(), "module", "ClusterOps.psd1"));
        Assert.Contains("'Test-SchedulePolicy'", manifest);
        Assert.Contains("'Get-ScheduleTrigger'", manifest);
        var formats = File.ReadAllText(Path.Combine(RepoRoot(), "module", "ClusterOps.Format.ps1xml"));
        foreach (var type in new[] { typeof(SchedulePolicyInfo), typeof(SchedulePolicyProblem), typeof(ScheduleTriggerInfo) })
            Assert.Contains($"<TypeName>{type.FullName}</TypeName>", formats);
    }

    private static void AssertCmdlet(Type type, string verb, string noun, string defaultSet, Type[] outputs)
    {
        var cmdlet = type.GetCustomAttributesData().Single(a => a.AttributeType == typeof(CmdletAttribute));
        Assert.Equal(verb, cmdlet.ConstructorArguments[0].Value);
        Assert.Equal(noun, cmdlet.ConstructorArguments[1].Value);
        Assert.Equal(defaultSet, cmdlet.NamedArguments.Single(n => n.MemberName == "DefaultParameterSetName").TypedValue.Value);
        Assert.DoesNotContain(cmdlet.NamedArguments, n => n.MemberName == "SupportsShouldProcess"); // read-only, offline
        var declared = type.GetCustomAttributesData().Where(a => a.AttributeType == typeof(OutputTypeAttribute))
            .SelectMany(a => ((IEnumerable<CustomAttributeTypedArgument>)a.ConstructorArguments[0].Value!).Select(v => (Type)v.Value!));
        Assert.Equal(outputs.OrderBy(t => t.Name), declared.OrderBy(t => t.Name));
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ClusterOps.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException("repository root");
    }
}

public sealed class TimeZoneNamesTests
{
    [Fact]
    public void Completes_by_prefix_or_city_and_always_offers_UTC()
    {
        Assert.Contains("Europe/Paris", TimeZoneNames.Complete("Europe/Pa"));
        Assert.Contains("Europe/Paris", TimeZoneNames.Complete("paris"));
        Assert.Contains("UTC", TimeZoneNames.Complete("UT"));
        Assert.DoesNotContain(TimeZoneNames.Complete("Europe/"), id => !id.StartsWith("Europe/", StringComparison.OrdinalIgnoreCase));
        Assert.Empty(TimeZoneNames.Complete("No/Such_Zone_Anywhere"));
    }
}

public sealed class PreviewInvalidPolicyTests
{
    [Fact]
    public void An_invalid_policy_is_a_non_terminating_error_and_a_bad_range_is_terminating()
    {
        var context = new ClusterOps.Tests.Infrastructure.RecordingOperationContext();
        var request = new ScheduleTriggerRequest
        {
            Policy = new SchedulePolicySpec(Weekly: new WeeklyPolicySection("SUN", "1:00AM")),
            PolicyName = "bad",
            Start = DateTimeOffset.UnixEpoch,
            End = DateTimeOffset.UnixEpoch.AddDays(1),
        };
        OfflineScheduleOperations.PreviewTriggers(request, context);
        var (error, target) = Assert.Single(context.Errors);
        Assert.Equal(SchedulePolicyErrorIds.PolicyInvalid, Assert.IsType<ClusterOps.Core.Common.OperationException>(error).ErrorId);
        Assert.Equal("bad", target);

        Assert.Throws<ClusterOps.Core.Common.OperationException>(() => OfflineScheduleOperations.PreviewTriggers(
            request with { Policy = new SchedulePolicySpec(Interval: new IntervalPolicySection(5)), End = DateTimeOffset.UnixEpoch.AddDays(-1) }, context));
    }
}
