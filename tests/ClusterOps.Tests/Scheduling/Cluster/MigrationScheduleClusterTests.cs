using System.Text.Json.Nodes;
using ClusterOps.Core.Common;
using ClusterOps.Core.Scheduling;
using ClusterOps.Tests.Infrastructure;
using ClusterOps.Tests.Sandbox;

namespace ClusterOps.Tests.Scheduling.Cluster;

/// <summary>
/// Migration schedules end to end against the sandbox's Stork controller: create with storkctl's checks, Migrations
/// with Stork's names, history, suspend/resume on the sandbox clock, waiting, events and the removal cascade.
/// </summary>
public sealed class MigrationScheduleClusterTests : IClassFixture<StorkSandbox>
{
    private const string Ns = StorkSandbox.Namespace;
    private readonly StorkSandbox _sandbox;
    private readonly MigrationScheduleOperations _schedules;
    private readonly MigrationOperations _migrations;

    public MigrationScheduleClusterTests(StorkSandbox sandbox)
    {
        _sandbox = sandbox;
        _schedules = new MigrationScheduleOperations(sandbox.Client);
        _migrations = new MigrationOperations(sandbox.Client);
    }

    private static MigrationScheduleRequest Request(string name, string pair = "remotecluster") => new()
    {
        Name = name, Namespace = Ns, ClusterPair = pair, Namespaces = [Ns],
    };

    private static async Task<List<T>> All<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
            list.Add(item);
        return list;
    }

    private JsonArray Items(string schedule, string type = "Interval") =>
        _sandbox.Server.Get("migrationschedules.stork.libopenstorage.org", Ns, schedule)?["status"]?["items"]?[type] as JsonArray ?? new JsonArray();

    private async Task<MigrationInfo> FirstMigrationAsync(string schedule)
    {
        await StorkSandbox.Eventually("the first migration is created", () => Items(schedule).Count > 0
            && _sandbox.Server.Get("migrations.stork.libopenstorage.org", Ns, Items(schedule)[0].Str("name")!) is not null);
        return await _migrations.WaitAsync(Items(schedule)[0].Str("name")!, Ns, TimeSpan.FromSeconds(30), new RecordingOperationContext());
    }

    [Fact]
    public async Task A_schedule_runs_migrations_with_Storks_names_and_reports_history_and_last_success()
    {
        var context = new RecordingOperationContext();
        var created = await _schedules.CreateAsync(Request("nightly") with { SchedulePolicyName = "default-migration-policy" }, context);
        Assert.Equal(("default-migration-policy", "remotecluster", false, true), (created!.PolicyName, created.ClusterPair, created.Suspend, created.IncludeVolumes));

        var migration = await FirstMigrationAsync("nightly");

        Assert.Matches(@"^nightly-interval-\d{4}-\d\d-\d\d-\d{6}$", migration.Name);
        Assert.Equal(("Successful", "Final", "nightly", "remotecluster"), (migration.Status, migration.Stage, migration.Schedule, migration.ClusterPair));
        Assert.Equal("3/3", migration.Volumes);
        Assert.Matches(@"^\d+/\d+$", migration.Resources);
        Assert.StartsWith("Volumes (", migration.Elapsed, StringComparison.Ordinal);
        await StorkSandbox.Eventually("the schedule records the success", () => Items("nightly").Any(i => i.Str("status") == "Successful"));

        var info = Assert.Single(await All(_schedules.GetAsync(new MigrationScheduleQuery(Ns, ["night*"]), new RecordingOperationContext())));
        Assert.NotNull(info.LastSuccessTime);
        Assert.NotNull(info.LastSuccessDuration);
        var history = Assert.Single(await All(_schedules.GetHistoryAsync(new MigrationScheduleQuery(Ns, ["nightly"]), new RecordingOperationContext())));
        Assert.Equal(("nightly", "Interval", migration.Name, "Successful"), (history.Schedule, history.PolicyType, history.Migration, history.Status));

        var listed = await All(_migrations.GetAsync(new MigrationQuery(Ns, null, "nightly"), new RecordingOperationContext()));
        Assert.Equal([migration.Name], listed.Select(m => m.Name));

        var events = await All(new KubeEventOperations(_sandbox.Client).GetAsync(new KubeEventQuery(info.Kind, info.Name, info.Namespace)));
        var success = Assert.Single(events, e => e.Reason == "Successful");
        Assert.Equal(($"Scheduled migration ({migration.Name}) completed successfully", "Normal", "stork"), (success.Message, success.Type, success.From));
    }

    [Fact]
    public async Task Suspended_schedules_start_nothing_when_the_clock_passes_the_interval_and_resume_triggers_again()
    {
        await _schedules.CreateAsync(Request("pausable") with { IntervalMinutes = 30 }, new RecordingOperationContext());
        Assert.Equal("30", _sandbox.Server.Get("schedulepolicies.stork.libopenstorage.org", null, "pausable").Str("policy", "interval", "intervalMinutes"));
        var first = await FirstMigrationAsync("pausable");
        await StorkSandbox.Eventually("first success recorded", () => Items("pausable").Any(i => i.Str("status") == "Successful"));

        var suspended = await _schedules.SetSuspendAsync("pausable", Ns, suspend: true, new RecordingOperationContext());
        Assert.True(suspended!.Suspend);
        _sandbox.Server.Clock.Advance(TimeSpan.FromMinutes(31));
        await Task.Delay(500);
        Assert.Equal([first.Name], Items("pausable").Select(i => i.Str("name")));

        var resumed = await _schedules.SetSuspendAsync("pausable", Ns, suspend: false, new RecordingOperationContext());
        Assert.False(resumed!.Suspend);
        await StorkSandbox.Eventually("a second interval migration after resume", () => Items("pausable").Any(i => i.Str("name") != first.Name));
    }

    [Fact]
    public async Task Storkctl_checks_refuse_a_missing_pair_a_foreign_namespace_and_a_missing_policy()
    {
        var pair = await Assert.ThrowsAsync<OperationException>(() => _schedules.CreateAsync(Request("x1", pair: "nope"), new RecordingOperationContext()));
        Assert.Equal(MigrationScheduleOperations.ClusterPairNotFound, pair.ErrorId);

        var foreign = await Assert.ThrowsAsync<OperationException>(() =>
            _schedules.CreateAsync(Request("x2") with { Namespaces = [Ns, "shop"] }, new RecordingOperationContext()));
        Assert.Equal(MigrationScheduleOperations.NamespaceNotAllowed, foreign.ErrorId);
        Assert.Contains("'shop'", foreign.Message, StringComparison.Ordinal);

        var policy = await Assert.ThrowsAsync<OperationException>(() =>
            _schedules.CreateAsync(Request("x3") with { SchedulePolicyName = "no-such-policy" }, new RecordingOperationContext()));
        Assert.Equal(MigrationScheduleOperations.PolicyNotFound, policy.ErrorId);

        await new SchedulePolicyOperations(_sandbox.Client).CreateAsync("x4", Ns, new SchedulePolicyParameters { DailyTime = "1:00AM" }, new RecordingOperationContext());
        var shadowed = await Assert.ThrowsAsync<OperationException>(() =>
            _schedules.CreateAsync(Request("x4") with { IntervalMinutes = 10 }, new RecordingOperationContext()));
        Assert.Equal(MigrationScheduleOperations.PolicyExists, shadowed.ErrorId);
        Assert.Null(_sandbox.Server.Get("schedulepolicies.stork.libopenstorage.org", null, "x4"));

        Assert.DoesNotContain(_sandbox.Server.List("migrationschedules.stork.libopenstorage.org", Ns), s => s.Str("metadata", "name") is "x1" or "x2" or "x3" or "x4");
    }

    /// <summary>pkg/storkctl/migrationschedule.go: autoSuspend = !disableAutoSuspend.</summary>
    [Fact]
    public async Task AutoSuspend_is_on_unless_disabled_as_storkctl_create_migrationschedule()
    {
        var on = await _schedules.CreateAsync(Request("auto-on") with { Suspend = true }, new RecordingOperationContext());
        var off = await _schedules.CreateAsync(Request("auto-off") with { Suspend = true, AutoSuspend = false }, new RecordingOperationContext());

        Assert.True(on!.AutoSuspend);
        Assert.Equal("true", _sandbox.Server.Get("migrationschedules.stork.libopenstorage.org", Ns, "auto-on").Str("spec", "autoSuspend"));
        Assert.False(off!.AutoSuspend);
        Assert.Equal("false", _sandbox.Server.Get("migrationschedules.stork.libopenstorage.org", Ns, "auto-off").Str("spec", "autoSuspend"));
    }

    /// <summary>
    /// pkg/storkctl/migrationschedule.go: with neither a policy name nor an interval, storkctl creates
    /// default-migration-policy (interval 30) when it is missing; a policy that is named must exist.
    /// </summary>
    [Fact]
    public async Task A_missing_default_migration_policy_is_created_as_storkctl_does_with_a_30_minute_interval()
    {
        Assert.True(_sandbox.Server.Delete("schedulepolicies.stork.libopenstorage.org", null, "default-migration-policy"));
        var whatIf = RecordingOperationContext.WhatIf();
        Assert.Null(await _schedules.CreateAsync(Request("defaulted") with { Suspend = true }, whatIf));
        Assert.Contains(whatIf.ShouldProcessCalls, c => c.Action.Contains("SchedulePolicy 'default-migration-policy', every 30 min, which is missing", StringComparison.Ordinal));
        Assert.Null(_sandbox.Server.Get("schedulepolicies.stork.libopenstorage.org", null, "default-migration-policy"));

        var context = new RecordingOperationContext();
        var created = await _schedules.CreateAsync(Request("defaulted") with { Suspend = true }, context);

        Assert.Equal("default-migration-policy", created!.PolicyName);
        var policy = _sandbox.Server.Get("schedulepolicies.stork.libopenstorage.org", null, "default-migration-policy");
        Assert.Equal("30", policy.Str("policy", "interval", "intervalMinutes"));
        Assert.Contains(context.Warnings, w => w.Contains("was missing and has been created", StringComparison.Ordinal));
        var named = await Assert.ThrowsAsync<OperationException>(() =>
            _schedules.CreateAsync(Request("named") with { SchedulePolicyName = "missing-policy" }, new RecordingOperationContext()));
        Assert.Equal(MigrationScheduleOperations.PolicyNotFound, named.ErrorId);
    }

    /// <summary>
    /// pkg/utils GetAdminNamespace: key admin-ns of ConfigMap kube-system/stork-controller-config, kube-system without
    /// it; only a schedule in the admin namespace may migrate other namespaces. -AdminNamespace overrides it.
    /// </summary>
    [Fact]
    public async Task The_admin_namespace_is_read_from_stork_controller_config_as_storkctl_reads_it()
    {
        var request = Request("admin-wide") with { Namespaces = [Ns, "shop"], Suspend = true };
        var refused = await Assert.ThrowsAsync<OperationException>(() => _schedules.CreateAsync(request, new RecordingOperationContext()));
        Assert.Contains("admin namespace 'kube-system'", refused.Message, StringComparison.Ordinal);

        _sandbox.Server.Create(new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = "stork-controller-config", ["namespace"] = "kube-system" },
            ["data"] = new JsonObject { ["admin-ns"] = Ns },
        });
        try
        {
            var context = new RecordingOperationContext();
            var created = await _schedules.CreateAsync(request, context);
            Assert.Equal(["mysql", "shop"], created!.Namespaces.Split(','));
            Assert.Contains(context.Verbose, v => v.Contains("admin namespace is 'mysql'", StringComparison.Ordinal));

            var overridden = await Assert.ThrowsAsync<OperationException>(() =>
                _schedules.CreateAsync(request with { Name = "admin-override", AdminNamespace = "kube-system" }, new RecordingOperationContext()));
            Assert.Equal(MigrationScheduleOperations.NamespaceNotAllowed, overridden.ErrorId);
        }
        finally
        {
            _sandbox.Server.Delete("configmaps", "kube-system", "stork-controller-config");
        }
    }

    [Fact]
    public async Task A_pair_without_storage_options_excludes_volumes_with_a_warning()
    {
        var context = new RecordingOperationContext();
        var created = await _schedules.CreateAsync(Request("sync-dr", pair: "remotecluster-sync") with { Suspend = true }, context);

        Assert.False(created!.IncludeVolumes);
        Assert.Equal("false", _sandbox.Server.Get("migrationschedules.stork.libopenstorage.org", Ns, "sync-dr").Str("spec", "template", "spec", "includeVolumes"));
        Assert.Contains(context.Warnings, w => w.Contains("no storage options", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Waiting_fails_fast_on_a_failed_migration_and_names_what_failed()
    {
        _sandbox.Server.Create(JsonNode.Parse("""
            {"apiVersion":"stork.libopenstorage.org/v1alpha1","kind":"MigrationSchedule",
             "metadata":{"name":"doomed","namespace":"mysql","annotations":{"sandbox.clusterops.io/fail":"true"}},
             "spec":{"schedulePolicyName":"default-migration-policy","template":{"spec":{"clusterPair":"remotecluster","namespaces":["mysql"]}}}}
            """)!.AsObject());
        await StorkSandbox.Eventually("the migration exists", () => Items("doomed").Count > 0
            && _sandbox.Server.Get("migrations.stork.libopenstorage.org", Ns, Items("doomed")[0].Str("name")!) is not null);

        var failed = await Assert.ThrowsAsync<OperationException>(() =>
            _migrations.WaitAsync(Items("doomed")[0].Str("name")!, Ns, TimeSpan.FromSeconds(30), new RecordingOperationContext()));

        Assert.Equal(MigrationOperations.Failed, failed.ErrorId);
        Assert.Contains("ended Failed", failed.Message, StringComparison.Ordinal);
        Assert.Contains("Deployment mysql/mysql: Failed", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wait_that_outlives_its_timeout_says_where_the_migration_stands()
    {
        // No controllers: the migration stays where it is, as behind a Stork that is down.
        await using var frozen = await ClusterOps.Sandbox.SandboxServer.StartAsync(new ClusterOps.Sandbox.SandboxOptions { Scenario = "stork", EnableControllers = false });
        using var client = ClusterOps.Kubernetes.Http.KubeClient.Create(ClusterOps.Kubernetes.Config.KubeConfigLoader.Load(frozen.KubeConfigPath).Resolve());
        frozen.Create(JsonNode.Parse("""
            {"apiVersion":"stork.libopenstorage.org/v1alpha1","kind":"Migration","metadata":{"name":"stuck","namespace":"mysql"},
             "spec":{"clusterPair":"remotecluster","namespaces":["mysql"]},"status":{"status":"InProgress","stage":"Volumes"}}
            """)!.AsObject());

        var timedOut = await Assert.ThrowsAsync<OperationException>(() =>
            new MigrationOperations(client).WaitAsync("stuck", Ns, TimeSpan.FromMilliseconds(500), new RecordingOperationContext()));

        Assert.Equal(MigrationOperations.TimedOut, timedOut.ErrorId);
        Assert.Contains("InProgress at stage 'Volumes'", timedOut.Message, StringComparison.Ordinal);
        Assert.Contains("within -TimeoutSec (0.5 s)", timedOut.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Waiting_for_several_migrations_reports_each_one_that_is_missing_or_late_and_returns_the_others()
    {
        await using var frozen = await ClusterOps.Sandbox.SandboxServer.StartAsync(new ClusterOps.Sandbox.SandboxOptions { Scenario = "stork", EnableControllers = false });
        using var client = ClusterOps.Kubernetes.Http.KubeClient.Create(ClusterOps.Kubernetes.Config.KubeConfigLoader.Load(frozen.KubeConfigPath).Resolve());
        foreach (var (name, status) in new[] { ("stuck", "InProgress"), ("done", "Successful") })
        {
            frozen.Create(JsonNode.Parse($$$"""
                {"apiVersion":"stork.libopenstorage.org/v1alpha1","kind":"Migration","metadata":{"name":"{{{name}}}","namespace":"mysql"},
                 "spec":{"clusterPair":"remotecluster","namespaces":["mysql"]},"status":{"status":"{{{status}}}","stage":"Final"}}
                """)!.AsObject());
        }
        var context = new RecordingOperationContext();
        var done = new List<MigrationInfo>();
        await foreach (var m in new MigrationOperations(client).WaitAllAsync(["nosuch", "stuck", "done"], Ns, TimeSpan.FromSeconds(3), context))
            done.Add(m);

        Assert.Equal("done", Assert.Single(done).Name);
        var errors = context.Errors.Select(e => (Id: Assert.IsType<OperationException>(e.Error).ErrorId, e.Target)).OrderBy(e => e.Id).ToList();
        Assert.Equal(new[] { ("MigrationNotFound", (object?)"nosuch"), (MigrationOperations.TimedOut, "stuck") }, errors);
    }

    [Fact]
    public async Task Removing_a_schedule_says_Stork_deletes_its_migrations_and_the_cascade_happens()
    {
        await _schedules.CreateAsync(Request("doomed-schedule") with { IntervalMinutes = 45 }, new RecordingOperationContext());
        var migration = await FirstMigrationAsync("doomed-schedule");
        await StorkSandbox.Eventually("success recorded", () => Items("doomed-schedule").Any(i => i.Str("status") == "Successful"));

        var whatIf = RecordingOperationContext.WhatIf();
        Assert.Null(await _schedules.RemoveAsync("doomed-schedule", Ns, whatIf));
        var (_, action, _) = Assert.Single(whatIf.ShouldProcessCalls);
        Assert.Contains($"Stork deletes its 1 Migration(s) with it ({migration.Name})", action, StringComparison.Ordinal);
        Assert.NotNull(_sandbox.Server.Get("migrationschedules.stork.libopenstorage.org", Ns, "doomed-schedule"));

        await _schedules.RemoveAsync("doomed-schedule", Ns, new RecordingOperationContext());
        await StorkSandbox.Eventually("schedule and migration gone", () =>
            _sandbox.Server.Get("migrationschedules.stork.libopenstorage.org", Ns, "doomed-schedule") is null
            && _sandbox.Server.Get("migrations.stork.libopenstorage.org", Ns, migration.Name) is null);
    }

    [Fact]
    public async Task Cluster_pairs_show_storkctls_columns_without_credentials()
    {
        var pairs = await All(_migrations.GetClusterPairsAsync(Ns, null, new RecordingOperationContext()));

        var dr = Assert.Single(pairs, p => p.Name == "remotecluster");
        Assert.Equal(("Ready", "Ready", true), (dr.StorageStatus, dr.SchedulerStatus, dr.HasStorageOptions));
        Assert.Equal("ip,mode,port,token", dr.StorageOptions);
        Assert.Equal("remote", dr.RemoteContext);
        var sync = Assert.Single(pairs, p => p.Name == "remotecluster-sync");
        Assert.Equal(("NotProvided", false), (sync.StorageStatus, sync.HasStorageOptions));
        var text = string.Join("\n", pairs.Select(p => p.Object.ToJsonString()));
        Assert.DoesNotContain("sandbox-remote-token", text, StringComparison.Ordinal);
        Assert.DoesNotContain("sandbox-portworx-cluster-token", text, StringComparison.Ordinal);
    }
}
