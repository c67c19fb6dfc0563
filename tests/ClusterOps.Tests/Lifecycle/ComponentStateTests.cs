using ClusterOps.Core.Lifecycle;

namespace ClusterOps.Tests.Lifecycle;

public class ComponentStateTests
{
    private static readonly ComponentDefinition Db = TmlProfile.Create().Components.Single(c => c.Component == "DB");

    private static ComponentObservation Observe(
        WorkloadObservation? w, int readyPods = 0, int terminatingPods = 0, string? stuck = null,
        bool secrets = true, bool services = true, string claimPhase = "Bound", bool inRecord = false)
    {
        var pods = Enumerable.Range(0, readyPods).Select(i => new PodObservation($"mysql-set-0-{i}", true, false))
            .Concat(Enumerable.Range(0, terminatingPods).Select(i => new PodObservation($"old-{i}", false, true)))
            .ToList();
        if (stuck is not null)
            pods.Add(new PodObservation("mysql-set-0-0", false, false, stuck, "back-off 5m0s restarting failed container"));
        return new ComponentObservation(Db, w, pods,
            secrets ? Db.Secrets : new[] { "sql-property" },
            services ? Db.Services : Array.Empty<string>(),
            new[] { new ClaimObservation("sqlvol-mysql-set-0-0", claimPhase) },
            inRecord);
    }

    [Fact]
    public void Ready_pods_and_all_objects_is_Running() =>
        Assert.Equal(ComponentState.Running, ComponentStateRules.Assess(Observe(new(1, 1, null), readyPods: 1)).State);

    [Fact]
    public void Status_saying_ready_without_ready_pods_is_still_Starting() =>
        Assert.Equal(ComponentState.Starting, ComponentStateRules.Assess(Observe(new(1, 1, null), readyPods: 0)).State);

    [Fact]
    public void Scaled_to_zero_with_no_pods_is_Stopped_and_says_how_many_will_start()
    {
        var a = ComponentStateRules.Assess(Observe(new(0, 0, 2)));
        Assert.Equal(ComponentState.Stopped, a.State);
        Assert.Contains("2 replica", a.Detail);
    }

    [Fact]
    public void Scaled_to_zero_with_pods_terminating_is_Degraded() =>
        Assert.Equal(ComponentState.Degraded, ComponentStateRules.Assess(Observe(new(0, 0, 1), terminatingPods: 1)).State);

    [Fact]
    public void Absent_workload_in_the_record_is_Stopped_otherwise_Missing()
    {
        Assert.Equal(ComponentState.Stopped, ComponentStateRules.Assess(Observe(null, secrets: false, services: false, inRecord: true)).State);
        var missing = ComponentStateRules.Assess(Observe(null));
        Assert.Equal(ComponentState.Missing, missing.State);
        Assert.Contains("statefulset/mysql-set-0", missing.Detail);
    }

    [Fact]
    public void Stuck_pod_is_Degraded_with_pod_and_reason()
    {
        var a = ComponentStateRules.Assess(Observe(new(1, 0, null), stuck: "CrashLoopBackOff"));
        Assert.Equal(ComponentState.Degraded, a.State);
        Assert.Contains("mysql-set-0-0 CrashLoopBackOff", a.Detail);
    }

    [Fact]
    public void Missing_secret_service_or_unbound_claim_is_Degraded_and_named()
    {
        Assert.Contains("sql-resource", ComponentStateRules.Assess(Observe(new(1, 1, null), readyPods: 1, secrets: false)).Detail);
        Assert.Contains("mysql-svc-0", ComponentStateRules.Assess(Observe(new(1, 1, null), readyPods: 1, services: false)).Detail);
        var claim = ComponentStateRules.Assess(Observe(new(1, 1, null), readyPods: 1, claimPhase: "Lost"));
        Assert.Equal(ComponentState.Degraded, claim.State);
        Assert.Contains("sqlvol-mysql-set-0-0 (Lost)", claim.Detail);
    }

    [Fact]
    public void Pending_pods_without_a_stuck_reason_are_Starting() =>
        Assert.Equal(ComponentState.Starting, ComponentStateRules.Assess(Observe(new(2, 1, null), readyPods: 1)).State);

    [Fact]
    public void Summary_rules()
    {
        var p = TmlProfile.Create();
        IReadOnlyList<(ComponentDefinition, ComponentState)> All(ComponentState s) => p.Components.Select(c => (c, s)).ToList();
        Assert.Equal(ComponentState.Running, ComponentStateRules.Summarize(All(ComponentState.Running)).State);
        Assert.Equal(ComponentState.Stopped, ComponentStateRules.Summarize(All(ComponentState.Stopped)).State);
        Assert.Equal(ComponentState.Missing, ComponentStateRules.Summarize(All(ComponentState.Missing)).State);

        var half = p.InStartOrder().Select((c, i) => (c, i < 2 ? ComponentState.Running : ComponentState.Stopped)).ToList();
        var partly = ComponentStateRules.Summarize(half);
        Assert.Equal(ComponentState.Degraded, partly.State);
        Assert.Contains("partly stopped", partly.Detail);

        var starting = p.InStartOrder().Select((c, i) => (c, i == 0 ? ComponentState.Starting : ComponentState.Stopped)).ToList();
        Assert.Equal(ComponentState.Starting, ComponentStateRules.Summarize(starting).State);

        var oneMissing = p.InStartOrder().Select((c, i) => (c, i == 3 ? ComponentState.Missing : ComponentState.Running)).ToList();
        var s = ComponentStateRules.Summarize(oneMissing);
        Assert.Equal(ComponentState.Degraded, s.State);
        Assert.Contains("missing: DB", s.Detail);
    }
}
