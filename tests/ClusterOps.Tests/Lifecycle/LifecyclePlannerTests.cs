using ClusterOps.Core.Common;
using ClusterOps.Core.Lifecycle;
using FsCheck;
using FsCheck.Fluent;

namespace ClusterOps.Tests.Lifecycle;

public class LifecyclePlannerTests
{
    private static string[] Describe(LifecyclePlan plan) => plan.Steps.Select(s => $"{s.Action} {s.Object}").ToArray();

    [Fact]
    public void ScaleToZero_scales_each_workload_in_stop_order_recording_its_replicas_and_waits()
    {
        var cluster = new FakeCluster(TmlProfile.Create()).WithClaims();
        cluster.Workloads["cass-set-0"] = new(3, 3, null);
        var plan = LifecyclePlanner.PlanStop(cluster.Profile, cluster.Observe(), StopMode.ScaleToZero);
        Assert.Equal(new[]
        {
            "ScaleToZero deployment/cm-deploy-0", "WaitForPodsGone deployment/cm-deploy-0",
            "ScaleToZero deployment/tm-deploy-0", "WaitForPodsGone deployment/tm-deploy-0",
            "ScaleToZero statefulset/cache-set-0", "WaitForPodsGone statefulset/cache-set-0",
            "ScaleToZero statefulset/mysql-set-0", "WaitForPodsGone statefulset/mysql-set-0",
            "ScaleToZero statefulset/log-set-0", "WaitForPodsGone statefulset/log-set-0",
            "ScaleToZero statefulset/cass-set-0", "WaitForPodsGone statefulset/cass-set-0",
            "CheckClaims persistentvolumeclaim/*",
        }, Describe(plan));
        Assert.Equal(3, plan.Steps.Single(s => s.Action == StepAction.ScaleToZero && s.ObjectName == "cass-set-0").Replicas);
        Assert.DoesNotContain(plan.Steps, s => s.Action is StepAction.DeleteSecret or StepAction.DeleteService or StepAction.DeleteWorkload or StepAction.DeleteClaim);
    }

    [Fact]
    public void Undeploy_saves_the_record_first_then_secrets_and_workloads_in_stop_order_then_services()
    {
        var cluster = new FakeCluster(TmlProfile.Create()).WithClaims();
        var steps = Describe(LifecyclePlanner.PlanStop(cluster.Profile, cluster.Observe(), StopMode.Undeploy));
        Assert.Equal("SaveRestoreRecord secret/clusterops-tml-restore", steps[0]);
        Assert.Equal(new[]
        {
            "DeleteSecret secret/cm-property", "DeleteSecret secret/cm-jks", "DeleteSecret secret/cm-crt", "DeleteSecret secret/cm-key",
            "DeleteSecret secret/cm-resource", "DeleteWorkload deployment/cm-deploy-0", "WaitForPodsGone deployment/cm-deploy-0",
            "DeleteSecret secret/tm-property",
        }, steps.Skip(1).Take(8));
        Assert.Equal(new[]
        {
            "DeleteService service/cm-svc-0", "DeleteService service/tm-svc", "DeleteService service/cache-svc-0",
            "DeleteService service/mysql-svc-0", "DeleteService service/log-svc-0", "DeleteService service/cass-svc-0",
            "CheckClaims persistentvolumeclaim/*",
        }, steps.TakeLast(7));
        Assert.DoesNotContain(steps, s => s.Contains("cluster-property") || s.Contains("persistentvolumeclaim/nosql"));
    }

    [Fact]
    public void Shared_objects_of_several_zones_are_deleted_once()
    {
        var cluster = new FakeCluster(TmlProfile.Create(2));
        var steps = Describe(LifecyclePlanner.PlanStop(cluster.Profile, cluster.Observe(), StopMode.Undeploy));
        Assert.Single(steps, s => s == "DeleteService service/tm-svc");
        Assert.Single(steps, s => s == "DeleteSecret secret/tm-property");
        Assert.Contains("DeleteWorkload deployment/tm-deploy-1", steps);
    }

    [Theory]
    [InlineData(StopMode.ScaleToZero)]
    [InlineData(StopMode.Undeploy)]
    public void Stopping_a_stopped_cluster_changes_nothing(StopMode mode)
    {
        var cluster = new FakeCluster(TmlProfile.Create()).WithClaims();
        foreach (var step in LifecyclePlanner.PlanStop(cluster.Profile, cluster.Observe(), mode).Steps)
            cluster.Apply(step);
        var again = LifecyclePlanner.PlanStop(cluster.Profile, cluster.Observe(), mode);
        Assert.True(again.ChangesNothing);
        Assert.NotEmpty(again.AlreadyDone);
        Assert.Equal(ComponentState.Stopped, cluster.Summary());
    }

    [Fact]
    public void Undeploy_of_a_scaled_down_cluster_records_and_deletes()
    {
        var cluster = new FakeCluster(TmlProfile.Create()).WithClaims();
        foreach (var step in LifecyclePlanner.PlanStop(cluster.Profile, cluster.Observe(), StopMode.ScaleToZero).Steps)
            cluster.Apply(step);
        var plan = LifecyclePlanner.PlanStop(cluster.Profile, cluster.Observe(), StopMode.Undeploy);
        Assert.Equal(StepAction.SaveRestoreRecord, plan.Steps[0].Action);
        foreach (var step in plan.Steps)
            cluster.Apply(step);
        Assert.Empty(cluster.Workloads);
        // The record keeps the replica count the scale-down recorded, so the start brings back what ran before.
        Assert.All(cluster.Record!.Objects.Where(o => o.Kind != "Service" && o.Kind != "Secret"), o => Assert.Equal(1, o.Manifest["replicas"]!.GetValue<int>()));
    }

    [Fact]
    public void Start_after_scale_to_zero_scales_back_in_start_order_then_clears_annotations()
    {
        var cluster = new FakeCluster(TmlProfile.Create()).WithClaims();
        cluster.Workloads["cm-deploy-0"] = new(2, 2, null);
        foreach (var step in LifecyclePlanner.PlanStop(cluster.Profile, cluster.Observe(), StopMode.ScaleToZero).Steps)
            cluster.Apply(step);
        var plan = LifecyclePlanner.PlanStart(cluster.Profile, cluster.Observe(), null);
        Assert.Equal(new[]
        {
            "ScaleUp statefulset/cass-set-0", "WaitForReady statefulset/cass-set-0",
            "ScaleUp deployment/cm-deploy-0", "WaitForReady deployment/cm-deploy-0",
            "ScaleUp statefulset/log-set-0", "WaitForReady statefulset/log-set-0",
            "ScaleUp statefulset/mysql-set-0", "WaitForReady statefulset/mysql-set-0",
            "ScaleUp statefulset/cache-set-0", "WaitForReady statefulset/cache-set-0",
            "ScaleUp deployment/tm-deploy-0", "WaitForReady deployment/tm-deploy-0",
        }, Describe(plan).Take(12));
        Assert.Equal(2, plan.Steps.First(s => s.ObjectName == "cm-deploy-0").Replicas);
        Assert.Equal(6, plan.Steps.Count(s => s.Action == StepAction.RemoveAnnotation));
        Assert.DoesNotContain(plan.Steps, s => s.Action == StepAction.DeleteRestoreRecord);
    }

    [Fact]
    public void Start_after_undeploy_recreates_service_secrets_workload_per_component_and_drops_the_record()
    {
        var cluster = new FakeCluster(TmlProfile.Create()).WithClaims();
        foreach (var step in LifecyclePlanner.PlanStop(cluster.Profile, cluster.Observe(), StopMode.Undeploy).Steps)
            cluster.Apply(step);
        var steps = Describe(LifecyclePlanner.PlanStart(cluster.Profile, cluster.Observe(), cluster.Record));
        Assert.Equal(new[]
        {
            "CreateService service/cass-svc-0", "CreateSecret secret/nosql-property", "CreateSecret secret/nosql-resource",
            "CreateSecret secret/nosql-p12", "CreateSecret secret/nosql-trust-p12", "CreateWorkload statefulset/cass-set-0",
            "WaitForReady statefulset/cass-set-0", "CreateService service/cm-svc-0",
        }, steps.Take(8));
        Assert.Equal("DeleteRestoreRecord secret/clusterops-tml-restore", steps[^1]);
        Assert.True(Array.IndexOf(steps, "WaitForReady statefulset/cache-set-0") < Array.IndexOf(steps, "CreateService service/tm-svc"));
    }

    [Fact]
    public void Start_of_a_running_cluster_changes_nothing()
    {
        var cluster = new FakeCluster(TmlProfile.Create()).WithClaims();
        var plan = LifecyclePlanner.PlanStart(cluster.Profile, cluster.Observe(), null);
        Assert.Empty(plan.Steps);
        Assert.Equal(6, plan.AlreadyDone.Count(s => s.Action == StepAction.WaitForReady));
    }

    [Fact]
    public void Start_refuses_before_any_change_when_definitions_are_lost()
    {
        var cluster = new FakeCluster(TmlProfile.Create()).WithClaims();
        cluster.Workloads.Remove("log-set-0");
        cluster.Secrets.Remove("tm-jks");
        var ex = Assert.Throws<OperationException>(() => LifecyclePlanner.PlanStart(cluster.Profile, cluster.Observe(), null));
        Assert.Equal("ComponentDefinitionMissing", ex.ErrorId);
        Assert.Contains("statefulset/log-set-0", ex.Message);
        Assert.Contains("secret/tm-jks", ex.Message);
    }

    [Fact]
    public void Presence_check_names_what_was_looked_for_and_what_is_missing()
    {
        var empty = new FakeCluster(TmlProfile.Create(), running: false);
        var notFound = Assert.Throws<OperationException>(() => ClusterPresence.EnsureComplete(empty.Profile, "shop", empty.Observe(), null));
        Assert.Equal("ClusterNotFound", notFound.ErrorId);
        Assert.Contains("No Mashery Local cluster found in namespace 'shop'", notFound.Message);
        Assert.Contains("statefulset/cass-set-0", notFound.Message);
        Assert.Contains("service/tm-svc", notFound.Message);

        var partial = new FakeCluster(TmlProfile.Create());
        partial.Workloads.Remove("mysql-set-0");
        partial.Services.Remove("mysql-svc-0");
        var incomplete = Assert.Throws<OperationException>(() => ClusterPresence.EnsureComplete(partial.Profile, "shop", partial.Observe(), null));
        Assert.Equal("ClusterIncomplete", incomplete.ErrorId);
        Assert.Contains("missing: statefulset/mysql-set-0, service/mysql-svc-0.", incomplete.Message);
    }

    /// <summary>
    /// The resumability property at plan level: run any prefix of a stop or start, then plan again from what the
    /// cluster looks like; the second plan finishes the job, the cluster ends Stopped/Running, and no claim is ever
    /// touched. (The integration tests prove the same with real API faults.)
    /// </summary>
    [Fact]
    public void Any_interrupted_stop_or_start_is_finished_by_a_second_run()
    {
        var gen =
            from zones in Gen.Choose(1, 3)
            from mode in Gen.Elements(StopMode.ScaleToZero, StopMode.Undeploy)
            from stopCut in Gen.Choose(0, 200)
            from startCut in Gen.Choose(0, 200)
            select (zones, mode, stopCut, startCut);
        Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var cluster = new FakeCluster(TmlProfile.Create(t.zones)).WithClaims();
            var claims = cluster.Claims.ToHashSet();

            var stop = LifecyclePlanner.PlanStop(cluster.Profile, cluster.Observe(), t.mode).Steps;
            foreach (var step in stop.Take(t.stopCut % (stop.Count + 1)))
                cluster.Apply(step);
            ClusterPresence.EnsureComplete(cluster.Profile, "ns", cluster.Observe(), cluster.Record);
            foreach (var step in LifecyclePlanner.PlanStop(cluster.Profile, cluster.Observe(), t.mode).Steps)
                cluster.Apply(step);
            var stopped = cluster.Summary() == ComponentState.Stopped
                && LifecyclePlanner.PlanStop(cluster.Profile, cluster.Observe(), t.mode).ChangesNothing;

            var start = LifecyclePlanner.PlanStart(cluster.Profile, cluster.Observe(), cluster.Record).Steps;
            foreach (var step in start.Take(t.startCut % (start.Count + 1)))
                cluster.Apply(step);
            foreach (var step in LifecyclePlanner.PlanStart(cluster.Profile, cluster.Observe(), cluster.Record).Steps)
                cluster.Apply(step);
            var running = cluster.Summary() == ComponentState.Running
                && cluster.Record is null
                && cluster.Workloads.Values.All(w => w.StoppedReplicas is null && w.Desired == 1)
                && LifecyclePlanner.PlanStart(cluster.Profile, cluster.Observe(), cluster.Record).Steps.Count == 0;

            return stopped && running && claims.SetEquals(cluster.Claims);
        }).QuickCheckThrowOnFailure();
    }
}
