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

    private void Create(string json, string ns) => _sandbox.Server.Create(JsonNode.Parse(json.Replace("__NS__", ns))!.AsObject());

    /// <summary>
    /// pkg/resourceutils/updatereplicas.go ScaleReplicas: ReplicaSets that no one owns are scaled like Deployments,
    /// every CronJob of the namespace gets suspend = !activate, a kind registered in an ApplicationRegistration gets
    /// its suspend option (bool spec.stopped: true when deactivated), and DeploymentConfigs are skipped when
    /// apps.openshift.io is not served (storkctl ignores the NotFound).
    /// </summary>
    [Fact]
    public async Task Failover_covers_replicasets_cronjobs_and_registered_custom_resources_as_storkctl_scale_replicas()
    {
        var ns = _sandbox.NewNamespace("kinds");
        var labels = """{"app":"rs"}""";
        var template = """{"metadata":{"labels":__L__},"spec":{"containers":[{"name":"c","image":"busybox"}]}}""".Replace("__L__", labels);
        Create("""{"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"free","namespace":"__NS__","annotations":{"stork.libopenstorage.org/migrationReplicas":"2"}},"spec":{"replicas":0,"selector":{"matchLabels":__L__},"template":__T__}}""".Replace("__L__", labels).Replace("__T__", template), ns);
        Create("""{"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"owned","namespace":"__NS__","annotations":{"stork.libopenstorage.org/migrationReplicas":"2"},"ownerReferences":[{"apiVersion":"apps/v1","kind":"Deployment","name":"web","uid":"u-1"}]},"spec":{"replicas":0,"selector":{"matchLabels":__L__},"template":__T__}}""".Replace("__L__", labels).Replace("__T__", template), ns);
        Create("""{"apiVersion":"batch/v1","kind":"CronJob","metadata":{"name":"report","namespace":"__NS__"},"spec":{"schedule":"*/5 * * * *","suspend":true,"jobTemplate":{"spec":{"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"busybox"}]}}}}}}""", ns);
        Create("""{"apiVersion":"cassandra.datastax.com/v1beta1","kind":"CassandraDatacenter","metadata":{"name":"dc1","namespace":"__NS__","annotations":{"stork.libopenstorage.org/migrated":"true"}},"spec":{"size":3,"stopped":true}}""", ns);
        Create("""{"apiVersion":"cassandra.datastax.com/v1beta1","kind":"CassandraDatacenter","metadata":{"name":"local","namespace":"__NS__"},"spec":{"size":1,"stopped":true}}""", ns);
        var operations = new MigratedApplicationOperations(_sandbox.Client);

        var activate = new RecordingOperationContext();
        var changes = await Collect(operations.RunAsync([ns], activate: true, activate));

        Assert.Empty(activate.Errors);
        Assert.Equal(
            [("ReplicaSet", "free", "spec.replicas", "0", "2"), ("CassandraDatacenter", "dc1", "spec.stopped", "true", "false"), ("CronJob", "report", "spec.suspend", "true", "false")],
            changes.Select(c => (c.Kind, c.Name, c.Field, c.Before, c.After)));
        Assert.Equal(2, _sandbox.Server.Get("rs", ns, "free")!["spec"]!["replicas"]!.GetValue<long>());
        Assert.Equal(0, _sandbox.Server.Get("rs", ns, "owned")!["spec"]!["replicas"]!.GetValue<long>());
        Assert.Equal("false", _sandbox.Server.Get("cronjobs", ns, "report").Str("spec", "suspend"));
        Assert.Equal("false", _sandbox.Server.Get("cassandradatacenters", ns, "dc1").Str("spec", "stopped"));
        Assert.Equal("true", _sandbox.Server.Get("cassandradatacenters", ns, "local").Str("spec", "stopped"));
        Assert.Contains(activate.Warnings, w => w.Contains($"CassandraDatacenter {ns}/local is skipped: it has no annotations", StringComparison.Ordinal));
        Assert.Contains(activate.Verbose, v => v.Contains("DeploymentConfigs skipped", StringComparison.Ordinal));

        var deactivate = new RecordingOperationContext();
        var back = await Collect(operations.RunAsync([ns], activate: false, deactivate));
        Assert.Equal(
            [("ReplicaSet", "free", "0"), ("CassandraDatacenter", "dc1", "true"), ("CronJob", "report", "true")],
            back.Select(c => (c.Kind, c.Name, c.After)));
        Assert.All(back, c => Assert.Equal("Deactivated", c.Action));
        Assert.Equal("true", _sandbox.Server.Get("cronjobs", ns, "report").Str("spec", "suspend"));
    }

    /// <summary>
    /// pkg/resourceutils/updatereplicas.go updateCRDObjects: on deactivation the pods a registration lists at podsPath
    /// are deleted once their resource is suspended; -WhatIf lists those deletes without making them, and nothing
    /// else in the namespace is touched.
    /// </summary>
    [Fact]
    public async Task Deactivation_deletes_the_pods_listed_at_podsPath_as_storkctl_update_crd_objects()
    {
        var ns = _sandbox.NewNamespace("podspath");
        Create("""{"apiVersion":"caches.example.com/v1","kind":"ExampleCache","metadata":{"name":"ec1","namespace":"__NS__","annotations":{"stork.libopenstorage.org/migrated":"true"}},"spec":{"suspended":false}}""", ns);
        _sandbox.Server.Patch("examplecaches", ns, "ec1", JsonNode.Parse("""{"status":{"pods":["ec1-0","ec1-1"]}}""")!.AsObject(), status: true);
        foreach (var pod in new[] { "ec1-0", "ec1-1", "bystander" })
            Create("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"__P__","namespace":"__NS__"},"spec":{"containers":[{"name":"c","image":"busybox"}]}}""".Replace("__P__", pod), ns);
        var operations = new MigratedApplicationOperations(_sandbox.Client);

        var preview = RecordingOperationContext.WhatIf();
        Assert.Empty(await Collect(operations.RunAsync([ns], activate: false, preview)));
        Assert.Equal(
            [$"ExampleCache {ns}/ec1", $"Pod {ns}/ec1-0", $"Pod {ns}/ec1-1"],
            preview.ShouldProcessCalls.Select(c => c.Target));
        Assert.Equal(3, _sandbox.Server.List("pods", ns).Count);

        var changes = await Collect(operations.RunAsync([ns], activate: false, new RecordingOperationContext()));
        Assert.Equal([("ExampleCache", "ec1", "true"), ("Pod", "ec1-0", "deleted"), ("Pod", "ec1-1", "deleted")],
            changes.Select(c => (c.Kind, c.Name, c.After)));
        Assert.Equal(["bystander"], _sandbox.Server.List("pods", ns).Select(p => p.Str("metadata", "name")));
    }

    /// <summary>
    /// pkg/storkctl/migration.go: the schedules marked live in the namespace named by stork.libopenstorage.org/migrationNamespace
    /// on the migrated objects (GetMigrationScheduleCRNamespace), and only those migrating the namespace count
    /// (DoesMigrationScheduleMigrateNamespaces, by name or namespaceSelectors); deactivation clears only static copies.
    /// </summary>
    [Fact]
    public async Task Only_the_schedules_storkctl_marks_are_marked_the_migrationNamespace_and_namespace_filter()
    {
        var admin = _sandbox.NewNamespace("admin");
        var ns = _sandbox.NewNamespace("app");
        _sandbox.Server.Create(new JsonObject
        {
            ["apiVersion"] = "apps/v1", ["kind"] = "Deployment",
            ["metadata"] = new JsonObject
            {
                ["name"] = "web", ["namespace"] = ns,
                ["annotations"] = new JsonObject { [StorkApi.MigrationReplicasAnnotation] = "1", [MigrationScheduleActivation.MigrationNamespaceAnnotation] = admin },
            },
            ["spec"] = JsonNode.Parse("""{"replicas":0,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}}"""),
        });
        const string schedule = """
            {"apiVersion":"stork.libopenstorage.org/v1alpha1","kind":"MigrationSchedule","metadata":{"name":"__NAME__","namespace":"__IN__"__ANN__},
             "spec":{"schedulePolicyName":"default-migration-policy","suspend":true,"template":{"spec":{"clusterPair":"remotecluster","namespaces":["__MIGRATES__"]}}}}
            """;
        void Schedule(string name, string inNs, string migrates, bool copy) => _sandbox.Server.Create(JsonNode.Parse(schedule
            .Replace("__NAME__", name).Replace("__IN__", inNs).Replace("__MIGRATES__", migrates)
            .Replace("__ANN__", copy ? ""","annotations":{"stork.libopenstorage.org/static-copy":"true"}""" : ""))!.AsObject());
        Schedule("copy", admin, ns, copy: true);
        Schedule("source", admin, ns, copy: false);
        Schedule("other", admin, "elsewhere", copy: true);
        Schedule("local", ns, ns, copy: true);
        var operations = new MigratedApplicationOperations(_sandbox.Client);

        var changes = await Collect(operations.RunAsync([ns], activate: true, new RecordingOperationContext()));
        Assert.Equal(["copy", "source"], changes.Where(c => c.Kind == "MigrationSchedule").Select(c => c.Name).Order());
        Assert.All(changes.Where(c => c.Kind == "MigrationSchedule"), c => Assert.Equal((admin, "status.applicationActivated", "true"), (c.Namespace, c.Field, c.After)));
        Assert.Null(_sandbox.Server.Get("migrationschedules.stork.libopenstorage.org", admin, "other").Str("status", "applicationActivated"));
        Assert.Null(_sandbox.Server.Get("migrationschedules.stork.libopenstorage.org", ns, "local").Str("status", "applicationActivated"));

        var deactivate = new RecordingOperationContext();
        var back = await Collect(operations.RunAsync([ns], activate: false, deactivate));
        Assert.Equal(["copy"], back.Where(c => c.Kind == "MigrationSchedule").Select(c => c.Name));
        Assert.Contains(deactivate.Warnings, w => w.Contains($"MigrationSchedule {admin}/source stays activated", StringComparison.Ordinal));
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
