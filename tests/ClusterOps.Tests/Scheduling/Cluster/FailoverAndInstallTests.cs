using System.Text.Json.Nodes;
using ClusterOps.Core.Common;
using ClusterOps.Core.Scheduling;
using ClusterOps.Kubernetes.Config;
using ClusterOps.Kubernetes.Http;
using ClusterOps.Sandbox;
using ClusterOps.Tests.Infrastructure;
using ClusterOps.Tests.Sandbox;

namespace ClusterOps.Tests.Scheduling.Cluster;

/// <summary>
/// Failover on the destination: workloads as Stork leaves them after a migration without startApplications
/// (replicas 0, the source count in stork.libopenstorage.org/migrationReplicas), seeded here because the sandbox is a
/// single cluster and its Migration controller does not write a destination.
/// </summary>
public sealed class FailoverAndInstallTests : IClassFixture<StorkSandbox>
{
    private readonly StorkSandbox _sandbox;

    public FailoverAndInstallTests(StorkSandbox sandbox) => _sandbox = sandbox;

    private void Workload(string kind, string ns, string name, int replicas, string? stored)
    {
        var meta = new JsonObject { ["name"] = name, ["namespace"] = ns, ["labels"] = new JsonObject { ["app"] = name } };
        if (stored is not null)
            meta["annotations"] = new JsonObject { [StorkApi.MigrationReplicasAnnotation] = stored, ["keep"] = "me" };
        var labels = new JsonObject { ["app"] = name };
        var spec = new JsonObject
        {
            ["replicas"] = replicas,
            ["selector"] = new JsonObject { ["matchLabels"] = labels.DeepClone() },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = labels.DeepClone() },
                ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "c", ["image"] = "mysql:8.0" }) },
            },
        };
        if (kind == "StatefulSet")
            spec["serviceName"] = name;
        _sandbox.Server.Create(new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = kind, ["metadata"] = meta, ["spec"] = spec });
    }

    private long Replicas(string resource, string ns, string name) =>
        _sandbox.Server.Get(resource, ns, name)!["spec"]!["replicas"]!.GetValue<long>();

    [Fact]
    public async Task Activation_restores_the_stored_counts_and_deactivation_scales_to_zero_one_record_per_workload()
    {
        var ns = _sandbox.NewNamespace("dr");
        Workload("Deployment", ns, "web", 0, "3");
        Workload("StatefulSet", ns, "db", 0, "2");
        Workload("Deployment", ns, "local-only", 1, null);
        var operations = new MigratedApplicationOperations(_sandbox.Client);

        var whatIf = RecordingOperationContext.WhatIf();
        Assert.Empty(await Collect(operations.RunAsync([ns], activate: true, whatIf)));
        Assert.Empty(whatIf.Warnings); // declined is not "nothing to change"
        Assert.Contains(whatIf.ShouldProcessCalls, c => c.Target == $"Deployment {ns}/web" && c.Action.StartsWith("Scale from 0 to 3 replicas", StringComparison.Ordinal));
        Assert.Contains(whatIf.ShouldProcessCalls, c => c.Target == $"StatefulSet {ns}/db" && c.Action.StartsWith("Scale from 0 to 2 replicas", StringComparison.Ordinal));
        Assert.Equal(0, Replicas("deploy", ns, "web"));

        var activate = new RecordingOperationContext();
        var changes = await Collect(operations.RunAsync([ns], activate: true, activate));
        Assert.Equal(2, changes.Count);
        Assert.Contains(changes, c => (c.Kind, c.Name, c.ReplicasBefore, c.ReplicasAfter, c.Action) == ("Deployment", "web", (int?)0, (int?)3, "Activated"));
        Assert.Contains(changes, c => (c.Kind, c.Name, c.ReplicasBefore, c.ReplicasAfter, c.Action) == ("StatefulSet", "db", (int?)0, (int?)2, "Activated"));
        Assert.Equal(3, Replicas("deploy", ns, "web"));
        Assert.Equal(2, Replicas("sts", ns, "db"));
        Assert.Equal(1, Replicas("deploy", ns, "local-only"));
        Assert.Equal("me", _sandbox.Server.Get("deploy", ns, "web").Str("metadata", "annotations", "keep"));

        // Once more: everything is already active, so nothing changes, nothing is emitted, and the user is told.
        var again = new RecordingOperationContext();
        Assert.Empty(await Collect(operations.RunAsync([ns], activate: true, again)));
        Assert.Contains(again.Warnings, w => w.Contains($"Nothing to activate in namespace '{ns}'", StringComparison.Ordinal));

        var deactivate = new RecordingOperationContext();
        var back = await Collect(operations.RunAsync([ns], activate: false, deactivate));
        Assert.Equal(2, back.Count);
        Assert.All(back, c => Assert.Equal(("Deactivated", (int?)0), (c.Action, c.ReplicasAfter)));
        Assert.Equal(0, Replicas("deploy", ns, "web"));
        Assert.Equal(0, Replicas("sts", ns, "db"));
        Assert.Equal(1, Replicas("deploy", ns, "local-only"));
    }

    [Fact]
    public async Task A_conflict_while_scaling_is_read_again_and_retried_not_reported()
    {
        var ns = _sandbox.NewNamespace("rv");
        Workload("Deployment", ns, "web", 0, "2");
        // The workload's controller bumping resourceVersion between our read and our patch looks like this.
        _sandbox.Server.Faults.FailNext(1, "PATCH", $"/apis/apps/v1/namespaces/{ns}/deployments/web*", 409);
        var context = new RecordingOperationContext();

        var changes = await Collect(new MigratedApplicationOperations(_sandbox.Client).RunAsync([ns], activate: true, context));

        Assert.Empty(context.Errors);
        Assert.Equal(("web", (int?)0, (int?)2), (Assert.Single(changes).Name, changes[0].ReplicasBefore, changes[0].ReplicasAfter));
        Assert.Equal(2, Replicas("deploy", ns, "web"));
        Assert.Contains(context.Verbose, v => v.Contains("changed while it was being scaled", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Activation_marks_the_namespaces_migration_schedules_as_activated()
    {
        var ns = _sandbox.NewNamespace("act");
        Workload("Deployment", ns, "web", 0, "1");
        _sandbox.Server.Create(JsonNode.Parse("""
            {"apiVersion":"stork.libopenstorage.org/v1alpha1","kind":"MigrationSchedule","metadata":{"name":"copy","namespace":"__NS__","annotations":{"stork.libopenstorage.org/static-copy":"true"}},
             "spec":{"schedulePolicyName":"default-migration-policy","suspend":true,"template":{"spec":{"clusterPair":"remotecluster","namespaces":["__NS__"]}}}}
            """.Replace("__NS__", ns))!.AsObject());

        var changes = await Collect(new MigratedApplicationOperations(_sandbox.Client).RunAsync([ns], activate: true, new RecordingOperationContext()));

        Assert.Contains(changes, c => (c.Kind, c.Name, c.Action, c.ReplicasBefore) == ("MigrationSchedule", "copy", "Activated", (int?)null));
        await StorkSandbox.Eventually("applicationActivated", () =>
            _sandbox.Server.Get("migrationschedules.stork.libopenstorage.org", ns, "copy").Str("status", "applicationActivated") == "true");
    }

    [Fact]
    public async Task Deactivation_says_when_a_schedule_stays_activated_and_warns_about_a_namespace_with_nothing_migrated()
    {
        var ns = _sandbox.NewNamespace("keep");
        Workload("Deployment", ns, "web", 0, "1");
        _sandbox.Server.Create(JsonNode.Parse("""
            {"apiVersion":"stork.libopenstorage.org/v1alpha1","kind":"MigrationSchedule","metadata":{"name":"source","namespace":"__NS__"},
             "spec":{"schedulePolicyName":"default-migration-policy","suspend":true,"template":{"spec":{"clusterPair":"remotecluster","namespaces":["__NS__"]}}}}
            """.Replace("__NS__", ns))!.AsObject());
        var operations = new MigratedApplicationOperations(_sandbox.Client);
        await Collect(operations.RunAsync([ns], activate: true, new RecordingOperationContext()));
        await StorkSandbox.Eventually("applicationActivated", () =>
            _sandbox.Server.Get("migrationschedules.stork.libopenstorage.org", ns, "source").Str("status", "applicationActivated") == "true");

        var deactivate = new RecordingOperationContext();
        var changes = await Collect(operations.RunAsync([ns], activate: false, deactivate));
        Assert.Equal(("Deployment", "web"), (Assert.Single(changes).Kind, changes[0].Name));
        Assert.Contains(deactivate.Warnings, w => w.Contains($"MigrationSchedule {ns}/source stays activated", StringComparison.Ordinal));

        var empty = _sandbox.NewNamespace("none");
        var nothing = new RecordingOperationContext();
        Assert.Empty(await Collect(operations.RunAsync([empty], activate: true, nothing)));
        Assert.Contains(nothing.Warnings, w => w.Contains("Stork migrated none here", StringComparison.Ordinal));
    }

    private static async Task<List<T>> Collect<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
            list.Add(item);
        return list;
    }

    [Fact]
    public async Task A_cluster_without_Stork_gets_a_friendly_error()
    {
        await using var empty = await SandboxServer.StartAsync(new SandboxOptions { Scenario = "empty", EnableControllers = false });
        using var client = KubeClient.Create(KubeConfigLoader.Load(empty.KubeConfigPath).Resolve(), new KubeClientOptions { Retry = RetryPolicy.None });

        var error = await Assert.ThrowsAsync<OperationException>(async () =>
        {
            await foreach (var _ in new MigrationScheduleOperations(client).GetAsync(new MigrationScheduleQuery("default"), new RecordingOperationContext()))
            {
            }
        });

        Assert.Equal(StorkResources.NotInstalledErrorId, error.ErrorId);
        Assert.Equal(FailureKind.NotInstalled, error.Kind);
        Assert.Contains("Stork", error.Message, StringComparison.Ordinal);
        Assert.Contains("not installed", error.Message, StringComparison.Ordinal);
    }
}
