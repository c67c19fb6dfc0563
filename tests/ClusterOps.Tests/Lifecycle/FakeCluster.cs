using System.Text.Json.Nodes;
using ClusterOps.Core.Lifecycle;

namespace ClusterOps.Tests.Lifecycle;

/// <summary>
/// An in-memory model of what the lifecycle touches (workloads, services, secrets, the record), with each planned step
/// applied the way the real executor applies it. Lets planner properties run without a server.
/// </summary>
internal sealed class FakeCluster
{
    public FakeCluster(ClusterProfile profile, bool running = true)
    {
        Profile = profile;
        if (!running)
            return;
        foreach (var c in profile.Components)
        {
            Workloads[c.Workload.Name] = new Workload(1, 1, null);
            foreach (var s in c.Services) Services.Add(s);
            foreach (var s in c.Secrets) Secrets.Add(s);
        }
    }

    public sealed record Workload(int Desired, int Ready, int? StoppedReplicas);

    public ClusterProfile Profile { get; }
    public Dictionary<string, Workload> Workloads { get; } = new();
    public HashSet<string> Services { get; } = new();
    public HashSet<string> Secrets { get; } = new();
    public RestoreRecord? Record { get; set; }
    /// <summary>Claims that exist (bound). Nothing in stop or start may ever remove one.</summary>
    public HashSet<string> Claims { get; } = new();

    public FakeCluster WithClaims()
    {
        foreach (var c in Profile.Components)
            foreach (var claim in c.ClaimNames(1))
                Claims.Add(claim);
        return this;
    }

    public IReadOnlyList<ComponentObservation> Observe() => Profile.Components.Select(c =>
    {
        Workloads.TryGetValue(c.Workload.Name, out var w);
        var pods = w is null ? new List<PodObservation>() : Enumerable.Range(0, w.Ready)
            .Select(i => new PodObservation($"{c.Workload.Name}-{i}", Ready: true, Terminating: false)).ToList();
        return new ComponentObservation(
            c,
            w is null ? null : new WorkloadObservation(w.Desired, w.Ready, w.StoppedReplicas),
            pods,
            c.Secrets.Where(Secrets.Contains).ToList(),
            c.Services.Where(Services.Contains).ToList(),
            c.ClaimNames(1).Select(n => new ClaimObservation(n, Claims.Contains(n) ? "Bound" : "")).ToList(),
            Record?.Contains(c.Workload.Kind.ToString(), c.Workload.Name) == true);
    }).ToList();

    public void Apply(PlannedStep step)
    {
        switch (step.Action)
        {
            case StepAction.SaveRestoreRecord:
                var record = Record ?? new RestoreRecord(Profile.Name, 1, "ns", DateTimeOffset.UnixEpoch);
                foreach (var c in Profile.InStopOrder())
                {
                    if (Workloads.TryGetValue(c.Workload.Name, out var w))
                        record.Put(new RecordedObject(c.Component, c.Zone, c.Workload.Kind.ToString(), c.Workload.Name,
                            new JsonObject { ["replicas"] = w.StoppedReplicas ?? w.Desired }));
                    foreach (var s in c.Services.Where(Services.Contains))
                        record.Put(new RecordedObject(c.Component, c.Zone, "Service", s, new JsonObject()));
                    foreach (var s in c.Secrets.Where(Secrets.Contains))
                        record.Put(new RecordedObject(c.Component, c.Zone, "Secret", s, new JsonObject()));
                }
                Record = record;
                break;
            case StepAction.ScaleToZero:
                Workloads[step.ObjectName] = Workloads[step.ObjectName] with { Desired = 0, StoppedReplicas = step.Replicas };
                break;
            case StepAction.WaitForPodsGone:
                if (Workloads.TryGetValue(step.ObjectName, out var gone))
                    Workloads[step.ObjectName] = gone with { Ready = 0 };
                break;
            case StepAction.DeleteSecret: Secrets.Remove(step.ObjectName); break;
            case StepAction.DeleteService: Services.Remove(step.ObjectName); break;
            case StepAction.DeleteWorkload: Workloads.Remove(step.ObjectName); break;
            case StepAction.CreateSecret: Secrets.Add(step.ObjectName); break;
            case StepAction.CreateService: Services.Add(step.ObjectName); break;
            case StepAction.CreateWorkload:
                var replicas = Record!.Find(step.ObjectKind, step.ObjectName)!.Manifest["replicas"]!.GetValue<int>();
                Workloads[step.ObjectName] = new Workload(replicas, 0, null);
                break;
            case StepAction.ScaleUp:
                Workloads[step.ObjectName] = Workloads[step.ObjectName] with { Desired = step.Replicas!.Value };
                break;
            case StepAction.WaitForReady:
                Workloads[step.ObjectName] = Workloads[step.ObjectName] with { Ready = Workloads[step.ObjectName].Desired };
                break;
            case StepAction.RemoveAnnotation:
                Workloads[step.ObjectName] = Workloads[step.ObjectName] with { StoppedReplicas = null };
                break;
            case StepAction.DeleteRestoreRecord: Record = null; break;
            case StepAction.CheckClaims: break;
            default: throw new InvalidOperationException($"stop/start never plans {step.Action}");
        }
    }

    public ComponentState Summary() =>
        ComponentStateRules.Summarize(Observe().Select(o => (o.Definition, ComponentStateRules.Assess(o).State)).ToList()).State;
}
