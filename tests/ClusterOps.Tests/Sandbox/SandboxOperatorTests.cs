using System.Text.Json.Nodes;
using ClusterOps.Sandbox;
using ClusterOps.Sandbox.Controllers;
using static ClusterOps.Tests.Sandbox.SandboxHttp;

namespace ClusterOps.Tests.Sandbox;

/// <summary>The stork and 3scale scenarios and their simulated operators.</summary>
public sealed class SandboxOperatorTests
{
    private static async Task Eventually(string what, Func<bool> condition, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException($"timed out waiting for: {what}");
            await Task.Delay(25);
        }
    }

    private static SandboxOptions Fast(string scenario) => new() { Scenario = scenario, ReadyDelay = TimeSpan.FromMilliseconds(100) };

    // ---------------------------------------------------------------- stork policy maths

    [Theory]
    [InlineData("10:14PM", 22, 14)]
    [InlineData("10:14pm", 22, 14)]
    [InlineData("01:02PM", 13, 2)]
    [InlineData("0:30AM", 0, 30)]
    [InlineData("12:00am", 0, 0)]
    [InlineData("12:05PM", 12, 5)]
    public void Kitchen_times_parse_as_go_does(string text, int hour, int minute)
    {
        Assert.True(ControllerManager.TryParseKitchen(text, out var t));
        Assert.Equal(new TimeSpan(hour, minute, 0), t);
    }

    [Theory]
    [InlineData("10:14Pm")]
    [InlineData("10:14 PM")]
    [InlineData("22:14")]
    [InlineData("1:5PM")]
    [InlineData("13:15pm")]
    [InlineData("25:15am")]
    [InlineData("10:14PM\n")]
    [InlineData("10:14pm\n")]
    public void Kitchen_times_go_rejects_are_rejected(string text) => Assert.False(ControllerManager.TryParseKitchen(text, out _));

    [Fact]
    public void Weekday_names_are_the_exact_keys_stork_accepts()
    {
        Assert.Equal(DayOfWeek.Thursday, ControllerManager.ParseWeekday("Thurs"));
        Assert.Equal(DayOfWeek.Sunday, ControllerManager.ParseWeekday("sun"));
        Assert.Null(ControllerManager.ParseWeekday("SUN"));
        Assert.Null(ControllerManager.ParseWeekday("SUNDAY"));
    }

    [Fact]
    public void Policy_validation_reports_the_first_bad_section()
    {
        Assert.Equal("Invalid intervalMinutes (0) in Interval policy", ControllerManager.ValidatePolicy(Obj("""{"interval":{"intervalMinutes":0}}""")));
        Assert.Equal("Invalid date of the month (32) in Monthly policy", ControllerManager.ValidatePolicy(Obj("""{"monthly":{"date":32,"time":"1:00AM"}}""")));
        Assert.Null(ControllerManager.ValidatePolicy(Obj("""{"monthly":{"date":31,"time":"1:00AM"},"interval":{"intervalMinutes":5}}""")));
    }

    /// <summary>
    /// schedulepolicy.go's Validate methods: the time is checked before the weekday or the date, the message carries
    /// Go's time.Parse error of the second ("3:04pm") layout, and ValidateSchedulePolicy (pkg/schedule/schedule.go)
    /// goes interval, daily, weekly, monthly.
    /// </summary>
    [Theory]
    [InlineData("""{"weekly":{"day":"SUN","time":"25:00PM"}}""", "Invalid time (25:00PM) in Weekly policy: parsing time \"25:00PM\": hour out of range")]
    [InlineData("""{"weekly":{"day":"SUN","time":"1:00PM"}}""", "Invalid day of the week (SUN) in Weekly policy")]
    [InlineData("""{"monthly":{"date":40,"time":"10:14 PM"}}""", "Invalid time (10:14 PM) in Monthly policy: parsing time \"10:14 PM\" as \"3:04pm\": cannot parse \" PM\" as \"pm\"")]
    [InlineData("""{"daily":{"time":"10:14Pm"}}""", "Invalid time (10:14Pm) in Daily policy: parsing time \"10:14Pm\" as \"3:04pm\": cannot parse \"Pm\" as \"pm\"")]
    [InlineData("""{"daily":{"time":"1:5PM"}}""", "Invalid time (1:5PM) in Daily policy: parsing time \"1:5PM\" as \"3:04pm\": cannot parse \"5PM\" as \"04\"")]
    [InlineData("""{"daily":{"time":"10:14pm\n"}}""", "Invalid time (10:14pm\n) in Daily policy: parsing time \"10:14pm\\n\": extra text: \"\\n\"")]
    [InlineData("""{"monthly":{"date":0,"time":"bad"},"daily":{"time":"22:14"}}""", "Invalid time (22:14) in Daily policy: parsing time \"22:14\": hour out of range")]
    public void Validate_messages_and_order_match_storks_schedulepolicy_validate(string policy, string expected) =>
        Assert.Equal(expected, ControllerManager.ValidatePolicy(Obj(policy)));

    [Fact]
    public void Interval_triggers_without_history_and_strictly_after_the_interval()
    {
        var p = Obj("""{"interval":{"intervalMinutes":30}}""");
        var now = new DateTimeOffset(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
        Assert.True(ControllerManager.TriggerRequired(p, "Interval", null, now));
        Assert.False(ControllerManager.TriggerRequired(p, "Interval", now.AddMinutes(-30), now));
        Assert.True(ControllerManager.TriggerRequired(p, "Interval", now.AddMinutes(-30).AddSeconds(-1), now));
        Assert.False(ControllerManager.TriggerRequired(p, "Daily", null, now));
    }

    [Fact]
    public void Daily_triggers_only_inside_the_one_hour_window_without_catch_up()
    {
        var p = Obj("""{"daily":{"time":"10:00PM"}}""");
        var day = new DateTimeOffset(2026, 3, 10, 0, 0, 0, TimeSpan.Zero);
        Assert.False(ControllerManager.TriggerRequired(p, "Daily", null, day.AddHours(21).AddMinutes(59)));
        Assert.True(ControllerManager.TriggerRequired(p, "Daily", null, day.AddHours(22)));
        Assert.True(ControllerManager.TriggerRequired(p, "Daily", null, day.AddHours(22).AddMinutes(59)));
        Assert.False(ControllerManager.TriggerRequired(p, "Daily", null, day.AddHours(23)));
        Assert.False(ControllerManager.TriggerRequired(p, "Daily", day.AddHours(22).AddMinutes(1), day.AddHours(22).AddMinutes(30)));
        var late = Obj("""{"daily":{"time":"11:30PM"}}""");
        Assert.False(ControllerManager.TriggerRequired(late, "Daily", null, day.AddDays(1).AddMinutes(10)));
    }

    /// <summary>
    /// pkg/schedule/schedule.go builds the monthly target from the current month, so after midnight it is still the
    /// same evening's target and the one-hour window runs on; a daily target moves to the new day instead.
    /// </summary>
    [Fact]
    public void Monthly_window_opened_late_in_the_evening_stays_open_past_midnight_as_storks_checkTrigger()
    {
        var p = Obj("""{"monthly":{"date":15,"time":"11:30PM"}}""");
        var target = new DateTimeOffset(2026, 3, 15, 23, 30, 0, TimeSpan.Zero);
        Assert.True(ControllerManager.TriggerRequired(p, "Monthly", null, target.AddMinutes(45)));
        Assert.False(ControllerManager.TriggerRequired(p, "Monthly", null, target.AddHours(1)));
        Assert.False(ControllerManager.TriggerRequired(p, "Monthly", target, target.AddMinutes(45)));
    }

    [Fact]
    public void Monthly_day_31_is_skipped_in_a_30_day_month()
    {
        var p = Obj("""{"monthly":{"date":31,"time":"1:00AM"}}""");
        // In April the target normalises to May 1st, which is recomputed from May once May arrives: April 31 never fires.
        Assert.False(ControllerManager.TriggerRequired(p, "Monthly", null, new DateTimeOffset(2026, 4, 30, 1, 30, 0, TimeSpan.Zero)));
        Assert.False(ControllerManager.TriggerRequired(p, "Monthly", null, new DateTimeOffset(2026, 5, 1, 1, 30, 0, TimeSpan.Zero)));
        Assert.True(ControllerManager.TriggerRequired(p, "Monthly", null, new DateTimeOffset(2026, 5, 31, 1, 30, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Go_durations_print_like_go()
    {
        Assert.Equal("0s", ControllerManager.GoDuration(TimeSpan.Zero));
        Assert.Equal("250ms", ControllerManager.GoDuration(TimeSpan.FromMilliseconds(250)));
        Assert.Equal("5m0s", ControllerManager.GoDuration(TimeSpan.FromMinutes(5)));
        Assert.Equal("1h2m3s", ControllerManager.GoDuration(new TimeSpan(1, 2, 3)));
    }

    // ---------------------------------------------------------------- stork scenario and controller

    [Fact]
    public async Task Stork_scenario_has_default_policies_two_cluster_pairs_and_a_running_app()
    {
        await using var server = await SandboxFixture.StartAsync(Fast("stork"));
        Assert.Contains("namespace: mysql", await File.ReadAllTextAsync(server.KubeConfigPath));
        var policies = server.List("schedulepolicies.stork.libopenstorage.org").ToDictionary(p => p.Str("metadata", "name")!);
        Assert.Equal(["default-daily-policy", "default-interval-policy", "default-migration-policy", "default-monthly-policy", "default-weekly-policy"], policies.Keys.Order());
        Assert.Equal("30", policies["default-migration-policy"].Str("policy", "interval", "intervalMinutes"));
        Assert.Null(policies["default-migration-policy"]["metadata"]!["namespace"]);
        var pairs = server.List("clusterpairs.stork.libopenstorage.org", "mysql");
        Assert.Equal(2, pairs.Count);
        Assert.Single(pairs, p => p["spec"]!["options"] is JsonObject { Count: > 0 });
        Assert.Single(pairs, p => p["spec"]!["options"] == null);
        Assert.Equal(1, server.Get("deploy", "mysql", "mysql")!["status"]!["readyReplicas"]!.GetValue<long>());
        Assert.Equal(2, server.Get("sts", "mysql", "mysql-replica")!["status"]!["readyReplicas"]!.GetValue<long>());
        Assert.All(server.List("pvc", "mysql"), c => Assert.Equal("Bound", c.Str("status", "phase")));
    }

    private static JsonObject Schedule(string name, string policy, string pair, bool failAnnotated = false)
    {
        var s = Obj("""
            {"apiVersion":"stork.libopenstorage.org/v1alpha1","kind":"MigrationSchedule","metadata":{"name":"__N__","namespace":"mysql","annotations":{"team":"dba"}},
             "spec":{"schedulePolicyName":"__P__","template":{"spec":{"clusterPair":"__C__","namespaces":["mysql"]}}}}
            """.Replace("__N__", name).Replace("__P__", policy).Replace("__C__", pair));
        if (failAnnotated) s["metadata"]!["annotations"]!["sandbox.clusterops.io/fail"] = "true";
        return s;
    }

    [Fact]
    public async Task Migration_schedule_triggers_runs_prunes_and_cleans_up()
    {
        await using var server = await SandboxFixture.StartAsync(Fast("stork"));
        server.Create(Schedule("mysqlmigrationschedule", "default-migration-policy", "remotecluster"));
        JsonArray Items() => server.Get("migrationschedules.stork.libopenstorage.org", "mysql", "mysqlmigrationschedule")?["status"]?["items"]?["Interval"] as JsonArray ?? new JsonArray();
        await Eventually("first migration successful", () => Items().Count == 1 && Items()[0].Str("status") == "Successful");
        var first = Items()[0]!;
        var firstName = first.Str("name")!;
        Assert.Matches("^mysqlmigrationschedule-interval-\\d{4}-\\d\\d-\\d\\d-\\d{6}$", firstName);
        Assert.NotNull(first["finishTimestamp"]);
        var mig = server.Get("migrations.stork.libopenstorage.org", "mysql", firstName)!;
        Assert.Equal("MigrationSchedule", mig["metadata"]!["ownerReferences"]![0].Str("kind"));
        Assert.Equal("mysqlmigrationschedule", mig.Str("metadata", "annotations", "stork.libopenstorage.org/migration-schedule-name"));
        Assert.Equal("dba", mig.Str("metadata", "annotations", "team"));
        Assert.Equal("true", mig.Str("spec", "includeVolumes"));
        Assert.Equal("false", mig.Str("spec", "startApplications"));
        Assert.Equal("Final", mig.Str("status", "stage"));
        Assert.Equal("3", mig.Str("status", "summary", "numOfMigratedVolumes"));
        var sched = server.Get("migrationschedules.stork.libopenstorage.org", "mysql", "mysqlmigrationschedule")!;
        Assert.Contains("stork.libopenstorage.org/finalizer-cleanup", sched["metadata"]!["finalizers"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Equal("false", sched.Str("spec", "suspend"));
        Assert.Contains(server.List("events", "mysql"), e => e.Str("reason") == "Successful" && e.Str("involvedObject", "kind") == "MigrationSchedule"
            && e.Str("message") == $"Scheduled migration ({firstName}) completed successfully");

        // Not due yet inside the interval; due once the sandbox clock passes it.
        await Task.Delay(300);
        Assert.Single(Items());
        server.Clock.Advance(TimeSpan.FromMinutes(31));
        await Eventually("second migration successful and the first pruned", () => Items().Count == 1 && Items()[0].Str("name") != firstName && Items()[0].Str("status") == "Successful");
        Assert.Null(server.Get("migrations.stork.libopenstorage.org", "mysql", firstName));

        var second = Items()[0].Str("name")!;
        server.Delete("migrationschedules.stork.libopenstorage.org", "mysql", "mysqlmigrationschedule");
        await Eventually("schedule and its migrations gone", () =>
            server.Get("migrationschedules.stork.libopenstorage.org", "mysql", "mysqlmigrationschedule") == null
            && server.Get("migrations.stork.libopenstorage.org", "mysql", second) == null);
    }

    [Fact]
    public async Task Failed_migrations_are_kept_and_reported_and_a_missing_policy_raises_an_event()
    {
        await using var server = await SandboxFixture.StartAsync(Fast("stork"));
        server.Create(Schedule("failing", "default-migration-policy", "remotecluster-sync", failAnnotated: true));
        JsonArray Items() => server.Get("migrationschedules.stork.libopenstorage.org", "mysql", "failing")?["status"]?["items"]?["Interval"] as JsonArray ?? new JsonArray();
        await Eventually("failed", () => Items().Count == 1 && Items()[0].Str("status") == "Failed");
        var name = Items()[0].Str("name")!;
        var mig = server.Get("migrations.stork.libopenstorage.org", "mysql", name)!;
        Assert.Empty(mig["status"]!["volumes"]?.AsArray() ?? new JsonArray());
        Assert.Contains(server.List("events", "mysql"), e => e.Str("reason") == "Failed" && e.Str("message") == $"Scheduled migration ({name}) status Failed");
        server.Clock.Advance(TimeSpan.FromMinutes(31));
        await Eventually("second failure kept with the first", () => Items().Count == 2 && Items().All(i => i.Str("status") == "Failed"));

        server.Create(Schedule("nopolicy", "does-not-exist", "remotecluster"));
        await Eventually("policy event", () => server.List("events", "mysql").Any(e => e.Str("involvedObject", "name") == "nopolicy"
            && e.Str("message")!.StartsWith("Error checking if migration should be triggered:", StringComparison.Ordinal)));
        Assert.Null(server.Get("migrationschedules.stork.libopenstorage.org", "mysql", "nopolicy")!["status"]?["items"]);
    }

    // ---------------------------------------------------------------- 3scale

    private static JsonObject Backup(string name) => Obj("""
        {"apiVersion":"apps.3scale.net/v1alpha1","kind":"APIManagerBackup","metadata":{"name":"__N__","namespace":"3scale"},
         "spec":{"backupDestination":{"persistentVolumeClaim":{"resources":{"requests":"1Gi"}}}}}
        """.Replace("__N__", name));

    [Fact]
    public async Task Threescale_scenario_has_an_available_apimanager_with_pvc_file_storage()
    {
        await using var server = await SandboxFixture.StartAsync(Fast("3scale"));
        var am = server.Get("apimanagers.apps.3scale.net", "3scale", "example-apimanager")!;
        Assert.Equal("nfs-rwx", am.Str("spec", "system", "fileStorage", "persistentVolumeClaim", "storageClassName"));
        Assert.Equal("true", am.Str("spec", "externalComponents", "system", "database"));
        Assert.Contains(am["status"]!["conditions"]!.AsArray(), c => c.Str("type") == "Available" && c.Str("status") == "True");
        Assert.Contains("system-sidekiq", am["status"]!["deployments"]!["ready"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.Equal("Bound", server.Get("pvc", "3scale", "system-storage").Str("status", "phase"));
        Assert.Equal("ReadWriteMany", server.Get("pvc", "3scale", "system-storage")!["spec"]!["accessModes"]![0].Str());
        foreach (var s in new[] { "backend-internal-api", "system-database", "system-seed", "zync" }) Assert.NotNull(server.Get("secret", "3scale", s));
        Assert.NotNull(server.Get("cm", "3scale", "system-environment"));
    }

    [Fact]
    public async Task Backup_runs_its_job_steps_and_writes_status_in_the_operators_order()
    {
        await using var server = await SandboxFixture.StartAsync(Fast("3scale"));
        server.Create(Backup("nightly"));
        JsonObject? Status() => server.Get("apimanagerbackups.apps.3scale.net", "3scale", "nightly")?["status"] as JsonObject;
        var seenJobs = new HashSet<string>();
        await Eventually("backup completed", () =>
        {
            foreach (var j in server.List("jobs", "3scale")) seenJobs.Add(j.Str("metadata", "name")!);
            return Status()?["completed"]?.GetValue<bool>() == true;
        });
        var uid = server.Get("apimanagerbackups.apps.3scale.net", "3scale", "nightly").Str("metadata", "uid");
        Assert.Equal(["apiManagerSourceName", "startTime", "backupPersistentVolumeClaimName", "mainStepsCompleted", "completed", "completionTime"], Status()!.Select(kv => kv.Key));
        Assert.Equal("example-apimanager", Status().Str("apiManagerSourceName"));
        Assert.Equal("nightly", Status().Str("backupPersistentVolumeClaimName"));
        Assert.Contains($"backup-cfgmaps-secrets-{uid}", seenJobs);
        Assert.Contains($"backup-apimanager-cr-{uid}", seenJobs);
        Assert.Contains($"backup-system-fs-pvc-{uid}", seenJobs);
        Assert.Empty(server.List("jobs", "3scale"));
        var pvc = server.Get("pvc", "3scale", "nightly")!;
        Assert.Null(pvc["metadata"]!["ownerReferences"]);
        Assert.Equal("nightly", pvc.Str("metadata", "annotations", "apiManagerBackupName"));
        Assert.NotNull(server.Get("serviceaccount", "3scale", "apimanager-backup"));
        Assert.NotNull(server.Get("rolebinding", "3scale", "apimanager-backup"));

        server.Delete("apimanagerbackups.apps.3scale.net", "3scale", "nightly");
        await Task.Delay(200);
        Assert.NotNull(server.Get("pvc", "3scale", "nightly"));
    }

    [Fact]
    public async Task Backup_with_a_missing_secret_waits_forever_on_its_failed_job()
    {
        await using var server = await SandboxFixture.StartAsync(Fast("3scale"));
        server.Delete("secret", "3scale", "system-smtp");
        server.Create(Backup("broken"));
        var uid = await Task.Run(async () =>
        {
            await Eventually("cr created", () => server.Get("apimanagerbackups.apps.3scale.net", "3scale", "broken")?["status"]?["backupPersistentVolumeClaimName"] != null);
            return server.Get("apimanagerbackups.apps.3scale.net", "3scale", "broken").Str("metadata", "uid");
        });
        await Eventually("job failed", () => server.Get("job", "3scale", $"backup-cfgmaps-secrets-{uid}")?["status"]?["failed"]?.GetValue<long>() == 1);
        await Task.Delay(500);
        var st = server.Get("apimanagerbackups.apps.3scale.net", "3scale", "broken")!["status"]!.AsObject();
        Assert.False(st.ContainsKey("mainStepsCompleted"));
        Assert.False(st.ContainsKey("completed"));
        Assert.Null(server.Get("job", "3scale", $"backup-apimanager-cr-{uid}"));
    }

    [Fact]
    public async Task Backup_waits_when_the_namespace_has_no_apimanager()
    {
        await using var server = await SandboxFixture.StartAsync(Fast("3scale"));
        server.Delete("apimanagers.apps.3scale.net", "3scale", "example-apimanager");
        server.Create(Backup("orphan"));
        await Task.Delay(700);
        Assert.Null(server.Get("apimanagerbackups.apps.3scale.net", "3scale", "orphan")!["status"]);
    }

    [Fact]
    public async Task Restore_recreates_missing_secrets_and_the_apimanager_from_the_backup()
    {
        await using var server = await SandboxFixture.StartAsync(Fast("3scale"));
        server.Create(Backup("nightly"));
        await Eventually("backup completed", () => server.Get("apimanagerbackups.apps.3scale.net", "3scale", "nightly")?["status"]?["completed"]?.GetValue<bool>() == true);
        var oldSeed = server.Get("secret", "3scale", "system-seed").Str("data", "ADMIN_PASSWORD");
        server.Delete("apimanagers.apps.3scale.net", "3scale", "example-apimanager");
        server.Delete("secret", "3scale", "system-seed");
        server.Delete("secret", "3scale", "system-redis");
        server.Create(Obj("""
            {"apiVersion":"apps.3scale.net/v1alpha1","kind":"APIManagerRestore","metadata":{"name":"restore1","namespace":"3scale"},
             "spec":{"restoreSource":{"persistentVolumeClaim":{"claimSource":{"claimName":"nightly"}}}}}
            """));
        JsonObject? Status() => server.Get("apimanagerrestores.apps.3scale.net", "3scale", "restore1")?["status"] as JsonObject;
        await Eventually("restore completed", () => Status()?["completed"]?.GetValue<bool>() == true, 30);
        Assert.Equal("example-apimanager", Status().Str("apiManagerToRestoreRef", "name"));
        Assert.Equal(oldSeed, server.Get("secret", "3scale", "system-seed").Str("data", "ADMIN_PASSWORD"));
        Assert.Null(server.Get("secret", "3scale", "system-redis"));
        Assert.Null(server.Get("secret", "3scale", "restore1-serialized-apimanager"));
        var am = server.Get("apimanagers.apps.3scale.net", "3scale", "example-apimanager")!;
        Assert.Equal("apps.sandbox.example.com", am.Str("spec", "wildcardDomain"));
        Assert.Empty(server.List("jobs", "3scale"));
    }

    [Fact]
    public async Task Restore_from_a_claim_without_a_backup_waits_on_its_failed_job()
    {
        await using var server = await SandboxFixture.StartAsync(Fast("3scale"));
        server.Create(Pvc("empty", "3scale"));
        server.Create(Obj("""
            {"apiVersion":"apps.3scale.net/v1alpha1","kind":"APIManagerRestore","metadata":{"name":"r","namespace":"3scale"},
             "spec":{"restoreSource":{"persistentVolumeClaim":{"claimSource":{"claimName":"empty"}}}}}
            """));
        var uid = "";
        await Eventually("job failed", () =>
        {
            uid = server.Get("apimanagerrestores.apps.3scale.net", "3scale", "r").Str("metadata", "uid") ?? "";
            return server.Get("job", "3scale", $"restore-cfgmaps-secrets-{uid}")?["status"]?["failed"]?.GetValue<long>() == 1;
        });
        await Task.Delay(300);
        Assert.Null(server.Get("apimanagerrestores.apps.3scale.net", "3scale", "r")!["status"]!["completed"]);
    }
}
