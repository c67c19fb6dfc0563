using ClusterOps.Core.Common;

namespace ClusterOps.Core.Lifecycle;

/// <summary>A plan plus what was found already done (for the "already stopped / running" messages).</summary>
public sealed record LifecyclePlan(IReadOnlyList<PlannedStep> Steps, IReadOnlyList<PlannedStep> AlreadyDone)
{
    /// <summary>True when the plan changes nothing in the cluster (checks and waits only).</summary>
    public bool ChangesNothing => Steps.All(s => s.Action is StepAction.CheckClaims or StepAction.WaitForPodsGone or StepAction.WaitForReady);
}

/// <summary>
/// Decides the steps of a stop or a start from a snapshot of the cluster. Pure: the same snapshot gives the same plan,
/// and a snapshot taken after any prefix of a plan ran gives the rest of it, which is what makes both resumable.
/// </summary>
public static class LifecyclePlanner
{
    public static LifecyclePlan PlanStop(ClusterProfile profile, IReadOnlyList<ComponentObservation> observations, StopMode mode)
    {
        var byUnit = Index(profile, observations);
        var steps = new List<PlannedStep>();
        var done = new List<PlannedStep>();

        if (mode == StopMode.ScaleToZero)
        {
            foreach (var c in profile.InStopOrder())
            {
                var o = byUnit[c];
                var scale = new PlannedStep(c, StepAction.ScaleToZero, c.Workload.Kind.ToString(), c.Workload.Name);
                if (o.Workload is null)
                {
                    done.Add(scale); // undeployed earlier: as stopped as it gets
                    continue;
                }
                if (o.Workload.DesiredReplicas > 0)
                    steps.Add(scale with { Replicas = o.Workload.DesiredReplicas });
                else
                    done.Add(scale);
                if (o.Workload.DesiredReplicas > 0 || o.Pods.Count > 0)
                    steps.Add(new PlannedStep(c, StepAction.WaitForPodsGone, c.Workload.Kind.ToString(), c.Workload.Name));
            }
        }
        else
        {
            var deletes = new List<PlannedStep>();
            foreach (var c in profile.InStopOrder())
            {
                var o = byUnit[c];
                foreach (var secret in c.Secrets)
                {
                    var step = new PlannedStep(c, StepAction.DeleteSecret, "Secret", secret);
                    if (o.SecretsPresent.Contains(secret) && !deletes.Any(d => d.Object == step.Object))
                        deletes.Add(step);
                    else if (!done.Any(d => d.Object == step.Object) && !deletes.Any(d => d.Object == step.Object))
                        done.Add(step);
                }
                var workload = new PlannedStep(c, StepAction.DeleteWorkload, c.Workload.Kind.ToString(), c.Workload.Name);
                if (o.Workload is not null)
                    deletes.Add(workload);
                else
                    done.Add(workload);
                if (o.Workload is not null || o.Pods.Count > 0)
                    deletes.Add(new PlannedStep(c, StepAction.WaitForPodsGone, c.Workload.Kind.ToString(), c.Workload.Name));
            }
            foreach (var service in profile.ServicesInStopOrder())
            {
                var owner = profile.InStopOrder().First(c => c.Services.Contains(service));
                var step = new PlannedStep(owner, StepAction.DeleteService, "Service", service);
                if (observations.Any(o => o.ServicesPresent.Contains(service)))
                    deletes.Add(step);
                else
                    done.Add(step);
            }
            // The record is (re)written before the first delete whenever something is left to delete: a resumed stop
            // merges what it still sees into the record it finds, so nothing recorded earlier is lost.
            if (deletes.Any(d => d.Action != StepAction.WaitForPodsGone))
                steps.Add(new PlannedStep(null, StepAction.SaveRestoreRecord, "Secret", profile.RestoreRecordName));
            steps.AddRange(deletes);
        }
        steps.Add(new PlannedStep(null, StepAction.CheckClaims, "PersistentVolumeClaim", "*"));
        return new LifecyclePlan(steps, done);
    }

    /// <summary>
    /// Plan a start. <paramref name="source"/> is where absent objects are created from: the restore record if one
    /// exists, or the vendor's kit. Throws ComponentDefinitionMissing listing every object that is neither in the
    /// cluster nor in the source, before anything is changed. Only a restore record is deleted at the end: a start
    /// consumes the record it started from; a kit is the user's files.
    /// </summary>
    public static LifecyclePlan PlanStart(ClusterProfile profile, IReadOnlyList<ComponentObservation> observations, DefinitionSource? source)
    {
        var byUnit = Index(profile, observations);
        var steps = new List<PlannedStep>();
        var done = new List<PlannedStep>();
        var missing = new List<string>();
        var created = new HashSet<string>(StringComparer.Ordinal);

        void CreateIfAbsent(ComponentDefinition c, StepAction action, string kind, string name, bool present)
        {
            var step = new PlannedStep(c, action, kind, name);
            if (present || created.Contains(step.Object))
            {
                if (!created.Contains(step.Object) && !done.Any(d => d.Object == step.Object))
                    done.Add(step);
                return;
            }
            if (source?.Contains(kind, name) != true)
            {
                missing.Add(step.Object);
                return;
            }
            created.Add(step.Object);
            steps.Add(step);
        }

        foreach (var c in profile.InStartOrder())
        {
            var o = byUnit[c];
            foreach (var service in c.Services)
                CreateIfAbsent(c, StepAction.CreateService, "Service", service, observations.Any(x => x.ServicesPresent.Contains(service)));
            foreach (var secret in c.Secrets)
                CreateIfAbsent(c, StepAction.CreateSecret, "Secret", secret, observations.Any(x => x.SecretsPresent.Contains(secret)));

            var kind = c.Workload.Kind.ToString();
            var wait = new PlannedStep(c, StepAction.WaitForReady, kind, c.Workload.Name);
            if (o.Workload is null)
            {
                CreateIfAbsent(c, StepAction.CreateWorkload, kind, c.Workload.Name, present: false);
                steps.Add(wait);
            }
            else if (o.Workload.DesiredReplicas == 0)
            {
                steps.Add(new PlannedStep(c, StepAction.ScaleUp, kind, c.Workload.Name, o.Workload.StoppedReplicas ?? c.DefaultReplicas));
                steps.Add(wait);
            }
            else if (ComponentStateRules.Assess(o).State == ComponentState.Running)
            {
                done.Add(wait);
            }
            else
            {
                steps.Add(wait); // scaled up by an interrupted start, or still coming up: just wait
            }
        }

        if (missing.Count > 0)
            throw new OperationException("ComponentDefinitionMissing", FailureKind.ObjectNotFound,
                $"Cannot start: these objects are neither in the cluster nor in {source?.Description ?? (profile.Kit is null ? "a restore record" : "a restore record or a kit directory (-DefinitionPath)")}: {string.Join(", ", missing)}. Nothing was changed.",
                missing)
            {
                RecommendedAction = profile.Kit is null
                    ? "Recreate them from the application's manifests, then run the start again."
                    : $"Run the start again with -DefinitionPath naming the kit directory (the one holding {profile.Kit.StartScript}), or recreate them by hand.",
            };

        foreach (var o in profile.InStartOrder().Select(c => byUnit[c]).Where(o => o.Workload?.StoppedReplicas is not null))
            steps.Add(new PlannedStep(o.Definition, StepAction.RemoveAnnotation, o.Definition.Workload.Kind.ToString(), o.Definition.Workload.Name));
        if (source is RestoreRecord)
            steps.Add(new PlannedStep(null, StepAction.DeleteRestoreRecord, "Secret", profile.RestoreRecordName));
        return new LifecyclePlan(steps, done);
    }

    private static Dictionary<ComponentDefinition, ComponentObservation> Index(ClusterProfile profile, IReadOnlyList<ComponentObservation> observations)
    {
        var map = observations.ToDictionary(o => o.Definition);
        foreach (var c in profile.Components)
        {
            if (!map.ContainsKey(c))
                throw new ArgumentException($"No observation for {c.DisplayName}.", nameof(observations));
        }
        return map;
    }
}
