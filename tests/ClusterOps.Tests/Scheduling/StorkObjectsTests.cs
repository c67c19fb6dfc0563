using System.Text.Json.Nodes;
using ClusterOps.Core.Common;
using ClusterOps.Core.Scheduling;

namespace ClusterOps.Tests.Scheduling;

/// <summary>The display and planning rules of the cluster objects, without a cluster.</summary>
public sealed class StorkObjectsTests
{
    private static JsonObject J(string json) => JsonNode.Parse(json)!.AsObject();

    [Fact]
    public void Migration_columns_come_from_the_summary_when_Stork_wrote_one()
    {
        var m = MigrationInfo.From(J("""
            {"metadata":{"name":"m1","namespace":"mysql","creationTimestamp":"2019-02-16T00:40:52Z","annotations":{"stork.libopenstorage.org/migration-schedule-name":"s"}},
             "spec":{"clusterPair":"remotecluster"},
             "status":{"stage":"Final","status":"Successful","finishTimestamp":"2019-02-16T00:41:52Z",
               "summary":{"totalNumberOfVolumes":3,"numOfMigratedVolumes":2,"totalNumberOfResources":12,"numOfMigratedResources":12,
                          "totalBytesMigrated":1048576,"elapsedTimeForVolumeMigration":"1m2s","elapsedTimeForResourceMigration":"3s"}}}
            """));
        Assert.Equal(("2/3", "12/12", "Volumes (1m2s) Resources (3s)", 1048576L, "s"), (m.Volumes, m.Resources, m.Elapsed, m.TotalBytesTransferred!.Value, m.Schedule));
        Assert.Equal("1048576", m.TotalBytes);
        // With a summary storkctl prints the summary's counts even for an excluded part (N/A is the fallback's).
        var excluded = MigrationInfo.From(J("""
            {"metadata":{"name":"m2"},"spec":{"includeVolumes":false},"status":{"summary":{"totalNumberOfVolumes":0,"numOfMigratedVolumes":0,"totalNumberOfResources":2,"numOfMigratedResources":2}}}
            """));
        Assert.Equal(("0/0", "2/2", "0"), (excluded.Volumes, excluded.Resources, excluded.TotalBytes));
        Assert.True(m.IsFinished);
    }

    /// <summary>pkg/storkctl/migration.go migrationPrinter, the branch for a migration without status.summary.</summary>
    [Fact]
    public void Migration_columns_without_a_summary_are_storkctls_elapsed_and_v290_text()
    {
        var now = new DateTimeOffset(2019, 2, 16, 0, 43, 22, TimeSpan.Zero);
        var m = MigrationInfo.From(J("""
            {"metadata":{"name":"old","namespace":"mysql","creationTimestamp":"2019-02-16T00:40:52Z"},"spec":{"clusterPair":"p","includeVolumes":false},
             "status":{"stage":"Applications","status":"InProgress","resources":[{"kind":"Deployment","name":"a","namespace":"mysql","status":"Successful"},{"kind":"Service","name":"b","namespace":"mysql","status":"InProgress"}]}}
            """), now);
        Assert.Equal(("N/A", "1/2", "2m30s", "Available with stork v2.9.0+"), (m.Volumes, m.Resources, m.Elapsed, m.TotalBytes));
        Assert.Null(m.TotalBytesTransferred);
        Assert.False(m.IsFinished);

        var final = MigrationInfo.From(J("""
            {"metadata":{"name":"done","namespace":"mysql","creationTimestamp":"2019-02-16T00:40:52Z"},"spec":{},
             "status":{"stage":"Final","status":"Failed","finishTimestamp":"2019-02-16T01:42:00Z"}}
            """), now);
        Assert.Equal(("1h1m8s", "0/0", "0/0"), (final.Elapsed, final.Volumes, final.Resources));
        Assert.Equal("", MigrationInfo.From(J("""{"metadata":{"name":"f","creationTimestamp":"2019-02-16T00:40:52Z"},"spec":{},"status":{"stage":"Final"}}"""), now).Elapsed);
    }

    [Fact]
    public void Migration_status_storkctl_prints_empty_stays_empty()
    {
        var fresh = MigrationInfo.From(J("""{"metadata":{"name":"new"},"spec":{}}"""));
        Assert.Equal(("", "", ""), (fresh.Status, fresh.Stage, fresh.Elapsed));
    }

    /// <summary>Go's time.RFC822 prints the tzdata abbreviation ("MST" in the layout), not the numeric offset.</summary>
    [Theory]
    [InlineData("Europe/Berlin", 2019, 2, "16 Feb 19 01:41 CET")]
    [InlineData("Europe/Berlin", 2019, 7, "16 Jul 19 02:41 CEST")]
    [InlineData("America/New_York", 2019, 2, "15 Feb 19 19:41 EST")]
    [InlineData("Etc/UTC", 2019, 2, "16 Feb 19 00:41 UTC")]
    [InlineData("Europe/Istanbul", 2019, 2, "16 Feb 19 03:41 +03")]
    public void Rfc822_uses_the_zone_abbreviation_as_gos_time_format(string zoneId, int year, int month, string expected)
    {
        if (!File.Exists(Path.Combine("/usr/share/zoneinfo", zoneId)))
            Assert.Fail($"tzdata for {zoneId} is missing on this machine, so Go's abbreviation cannot be read.");
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        Assert.Equal(expected, GoFormat.Rfc822(new DateTimeOffset(year, month, 16, 0, 41, 52, TimeSpan.Zero), zone));
    }

    [Fact]
    public void Failures_name_each_resource_and_volume_that_did_not_migrate()
    {
        var m = MigrationInfo.From(J("""
            {"metadata":{"name":"f","namespace":"mysql"},"spec":{},
             "status":{"status":"PartialSuccess","resources":[{"kind":"Secret","name":"s","namespace":"mysql","status":"Failed","reason":"forbidden"},{"kind":"Service","name":"ok","namespace":"mysql","status":"Successful"}],
                       "volumes":[{"persistentVolumeClaim":"data","namespace":"mysql","volume":"pv-1","status":"Failed","reason":"timeout"}]}}
            """));
        Assert.Equal(["Secret mysql/s: Failed forbidden", "Volume mysql/data (pv-1): Failed timeout"], m.Failures());
    }

    [Fact]
    public void Cluster_pair_objects_carry_no_credentials()
    {
        var pair = J("""
            {"metadata":{"name":"p","namespace":"mysql","annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\"token\":\"abc\"}"}},
             "spec":{"config":{"current-context":"remote","users":[{"name":"u","user":{"token":"secret-token","client-key-data":"KEY"}}]},"options":{"token":"px-token","ip":"10.0.0.1"}},
             "status":{"schedulerStatus":"Ready","storageStatus":"Ready"}}
            """);
        var info = ClusterPairInfo.From(pair);
        var text = info.Object.ToJsonString();
        Assert.DoesNotContain("secret-token", text, StringComparison.Ordinal);
        Assert.DoesNotContain("KEY", text, StringComparison.Ordinal);
        Assert.DoesNotContain("px-token", text, StringComparison.Ordinal);
        Assert.DoesNotContain("abc", text, StringComparison.Ordinal);
        Assert.Equal(("ip,token", "remote", true), (info.StorageOptions, info.RemoteContext, info.HasStorageOptions));
        Assert.Equal("secret-token", pair["spec"]!["config"]!["users"]![0]!["user"]!["token"]!.GetValue<string>());
    }

    [Fact]
    public void Event_age_reads_like_kubectl_describe()
    {
        var now = new DateTimeOffset(2019, 2, 16, 3, 30, 0, TimeSpan.Zero);
        Assert.Equal("4m55s (x53 over 164m)", KubeEventInfo.Describe(now.AddMinutes(-164), now.AddSeconds(-295), 53, now));
        Assert.Equal("90s", KubeEventInfo.Describe(now.AddSeconds(-90), now.AddSeconds(-90), 1, now));
        Assert.Equal("<unknown>", KubeAge.Of(null, now));
        Assert.Equal("3d4h", KubeAge.HumanDuration(TimeSpan.FromHours(76)));
        var e = KubeEventInfo.Read(J("""
            {"metadata":{"name":"x.1","namespace":"mysql"},"type":"Normal","reason":"Started","message":" ok ","source":{"component":"kubelet","host":"node-1"},"count":2,
             "firstTimestamp":"2019-02-16T03:00:00Z","lastTimestamp":"2019-02-16T03:29:00Z","involvedObject":{"kind":"Pod","name":"p","namespace":"mysql"}}
            """), now);
        Assert.Equal(("kubelet, node-1", "ok", "60s (x2 over 30m)", "Pod"), (e.From, e.Message, KubeEventInfo.AgeCell(e), e.ObjectKind));
        Assert.Equal(TimeSpan.FromSeconds(60), e.Age);
    }

    [Fact]
    public void Any_ClusterOps_object_maps_to_its_kind()
    {
        Assert.Equal(new KubeEventQuery("MigrationSchedule", "s", "mysql"), KubeEventOperations.QueryFor("MigrationSchedule", "MigrationScheduleInfo", "s", "mysql"));
        Assert.Equal(new KubeEventQuery("PersistentVolumeClaim", "data", "mysql"), KubeEventOperations.QueryFor(null, "PersistentVolumeClaimInfo", "data", "mysql"));
        Assert.Equal(new KubeEventQuery("SchedulePolicy", "p", null), KubeEventOperations.QueryFor("SchedulePolicy", "SchedulePolicyInfo", "p", ""));
        var error = Assert.Throws<OperationException>(() => KubeEventOperations.QueryFor(null, "Hashtable", "x", null));
        Assert.Equal(KubeEventOperations.KindMissing, error.ErrorId);
    }

    [Fact]
    public void Replica_plans_follow_the_annotation_Stork_writes()
    {
        JsonObject W(int? replicas, string? stored)
        {
            var o = J("""{"kind":"Deployment","metadata":{"name":"w","namespace":"n"},"spec":{}}""");
            if (replicas is not null) o["spec"]!["replicas"] = replicas;
            if (stored is not null) o["metadata"]!["annotations"] = new JsonObject { [StorkApi.MigrationReplicasAnnotation] = stored };
            return o;
        }
        Assert.Equal((0, 3, 3), MigratedApplicationOperations.Plan(W(0, "3"), activate: true));
        Assert.Equal((3, 0, 3), MigratedApplicationOperations.Plan(W(3, "3"), activate: false));
        Assert.Equal((1, 0, 2), MigratedApplicationOperations.Plan(W(null, "2"), activate: false));
        Assert.Null(MigratedApplicationOperations.Plan(W(1, null), activate: true));
        var seedKey = W(0, null);
        seedKey["metadata"]!["annotations"] = new JsonObject { ["stork.openstorage.org/migrationReplicas"] = "3" };
        Assert.Null(MigratedApplicationOperations.Plan(seedKey, activate: true));
        Assert.Equal(MigratedApplicationOperations.AnnotationInvalid,
            Assert.Throws<OperationException>(() => MigratedApplicationOperations.Plan(W(0, "three"), true)).ErrorId);
    }

    /// <summary>pkg/resourceutils/updatereplicas.go updateCRDObjects, getSuspendIntOpts and getSuspendStringOpts.</summary>
    [Fact]
    public void Registered_suspend_values_follow_storkctls_update_crd_objects()
    {
        var none = new Dictionary<string, string>();
        JsonNode? Value(SuspendOption o, IReadOnlyDictionary<string, string> a, bool activate) => RegisteredApplication.SuspendValue(o, a, activate, out _);

        var stopped = new SuspendOption("spec.stopped", "bool", null);
        Assert.Equal(("false", "true"), (Value(stopped, none, true)!.ToJsonString(), Value(stopped, none, false)!.ToJsonString()));
        var running = new SuspendOption("spec.running", "bool", "false");  // "suspended" is running=false
        Assert.Equal(("true", "false"), (Value(running, none, true)!.ToJsonString(), Value(running, none, false)!.ToJsonString()));

        var size = new SuspendOption("spec.size", "int", null);
        var stored = new Dictionary<string, string> { ["stork.libopenstorage.org/spec.size"] = "3,0" };
        Assert.Equal(("3", "0"), (Value(size, stored, true)!.ToJsonString(), Value(size, stored, false)!.ToJsonString()));
        Assert.Equal("5", Value(size, new Dictionary<string, string> { ["stork.libopenstorage.org/migrationCRDActivate"] = "5" }, true)!.ToJsonString());
        Assert.Throws<FormatException>(() => Value(size, none, true));

        var mode = new SuspendOption("spec.mode", "string", null);
        var modes = new Dictionary<string, string> { ["stork.libopenstorage.org/spec.mode"] = "Running,Stopped" };
        Assert.Equal(("Running", "Stopped"), (Value(mode, modes, true)!.GetValue<string>(), Value(mode, modes, false)!.GetValue<string>()));
        Assert.Contains("does not have proper values", Assert.Throws<FormatException>(() => Value(mode, new Dictionary<string, string> { ["stork.libopenstorage.org/spec.mode"] = "x" }, true)).Message);
        Assert.Contains("migrationCRDDeactivate", Assert.Throws<FormatException>(() => Value(mode, none, false)).Message);
        Assert.Contains("invalid type", Assert.Throws<FormatException>(() => Value(new SuspendOption("spec.x", "float", null), none, true)).Message);

        RegisteredApplication.SuspendValue(new SuspendOption("stopped", "bool", null), none, true, out var apply);
        Assert.False(apply); // a path of one segment is ignored, as storkctl's len(specPath) > 1 check does

        var registration = J("""
            {"metadata":{"name":"r"},"resources":[{"group":"g.io","version":"v1","kind":"K","podsPath":"status.pods",
              "suspendOptions":{"path":"spec.stopped","type":"bool"},"nestedSuspendOptions":[{"path":"spec.a.b","type":"int"}]}]}
            """);
        var app = Assert.Single(RegisteredApplication.From(registration));
        Assert.Equal(["spec.a.b", "spec.stopped"], app.Options.Select(o => o.Path));
        Assert.Equal(["p-0", "p-1"], app.Pods(J("""{"status":{"pods":["p-0","p-1"]}}""")));
    }

    /// <summary>pkg/utils DoesMigrationScheduleMigrateNamespaces and storkctl deactivate's static-copy check.</summary>
    [Fact]
    public void A_schedule_is_relevant_by_name_or_namespace_selector_and_deactivation_marks_only_static_copies()
    {
        var byName = J("""{"metadata":{"name":"s"},"spec":{"template":{"spec":{"namespaces":["shop"]}}}}""");
        var bySelector = J("""{"metadata":{"name":"s","annotations":{"stork.libopenstorage.org/static-copy":"false"}},"spec":{"template":{"spec":{"namespaceSelectors":{"tier":"gold","env":"dr"}}}}}""");
        var labels = new Dictionary<string, string> { ["env"] = "dr" };
        Assert.True(MigrationScheduleActivation.Migrates(byName, "shop", new Dictionary<string, string>()));
        Assert.False(MigrationScheduleActivation.Migrates(byName, "other", labels));
        Assert.True(MigrationScheduleActivation.Migrates(bySelector, "other", labels));
        Assert.False(MigrationScheduleActivation.Migrates(bySelector, "other", new Dictionary<string, string> { ["env"] = "prod" }));
        Assert.True(MigrationScheduleActivation.IsMarked(byName, activate: true));
        Assert.False(MigrationScheduleActivation.IsMarked(byName, activate: false));
        Assert.True(MigrationScheduleActivation.IsMarked(bySelector, activate: false)); // the annotation's presence counts, as in storkctl
    }

    [Fact]
    public void The_schedule_object_holds_what_storkctl_writes()
    {
        var request = new MigrationScheduleRequest
        {
            Name = "mysqlmigrationschedule", Namespace = "mysql", ClusterPair = "remotecluster", Namespaces = ["mysql"],
            StartApplications = false, Selectors = new Dictionary<string, string> { ["app"] = "mysql" }, PreExecRule = "flush",
        };
        var o = MigrationScheduleOperations.Build(request, ["mysql"], "testpolicy", includeVolumes: false);
        var info = MigrationScheduleInfo.From(o);
        Assert.Equal(("testpolicy", "remotecluster", false, "mysql", true, false, false), (info.PolicyName, info.ClusterPair, info.Suspend, info.Namespaces, info.IncludeResources, info.IncludeVolumes, info.StartApplications));
        Assert.Equal("mysql", o["spec"]!["template"]!["spec"]!["selectors"]!["app"]!.GetValue<string>());
        Assert.Equal("flush", o["spec"]!["template"]!["spec"]!["preExecRule"]!.GetValue<string>());
        Assert.Null(o["spec"]!["template"]!["spec"]!["postExecRule"]);
    }

    [Fact]
    public void Name_completion_matches_prefixes_and_wildcards()
    {
        string[] names = ["default-daily-policy", "default-migration-policy", "testpolicy"];
        Assert.Equal(["default-daily-policy", "default-migration-policy"], NameCompletion.Filter(names, "def"));
        Assert.Equal(["default-migration-policy"], NameCompletion.Filter(names, "*migr*"));
        Assert.Equal(names, NameCompletion.Filter(names, "'"));
    }
}
