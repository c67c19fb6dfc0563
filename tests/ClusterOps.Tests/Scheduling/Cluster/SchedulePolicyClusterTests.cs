using System.Text.Json.Nodes;
using ClusterOps.Core.Common;
using ClusterOps.Core.Scheduling;
using ClusterOps.Tests.Infrastructure;
using ClusterOps.Tests.Sandbox;

namespace ClusterOps.Tests.Scheduling.Cluster;

/// <summary>Schedule policies against the sandbox's stork scenario.</summary>
public sealed class SchedulePolicyClusterTests : IClassFixture<StorkSandbox>
{
    private readonly StorkSandbox _sandbox;
    private readonly SchedulePolicyOperations _policies;

    public SchedulePolicyClusterTests(StorkSandbox sandbox)
    {
        _sandbox = sandbox;
        _policies = new SchedulePolicyOperations(sandbox.Client);
    }

    private static SchedulePolicyParameters Seed => new()
    {
        IntervalMinutes = 1, DailyTime = "10:14PM", WeeklyDay = "Thursday", WeeklyTime = "10:13PM", MonthlyDate = 14, MonthlyTime = "8:05PM",
    };

    private async Task<List<SchedulePolicyInfo>> GetAsync(SchedulePolicyQuery query, RecordingOperationContext? context = null)
    {
        var list = new List<SchedulePolicyInfo>();
        await foreach (var p in _policies.GetAsync(query, context ?? new RecordingOperationContext()))
            list.Add(p);
        return list;
    }

    [Fact]
    public async Task The_seed_policy_is_created_cluster_scoped_and_reads_back_as_the_seeds_storkctl_row()
    {
        var created = await _policies.CreateAsync("testpolicy", null, Seed, new RecordingOperationContext());

        Assert.NotNull(created);
        var stored = _sandbox.Server.Get("schedulepolicies.stork.libopenstorage.org", null, "testpolicy")!;
        Assert.Null(stored["metadata"]!["namespace"]);
        var row = Assert.Single(await GetAsync(new SchedulePolicyQuery(["test*"])));
        Assert.Equal(("testpolicy", "1", "10:14PM", "Thursday@10:13PM", "14@8:05PM"), (row.Name, row.Interval, row.Daily, row.Weekly, row.Monthly));
        Assert.Equal(SchedulePolicyScope.Cluster, row.Scope);
        Assert.Equal("SchedulePolicy", row.Kind);
    }

    [Fact]
    public async Task Stork_defaults_list_with_wildcards_and_a_missing_literal_is_a_per_item_error()
    {
        var context = new RecordingOperationContext();
        var rows = await GetAsync(new SchedulePolicyQuery(["default-*", "nope"]), context);

        Assert.Contains(rows, r => r.Name == "default-migration-policy" && r.Interval == "30" && r.Daily == "N/A");
        Assert.Contains(rows, r => r.Name == "default-weekly-policy" && r.Weekly == "Sunday@12:00am");
        var (error, _) = Assert.Single(context.Errors);
        Assert.Equal("SchedulePolicyNotFound", Assert.IsType<OperationException>(error).ErrorId);
    }

    [Fact]
    public async Task An_invalid_policy_is_refused_before_anything_is_written_and_a_late_date_warns()
    {
        var bad = await Assert.ThrowsAsync<OperationException>(() =>
            _policies.CreateAsync("badday", null, new SchedulePolicyParameters { WeeklyDay = "SUN", WeeklyTime = "1:00AM" }, new RecordingOperationContext()));
        Assert.Equal(SchedulePolicyErrorIds.WeekdayInvalid, bad.ErrorId);
        Assert.Null(_sandbox.Server.Get("schedulepolicies.stork.libopenstorage.org", null, "badday"));

        var context = new RecordingOperationContext();
        await _policies.CreateAsync("month-end", null, new SchedulePolicyParameters { MonthlyDate = 31, MonthlyTime = "11:00PM" }, context);
        Assert.Contains(context.Warnings, w => w.Contains("31", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WhatIf_creates_nothing()
    {
        var created = await _policies.CreateAsync("whatif-policy", null, Seed, RecordingOperationContext.WhatIf());
        Assert.Null(created);
        Assert.Null(_sandbox.Server.Get("schedulepolicies.stork.libopenstorage.org", null, "whatif-policy"));
    }

    [Fact]
    public async Task Set_patches_sections_and_keeps_fields_ClusterOps_does_not_know()
    {
        await _policies.CreateAsync("patched", null, Seed, new RecordingOperationContext());
        // Another tool's fields: one in a section, one beside the sections, one in metadata.
        _sandbox.Server.Patch("schedulepolicies.stork.libopenstorage.org", null, "patched", JsonNode.Parse("""
            {"metadata":{"labels":{"team":"dba"}},"policy":{"daily":{"forceFullSnapshotDay":"Monday"},"futureSection":{"x":1}}}
            """)!.AsObject());

        var changed = await _policies.SetAsync("patched", null, new SchedulePolicyParameters { DailyTime = "11:30PM" },
            [SchedulePolicyType.Monthly], new RecordingOperationContext());

        Assert.Equal(("11:30PM", "N/A", "1"), (changed!.Daily, changed.Monthly, changed.Interval));
        var stored = _sandbox.Server.Get("schedulepolicies.stork.libopenstorage.org", null, "patched")!;
        Assert.Equal("dba", stored.Str("metadata", "labels", "team"));
        Assert.Equal("Monday", stored.Str("policy", "daily", "forceFullSnapshotDay"));
        Assert.Equal("1", stored.Str("policy", "futureSection", "x"));
        Assert.Null(stored["policy"]!["monthly"]);
    }

    [Fact]
    public async Task A_namespaced_policy_is_found_before_the_cluster_policy_of_the_same_name()
    {
        await _policies.CreateAsync("shared-name", null, new SchedulePolicyParameters { IntervalMinutes = 60 }, new RecordingOperationContext());
        await _policies.CreateAsync("shared-name", StorkSandbox.Namespace, new SchedulePolicyParameters { IntervalMinutes = 5 }, new RecordingOperationContext());

        var inMysql = await _policies.ResolveAsync("shared-name", StorkSandbox.Namespace, CancellationToken.None);
        var elsewhere = await _policies.ResolveAsync("shared-name", "default", CancellationToken.None);

        Assert.Equal((SchedulePolicyScope.Namespaced, "5"), (inMysql.Scope, inMysql.Interval));
        Assert.Equal((SchedulePolicyScope.Cluster, "60"), (elsewhere.Scope, elsewhere.Interval));
        var listed = Assert.Single(await GetAsync(new SchedulePolicyQuery(null, StorkSandbox.Namespace)), p => p.Name == "shared-name");
        Assert.Equal("mysql", listed.Namespace);
    }

    [Fact]
    public async Task Remove_refuses_while_a_schedule_in_any_namespace_uses_the_policy_unless_forced()
    {
        await _policies.CreateAsync("in-use", null, new SchedulePolicyParameters { IntervalMinutes = 15 }, new RecordingOperationContext());
        var other = _sandbox.NewNamespace("users");
        _sandbox.Server.Create(JsonNode.Parse("""
            {"apiVersion":"stork.libopenstorage.org/v1alpha1","kind":"MigrationSchedule","metadata":{"name":"uses-it","namespace":"__NS__"},
             "spec":{"schedulePolicyName":"in-use","suspend":true,"template":{"spec":{"clusterPair":"none","namespaces":["__NS__"]}}}}
            """.Replace("__NS__", other))!.AsObject());

        var refused = await Assert.ThrowsAsync<OperationException>(() => _policies.RemoveAsync("in-use", null, force: false, new RecordingOperationContext()));
        Assert.Equal(SchedulePolicyOperations.InUse, refused.ErrorId);
        Assert.Contains($"{other}/uses-it", refused.Message, StringComparison.Ordinal);
        Assert.NotNull(_sandbox.Server.Get("schedulepolicies.stork.libopenstorage.org", null, "in-use"));

        var context = new RecordingOperationContext();
        var removed = await _policies.RemoveAsync("in-use", null, force: true, context);
        Assert.Equal("in-use", removed!.Name);
        Assert.Contains(context.Warnings, w => w.Contains($"{other}/uses-it", StringComparison.Ordinal));
        Assert.Null(_sandbox.Server.Get("schedulepolicies.stork.libopenstorage.org", null, "in-use"));
    }

    [Fact]
    public async Task A_schedule_whose_namespace_has_its_own_policy_does_not_block_removing_the_cluster_policy()
    {
        var ns = _sandbox.NewNamespace("shadow");
        await _policies.CreateAsync("shadowed", null, new SchedulePolicyParameters { IntervalMinutes = 15 }, new RecordingOperationContext());
        await _policies.CreateAsync("shadowed", ns, new SchedulePolicyParameters { IntervalMinutes = 20 }, new RecordingOperationContext());
        _sandbox.Server.Create(JsonNode.Parse("""
            {"apiVersion":"stork.libopenstorage.org/v1alpha1","kind":"MigrationSchedule","metadata":{"name":"own-policy","namespace":"__NS__"},
             "spec":{"schedulePolicyName":"shadowed","suspend":true,"template":{"spec":{"clusterPair":"none","namespaces":["__NS__"]}}}}
            """.Replace("__NS__", ns))!.AsObject());

        Assert.Equal([new SchedulePolicyReference(ns, "own-policy")], await _policies.ReferencesAsync("shadowed", ns, CancellationToken.None));
        Assert.Empty(await _policies.ReferencesAsync("shadowed", null, CancellationToken.None));
        Assert.NotNull(await _policies.RemoveAsync("shadowed", null, force: false, new RecordingOperationContext()));
    }

    [Fact]
    public async Task The_trigger_preview_continues_from_a_schedules_history_in_the_cluster()
    {
        await _policies.CreateAsync("preview-policy", StorkSandbox.Namespace, new SchedulePolicyParameters { IntervalMinutes = 30 }, new RecordingOperationContext());
        _sandbox.Server.Create(JsonNode.Parse("""
            {"apiVersion":"stork.libopenstorage.org/v1alpha1","kind":"MigrationSchedule","metadata":{"name":"preview-schedule","namespace":"mysql"},
             "spec":{"schedulePolicyName":"preview-policy","suspend":true,"template":{"spec":{"clusterPair":"remotecluster","namespaces":["mysql"]}}},
             "status":{"items":{"Interval":[{"name":"preview-schedule-interval-2019-02-16-004052","creationTimestamp":"2019-02-16T00:40:52Z","finishTimestamp":"2019-02-16T00:41:52Z","status":"Successful"}]}}}
            """)!.AsObject());

        var (policy, last) = await ClusterTriggerPreview.LoadAsync(_sandbox.Client, "preview-policy", StorkSandbox.Namespace, "preview-schedule", new RecordingOperationContext());

        Assert.Equal(SchedulePolicyScope.Namespaced, policy.Scope);
        Assert.Equal(new DateTimeOffset(2019, 2, 16, 0, 40, 52, TimeSpan.Zero), last![SchedulePolicyType.Interval]);
    }

    [Fact]
    public async Task Concurrent_Set_SchedulePolicy_never_loses_a_change()
    {
        // Set-SchedulePolicy is a read-modify-write: its patch carries the resourceVersion it read, so a writer that
        // lost the race re-reads and re-applies instead of overwriting the other's change.
        await _policies.CreateAsync("concurrent", null, Seed, new RecordingOperationContext());
        var changes = new (string Field, SchedulePolicyParameters Change)[]
        {
            ("IntervalRetain", new() { IntervalRetain = 7 }),
            ("DailyRetain", new() { DailyRetain = 8 }),
            ("WeeklyRetain", new() { WeeklyRetain = 9 }),
            ("MonthlyRetain", new() { MonthlyRetain = 10 }),
        };
        var contexts = changes.Select(_ => new RecordingOperationContext()).ToArray();
        var outcomes = await Task.WhenAll(changes.Select((c, i) => Task.Run(async () =>
        {
            try
            {
                await _policies.SetAsync("concurrent", null, c.Change, [], contexts[i]);
                return "ok";
            }
            catch (OperationException ex)
            {
                return ex.ErrorId;
            }
        })));

        Assert.All(outcomes, o => Assert.Contains(o, new[] { "ok", SchedulePolicyOperations.Conflict }));
        var final = Assert.Single(await GetAsync(new SchedulePolicyQuery(["concurrent"])));
        var stored = new Dictionary<string, int?>
        {
            ["IntervalRetain"] = final.IntervalRetain, ["DailyRetain"] = final.DailyRetain,
            ["WeeklyRetain"] = final.WeeklyRetain, ["MonthlyRetain"] = final.MonthlyRetain,
        };
        for (var i = 0; i < changes.Length; i++)
        {
            if (outcomes[i] == "ok")
                Assert.Equal(7 + i, stored[changes[i].Field]);
        }
        Assert.Contains("ok", outcomes);
    }

    [Fact]
    public async Task Set_SchedulePolicy_rereads_a_policy_that_changed_after_it_was_read()
    {
        await _policies.CreateAsync("raced", null, Seed, new RecordingOperationContext());
        var policy = "schedulepolicies.stork.libopenstorage.org";
        // Another writer changes the policy between our read and our write, once.
        var raced = 0;
        // The confirmation question comes after the read and before the write: interfere there.
        var context = new RecordingOperationContext((_, _) =>
        {
            if (Interlocked.Exchange(ref raced, 1) == 0)
                _sandbox.Server.Patch(policy, null, "raced", JsonNode.Parse("""{"policy":{"daily":{"retain":4}}}""")!.AsObject());
            return true;
        });
        var changed = await _policies.SetAsync("raced", null, new SchedulePolicyParameters { IntervalRetain = 6 }, [], context);

        Assert.Equal((6, 4), (changed!.IntervalRetain, changed.DailyRetain));
        Assert.Contains(context.Verbose, v => v.Contains("changed while it was being updated; reading it again"));
    }
}
