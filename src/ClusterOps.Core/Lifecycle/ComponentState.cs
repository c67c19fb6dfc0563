namespace ClusterOps.Core.Lifecycle;

public enum ComponentState
{
    /// <summary>Every desired pod is Ready and every object the component needs is there.</summary>
    Running,
    /// <summary>Scaled to zero by Stop (annotation) or undeployed by Stop (in the restore record), no pods left.</summary>
    Stopped,
    /// <summary>Pods are wanted and on their way, nothing is known to be stuck.</summary>
    Starting,
    /// <summary>Something is wrong or half-done: a stuck pod, missing secrets or services, unbound claims, pods
    /// still terminating after a scale to zero, or a mix of running and stopped components.</summary>
    Degraded,
    /// <summary>The workload does not exist and no restore record describes it: it cannot be started.</summary>
    Missing,
}

/// <summary>A component's state with the reason a person needs to act on it.</summary>
public sealed record StateAssessment(ComponentState State, string Detail);

/// <summary>The state rules for one component unit and for the whole cluster.</summary>
public static class ComponentStateRules
{
    public static StateAssessment Assess(ComponentObservation o)
    {
        var w = o.Workload;
        var live = o.Pods.Where(p => !p.Terminating).ToList();
        if (w is null)
        {
            if (o.InRestoreRecord)
                return live.Count == 0 && o.Pods.Count == 0
                    ? new(ComponentState.Stopped, "undeployed; definitions kept in the restore record")
                    : new(ComponentState.Degraded, $"undeployed, {o.Pods.Count} pod(s) still terminating");
            return new(ComponentState.Missing, $"{o.Definition.Workload} not found and not in a restore record");
        }

        if (w.DesiredReplicas == 0)
        {
            if (o.Pods.Count > 0)
                return new(ComponentState.Degraded, $"scaled to 0, {o.Pods.Count} pod(s) still terminating");
            return w.StoppedReplicas is { } n
                ? new(ComponentState.Stopped, $"scaled to 0 (will start {n} replica(s))")
                : new(ComponentState.Stopped, "scaled to 0 outside ClusterOps (no recorded replica count)");
        }

        var problems = new List<string>();
        var stuck = live.Where(p => p.StuckReason is not null).ToList();
        if (stuck.Count > 0)
            problems.Add(string.Join("; ", stuck.Select(p => $"pod {p.Name} {p.StuckReason}")));
        if (o.MissingSecrets.Count > 0)
            problems.Add($"missing secret(s) {string.Join(", ", o.MissingSecrets)}");
        if (o.MissingServices.Count > 0)
            problems.Add($"missing service(s) {string.Join(", ", o.MissingServices)}");
        var unbound = o.UnboundClaims;
        if (unbound.Count > 0)
            problems.Add($"claim(s) not Bound: {string.Join(", ", unbound.Select(c => $"{c.Name} ({(c.Exists ? c.Phase : "missing")})"))}");
        if (problems.Count > 0)
            return new(ComponentState.Degraded, string.Join("; ", problems));

        var ready = Math.Min(w.ReadyReplicas, live.Count(p => p.Ready));
        // ReadyReplicas is the controller's view; pods are ours. Trust the smaller so a lagging status cannot
        // declare a component Running before its pods are.
        if (w.ReadyReplicas >= w.DesiredReplicas && live.Count(p => p.Ready) >= w.DesiredReplicas)
            return new(ComponentState.Running, $"{w.DesiredReplicas}/{w.DesiredReplicas} ready");
        return new(ComponentState.Starting, $"{ready}/{w.DesiredReplicas} ready");
    }

    /// <summary>
    /// The cluster's state: Missing when nothing exists, Running or Stopped when every component agrees, Starting
    /// while components are on their way with nothing wrong, otherwise Degraded (including a half-finished stop or
    /// start, which a re-run of the same command completes).
    /// </summary>
    public static StateAssessment Summarize(IReadOnlyList<(ComponentDefinition Definition, ComponentState State)> components)
    {
        if (components.Count == 0 || components.All(c => c.State == ComponentState.Missing))
            return new(ComponentState.Missing, "no component found");
        if (components.All(c => c.State == ComponentState.Running))
            return new(ComponentState.Running, $"all {components.Count} components running");
        if (components.All(c => c.State == ComponentState.Stopped))
            return new(ComponentState.Stopped, $"all {components.Count} components stopped");

        string List(ComponentState s) => string.Join(", ", components.Where(c => c.State == s).Select(c => c.Definition.DisplayName));
        var missing = components.Where(c => c.State == ComponentState.Missing).ToList();
        if (missing.Count > 0)
            return new(ComponentState.Degraded, $"missing: {List(ComponentState.Missing)}");
        if (components.Any(c => c.State == ComponentState.Degraded))
            return new(ComponentState.Degraded, $"degraded: {List(ComponentState.Degraded)}");
        if (components.Any(c => c.State == ComponentState.Starting))
            return new(ComponentState.Starting, $"starting: {List(ComponentState.Starting)}");
        return new(ComponentState.Degraded,
            $"partly stopped (running: {List(ComponentState.Running)}; stopped: {List(ComponentState.Stopped)}); run the start or the stop again to finish it");
    }
}
