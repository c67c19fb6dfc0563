namespace ClusterOps.Core.Lifecycle;

public enum WorkloadKind { Deployment, StatefulSet }

/// <summary>A Deployment or StatefulSet by kind and name; prints as kubectl does ("statefulset/cass-set-0").</summary>
public sealed record WorkloadRef(WorkloadKind Kind, string Name)
{
    public override string ToString() => $"{Kind.ToString().ToLowerInvariant()}/{Name}";
}

/// <summary>
/// One unit the lifecycle starts and stops: a workload (one zone's instance of a component) with the services,
/// component secrets and claim templates that belong to it. Secrets and some services are shared by every zone of a
/// component (TML's tm-property, tm-svc); listing them on each unit is deliberate: every action on them is
/// create-if-absent / delete-if-present, so shared objects are handled once and re-runs stay idempotent.
/// </summary>
public sealed record ComponentDefinition(
    string Component,
    int Zone,
    WorkloadRef Workload,
    IReadOnlyList<string> Services,
    IReadOnlyList<string> Secrets,
    IReadOnlyList<string> ClaimTemplates,
    string? ClaimLabelSelector,
    int DefaultReplicas = 1)
{
    /// <summary>"NoSQL" for zone 0 of a single-zone cluster, "NoSQL[1]" for zone 1.</summary>
    public string DisplayName => Zone == 0 ? Component : $"{Component}[{Zone}]";

    /// <summary>StatefulSet claim names for the given replica count: &lt;template&gt;-&lt;set&gt;-&lt;ordinal&gt;.</summary>
    public IReadOnlyList<string> ClaimNames(int replicas)
    {
        if (Workload.Kind != WorkloadKind.StatefulSet || ClaimTemplates.Count == 0)
            return Array.Empty<string>();
        var names = new List<string>();
        foreach (var template in ClaimTemplates)
            for (var ordinal = 0; ordinal < Math.Max(replicas, 1); ordinal++)
                names.Add($"{template}-{Workload.Name}-{ordinal}");
        return names;
    }
}

/// <summary>
/// An application made of ordered components: what stop and start act on, in which order, and what a full removal
/// additionally deletes. TML is the built-in profile (<see cref="TmlProfile"/>); the machinery knows nothing of TML.
/// </summary>
public sealed class ClusterProfile
{
    public ClusterProfile(
        string name,
        string displayName,
        IReadOnlyList<ComponentDefinition> components,
        IReadOnlyList<string> stopOrder,
        IReadOnlyList<string> startOrder,
        IReadOnlyList<string> clusterSecrets,
        IReadOnlyList<string> storageClasses,
        IReadOnlyList<string> claimLabelSelectors,
        ClusterKitLayout? kit = null)
    {
        var known = components.Select(c => c.Component).ToHashSet(StringComparer.Ordinal);
        foreach (var order in new[] { stopOrder, startOrder })
        {
            if (!known.SetEquals(order) || order.Count != known.Count)
                throw new ArgumentException($"Profile {name}: stop and start orders must name every component exactly once.");
        }
        Name = name;
        DisplayName = displayName;
        Components = components;
        StopOrder = stopOrder;
        StartOrder = startOrder;
        ClusterSecrets = clusterSecrets;
        StorageClasses = storageClasses;
        ClaimLabelSelectors = claimLabelSelectors;
        Kit = kit;
    }

    /// <summary>Short name used in object names and labels ("tml").</summary>
    public string Name { get; }
    /// <summary>What users call it ("Mashery Local").</summary>
    public string DisplayName { get; }
    public IReadOnlyList<ComponentDefinition> Components { get; }
    public IReadOnlyList<string> StopOrder { get; }
    public IReadOnlyList<string> StartOrder { get; }
    /// <summary>Secrets shared by the whole cluster: kept by stop, deleted only by remove.</summary>
    public IReadOnlyList<string> ClusterSecrets { get; }
    /// <summary>Cluster-scoped StorageClasses the application created: deleted only by remove.</summary>
    public IReadOnlyList<string> StorageClasses { get; }
    /// <summary>Label selectors whose claims remove deletes (delete-tml-cluster.sh: app=cass-svc, ...).</summary>
    public IReadOnlyList<string> ClaimLabelSelectors { get; }

    /// <summary>Where the vendor's deployment kit keeps the definitions its start script applies; null when there is none.</summary>
    public ClusterKitLayout? Kit { get; }

    /// <summary>Name of the Secret that holds the restore record of an Undeploy stop.</summary>
    public string RestoreRecordName => $"clusterops-{Name}-restore";

    /// <summary>Components in stop order; zones ascending within a component.</summary>
    public IEnumerable<ComponentDefinition> InStopOrder() => Ordered(StopOrder);

    /// <summary>Components in start order; zones ascending within a component.</summary>
    public IEnumerable<ComponentDefinition> InStartOrder() => Ordered(StartOrder);

    /// <summary>Every service in stop order, each once (shared services are listed on several units).</summary>
    public IReadOnlyList<string> ServicesInStopOrder() => InStopOrder().SelectMany(c => c.Services).Distinct(StringComparer.Ordinal).ToList();

    private IEnumerable<ComponentDefinition> Ordered(IReadOnlyList<string> order) =>
        order.SelectMany(name => Components.Where(c => c.Component == name).OrderBy(c => c.Zone));
}
