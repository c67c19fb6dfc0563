using System.Text.Json.Nodes;
using ClusterOps.Core.Common;
using ClusterOps.Core.Scheduling;

namespace ClusterOps.Tests.Scheduling;

public sealed class SchedulePolicyDocumentTests
{
    private static SchedulePolicyDocument Seed() =>
        Assert.Single(SchedulePolicyYaml.Load(new StringReader(SeedPolicies.TestPolicyYaml)));

    [Fact]
    public void Seed_testpolicy_reads_as_storkctl_prints_it()
    {
        var info = SchedulePolicyInfo.From(Seed());

        // storkctl get schedulepolicy: NAME INTERVAL-MINUTES DAILY WEEKLY MONTHLY
        //                              testpolicy 1 10:14PM Thursday@10:13PM 14@8:05PM
        Assert.Equal(
            ["testpolicy", "1", "10:14PM", "Thursday@10:13PM", "14@8:05PM"],
            [info.Name, info.Interval, info.Daily, info.Weekly, info.Monthly]);
        Assert.Equal(SchedulePolicyScope.Cluster, info.Scope);
        Assert.Null(info.Namespace); // cluster-scoped: the seed's "namespace: mysql" means nothing
        Assert.True(info.IsValid);
        Assert.Equal(1, info.IntervalMinutes);
        Assert.Equal(14, info.MonthlyDate);
        Assert.Equal([10, 30, 7, 12], new int?[] { info.IntervalRetain, info.DailyRetain, info.WeeklyRetain, info.MonthlyRetain }.Select(r => r!.Value));
    }

    [Fact]
    public void Seed_testpolicy_has_only_the_namespace_warning()
    {
        var problem = Assert.Single(SchedulePolicyValidator.Validate(Seed(), "seed.yaml"));
        Assert.Equal(SchedulePolicyErrorIds.NamespaceIgnored, problem.ErrorId);
        Assert.Equal(SchedulePolicySeverity.Warning, problem.Severity);
        Assert.Equal("seed.yaml", problem.Source);
        Assert.Contains("cluster-scoped", problem.Message);
    }

    [Fact]
    public void Storkctl_cells_show_NA_for_absent_and_Invalid_for_sections_Stork_rejects()
    {
        var spec = new SchedulePolicySpec(
            Interval: new IntervalPolicySection(0),
            Weekly: new WeeklyPolicySection("SUN", "10:13PM"),
            Monthly: new MonthlyPolicySection(31, "8:05pm"));
        Assert.Equal("Invalid", StorkctlSchedulePolicyColumns.Interval(spec));
        Assert.Equal("N/A", StorkctlSchedulePolicyColumns.Daily(spec));
        Assert.Equal("Invalid", StorkctlSchedulePolicyColumns.Weekly(spec));
        Assert.Equal("31@8:05pm", StorkctlSchedulePolicyColumns.Monthly(spec)); // verbatim, lower-case kept
    }

    [Fact]
    public void Unknown_fields_survive_a_read_modify_write()
    {
        var doc = SchedulePolicyDocument.Parse("""
            {"apiVersion":"stork.libopenstorage.org/v1alpha1","kind":"SchedulePolicy",
             "metadata":{"name":"p","resourceVersion":"42","labels":{"team":"dr"}},
             "policy":{"daily":{"time":"10:14PM","futureField":{"x":1}},"weekly":{"day":"Sun","time":"1:00AM","options":{"k":"v"}},"newSection":{"a":true}},
             "extra":[1,2]}
            """);
        var spec = doc.ReadSpec();
        doc.WriteSpec(spec with { Daily = spec.Daily! with { Time = "11:00PM" }, Monthly = new MonthlyPolicySection(1, "12:00AM", Retain: 3) });

        var json = doc.Json;
        Assert.Equal("11:00PM", (string?)json["policy"]!["daily"]!["time"]);
        Assert.Equal(1, (int?)json["policy"]!["daily"]!["futureField"]!["x"]);
        Assert.Equal("v", (string?)json["policy"]!["weekly"]!["options"]!["k"]);
        Assert.True((bool?)json["policy"]!["newSection"]!["a"]);
        Assert.Equal(2, json["extra"]!.AsArray().Count);
        Assert.Equal("dr", (string?)json["metadata"]!["labels"]!["team"]);
        Assert.Equal(3, (int?)json["policy"]!["monthly"]!["retain"]);
        Assert.Equal("42", doc.ResourceVersion);
    }

    [Fact]
    public void Writing_a_spec_removes_absent_sections_and_zero_values()
    {
        var doc = SchedulePolicyDocument.Create("p", null, new SchedulePolicySpec(Interval: new IntervalPolicySection(30, Retain: 5)));
        doc.WriteSpec(new SchedulePolicySpec(Interval: new IntervalPolicySection(15), Daily: new DailyPolicySection("12:00am")));
        Assert.Equal("""{"apiVersion":"stork.libopenstorage.org/v1alpha1","kind":"SchedulePolicy","metadata":{"name":"p"},"policy":{"interval":{"intervalMinutes":15},"daily":{"time":"12:00am"}}}""",
            doc.ToJsonString());
    }

    [Fact]
    public void Create_with_a_namespace_makes_a_NamespacedSchedulePolicy()
    {
        var doc = SchedulePolicyDocument.Create("p", "apps", new SchedulePolicySpec(Daily: new DailyPolicySection("1:00AM")));
        Assert.Equal(StorkApi.NamespacedSchedulePolicyKind, doc.Kind);
        Assert.Equal(SchedulePolicyScope.Namespaced, doc.Scope);
        Assert.Equal("apps", doc.EffectiveNamespace);
        Assert.Empty(SchedulePolicyValidator.Validate(doc));
        Assert.Equal(doc.ReadSpec(), SchedulePolicyDocument.Parse(doc.ToJsonString()).ReadSpec());
    }

    [Fact]
    public void Wrong_json_types_are_errors_because_Stork_cannot_decode_the_object()
    {
        var doc = Assert.Single(SchedulePolicyYaml.Load(new StringReader("""
            apiVersion: stork.libopenstorage.org/v1alpha1
            kind: SchedulePolicy
            metadata: {name: quoted}
            policy:
              monthly:
                date: "14"
                time: 8:05PM
              weekly:
                day: Sun
                time: 1005
            """)));
        var problems = SchedulePolicyValidator.Validate(doc);
        var typeErrors = problems.Where(p => p.ErrorId == SchedulePolicyErrorIds.FieldType).ToList();
        Assert.Equal(["MonthlyDate", "WeeklyTime"], typeErrors.Select(p => p.Field).Order());
        Assert.Contains("\"14\" is not a whole number", typeErrors.Single(p => p.Field == "MonthlyDate").Message);
        Assert.False(SchedulePolicyInfo.From(doc).IsValid);
    }

    [Fact]
    public void Fields_Stork_ignores_are_warned_about_with_a_case_hint()
    {
        var doc = SchedulePolicyDocument.Parse("""
            {"apiVersion":"stork.libopenstorage.org/v1alpha1","kind":"SchedulePolicy","metadata":{"name":"p"},
             "spec":{},"policy":{"Daily":{"time":"1:00AM"},"daily":{"Time":"1:00AM","timezone":"Europe/Paris"}}}
            """);
        var problems = SchedulePolicyValidator.Validate(doc);
        var unknown = problems.Where(p => p.ErrorId == SchedulePolicyErrorIds.UnknownField).Select(p => p.Path).ToList();
        Assert.Equal(["spec", "policy.Daily", "policy.daily.Time", "policy.daily.timezone"], unknown);
        Assert.Contains(problems, p => p.Path == "policy.daily.Time" && p.Message.Contains("did you mean 'time'"));
        // "Time" is not "time" to Stork, so the daily time is empty: an error.
        Assert.Contains(problems, p => p.ErrorId == SchedulePolicyErrorIds.TimeInvalid && p.Value == "");
    }

    [Fact]
    public void Kind_and_name_are_checked()
    {
        var doc = SchedulePolicyDocument.Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{},"policy":{"interval":{"intervalMinutes":5}}}""");
        var ids = SchedulePolicyValidator.Validate(doc).Select(p => p.ErrorId).ToList();
        Assert.Contains(SchedulePolicyErrorIds.KindInvalid, ids);
        Assert.Contains(SchedulePolicyErrorIds.NameMissing, ids);
    }

    [Fact]
    public void Yaml_file_with_several_documents_yields_only_the_policies()
    {
        var path = SeedPolicies.WriteTemp(SeedPolicies.TestPolicyYaml + "\n---\n" + SeedPolicies.MigrationScheduleYaml + "\n---\n" + """
            apiVersion: stork.libopenstorage.org/v1alpha1
            kind: NamespacedSchedulePolicy
            metadata:
              name: nightly
              namespace: mysql
            policy:
              daily:
                time: 1:30am
                retain: 4
            """);
        try
        {
            var policies = SchedulePolicyYaml.LoadFile(path);
            Assert.Equal(["testpolicy", "nightly"], policies.Select(p => p.Name));
            var nightly = SchedulePolicyInfo.From(policies[1], path);
            Assert.Equal(("mysql", SchedulePolicyScope.Namespaced, 4, path), (nightly.Namespace, nightly.Scope, nightly.DailyRetain!.Value, nightly.Source));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Yaml_scalars_resolve_like_kubectl()
    {
        var obj = Assert.Single(SchedulePolicyYaml.ReadObjects(new StringReader("""
            a: 014
            b: "014"
            c: yes
            d: 8:05PM
            e: ~
            f: 1.5
            g: 0x1F
            h: '12'
            """)));
        Assert.Equal("""{"a":12,"b":"014","c":true,"d":"8:05PM","e":null,"f":1.5,"g":31,"h":"12"}""", obj.ToJsonString());
    }

    [Fact]
    public void Missing_file_invalid_yaml_and_files_without_policies_fail_with_stable_ids()
    {
        var missing = Assert.Throws<OperationException>(() => SchedulePolicyYaml.LoadFile("/nonexistent/policy.yaml"));
        Assert.Equal(SchedulePolicyYaml.FileNotFound, missing.ErrorId);

        var bad = SeedPolicies.WriteTemp("policy: [unclosed");
        var none = SeedPolicies.WriteTemp(SeedPolicies.MigrationScheduleYaml);
        try
        {
            var invalid = Assert.Throws<OperationException>(() => SchedulePolicyYaml.LoadFile(bad));
            Assert.Equal(SchedulePolicyYaml.YamlInvalid, invalid.ErrorId);
            Assert.Contains("line", invalid.Message);
            Assert.Equal(SchedulePolicyYaml.NoPolicyInFile, Assert.Throws<OperationException>(() => SchedulePolicyYaml.LoadFile(none)).ErrorId);
        }
        finally
        {
            File.Delete(bad);
            File.Delete(none);
        }
    }

    [Fact]
    public void FromJson_uses_the_node_it_is_given()
    {
        var node = new JsonObject { ["apiVersion"] = StorkApi.ApiVersion, ["kind"] = "SchedulePolicy", ["metadata"] = new JsonObject { ["name"] = "n" } };
        var doc = SchedulePolicyDocument.FromJson(node);
        doc.WriteSpec(new SchedulePolicySpec(Interval: new IntervalPolicySection(5)));
        Assert.Equal(5, (int?)node["policy"]!["interval"]!["intervalMinutes"]);
        var clone = doc.Clone();
        clone.WriteSpec(new SchedulePolicySpec());
        Assert.NotNull(node["policy"]!["interval"]);
    }
}

public sealed class SchedulePolicyDecoderRangeTests
{
    [Fact]
    public void Numbers_past_int32_decode_as_Go_int64_and_meet_the_range_checks()
    {
        var doc = SchedulePolicyDocument.Parse("""
            {"apiVersion":"stork.libopenstorage.org/v1alpha1","kind":"SchedulePolicy","metadata":{"name":"big"},
             "policy":{"interval":{"intervalMinutes":3000000000},"monthly":{"date":4294967297,"time":"1:00AM"}}}
            """);
        var ids = SchedulePolicyValidator.Validate(doc).Select(p => p.ErrorId).ToList();
        Assert.Equal([SchedulePolicyErrorIds.IntervalOverflow, SchedulePolicyErrorIds.DateOutOfRange], ids);
    }
}
