using ClusterOps.Core.Common;

namespace ClusterOps.Core.Lifecycle;

/// <summary>
/// TIBCO Mashery Local as its TIBCO-generated Kubernetes kit deploys it (seed-semantics §3): six components, one
/// workload per zone with object index 0..N-1. Where the seed document and the scripts differ, this follows the
/// scripts: stop removes every component secret including the *-resource ones (the seed's older kit kept them,
/// hence its "AlreadyExists log-resource" on start) and TM's tm-trust-jks; tm-svc is one LoadBalancer service for
/// all zones.
/// </summary>
public static class TmlProfile
{
    public const string Name = "tml";
    public const int MaxZones = 16;

    public const string NoSql = "NoSQL";
    public const string ClusterManager = "CM";
    public const string Log = "Log";
    public const string Database = "DB";
    public const string Cache = "Cache";
    public const string TrafficManager = "TM";

    /// <summary>stop-tml-cluster.sh order.</summary>
    public static readonly IReadOnlyList<string> StopOrder = new[] { ClusterManager, TrafficManager, Cache, Database, Log, NoSql };

    /// <summary>start-tml-cluster.sh order: storage first, traffic last.</summary>
    public static readonly IReadOnlyList<string> StartOrder = new[] { NoSql, ClusterManager, Log, Database, Cache, TrafficManager };

    public static readonly IReadOnlyList<string> ClusterSecrets = new[] { "cluster-property", "zones-property", "papi-property" };

    public static readonly IReadOnlyList<string> StorageClasses =
        new[] { "nosql-storage-class", "sql-storage-class", "log-storage-class", "cache-storage-class", "reporting-storage-class" };

    public static readonly IReadOnlyList<string> ClaimLabelSelectors = new[] { "app=cache-svc", "app=mysql-svc", "app=log-svc", "app=cass-svc" };

    public static ClusterProfile Create(int zones = 1)
    {
        if (zones < 1 || zones > MaxZones)
            throw new OperationException("InvalidZoneCount", FailureKind.InvalidArgument,
                $"-Zones must be between 1 and {MaxZones}; got {zones}.", zones);

        var components = new List<ComponentDefinition>();
        for (var i = 0; i < zones; i++)
        {
            components.Add(new(NoSql, i, new(WorkloadKind.StatefulSet, $"cass-set-{i}"), new[] { $"cass-svc-{i}" },
                new[] { "nosql-property", "nosql-resource", "nosql-p12", "nosql-trust-p12" }, new[] { "nosqlvol" }, "app=cass-svc"));
            components.Add(new(ClusterManager, i, new(WorkloadKind.Deployment, $"cm-deploy-{i}"), new[] { $"cm-svc-{i}" },
                new[] { "cm-property", "cm-jks", "cm-crt", "cm-key", "cm-resource" }, Array.Empty<string>(), null));
            components.Add(new(Log, i, new(WorkloadKind.StatefulSet, $"log-set-{i}"), new[] { $"log-svc-{i}" },
                new[] { "log-property", "log-resource" }, new[] { "logvol" }, "app=log-svc"));
            components.Add(new(Database, i, new(WorkloadKind.StatefulSet, $"mysql-set-{i}"), new[] { $"mysql-svc-{i}" },
                new[] { "sql-property", "sql-resource" }, new[] { "sqlvol" }, "app=mysql-svc"));
            components.Add(new(Cache, i, new(WorkloadKind.StatefulSet, $"cache-set-{i}"), new[] { $"cache-svc-{i}" },
                new[] { "cache-property", "cache-resource" }, new[] { "cachevol" }, "app=cache-svc"));
            components.Add(new(TrafficManager, i, new(WorkloadKind.Deployment, $"tm-deploy-{i}"), new[] { "tm-svc" },
                new[] { "tm-property", "tm-jks", "tm-trust-jks", "tm-resource" }, Array.Empty<string>(), null));
        }
        return new ClusterProfile(Name, "Mashery Local", components, StopOrder, StartOrder, ClusterSecrets, StorageClasses, ClaimLabelSelectors,
            Kit(components, zones));
    }

    /// <summary>The kit's start script.</summary>
    public const string StartScript = "start-tml-cluster.sh";

    /// <summary>
    /// The workload manifest of each component in the kit (deploy-*-pod.sh: <c>kubectl create -f nosql-pod-0.yaml</c>);
    /// the file is named after the component, not after the workload it holds (sql-pod-0.yaml holds mysql-set-0).
    /// </summary>
    private static readonly IReadOnlyDictionary<string, string> PodFilePrefix = new Dictionary<string, string>
    {
        [NoSql] = "nosql-pod", [ClusterManager] = "cm-pod", [Log] = "log-pod", [Database] = "sql-pod", [Cache] = "cache-pod", [TrafficManager] = "tm-pod",
    };

    /// <summary>
    /// The file or directory each component secret is made from (deploy-*-pod.sh: <c>kubectl create secret generic
    /// nosql-property --from-file=tml_nosql_properties.json</c>; the *-resource secrets take a whole directory).
    /// </summary>
    private static readonly IReadOnlyDictionary<string, (KitItemShape Shape, string Path)> SecretSources = new Dictionary<string, (KitItemShape, string)>
    {
        ["nosql-property"] = (KitItemShape.SecretFromFile, "tml_nosql_properties.json"),
        ["nosql-resource"] = (KitItemShape.SecretFromDirectory, "resources/tml-nosql"),
        ["nosql-p12"] = (KitItemShape.SecretFromFile, "tml-nosql.p12"),
        ["nosql-trust-p12"] = (KitItemShape.SecretFromFile, "tml-nosql-trust.p12"),
        ["cm-property"] = (KitItemShape.SecretFromFile, "tml_cm_properties.json"),
        ["cm-jks"] = (KitItemShape.SecretFromFile, "tml-cm.jks"),
        ["cm-crt"] = (KitItemShape.SecretFromFile, "tml-cm-crt.pem"),
        ["cm-key"] = (KitItemShape.SecretFromFile, "tml-cm-key.pk8"),
        ["cm-resource"] = (KitItemShape.SecretFromDirectory, "resources/tml-cm"),
        ["log-property"] = (KitItemShape.SecretFromFile, "tml_log_properties.json"),
        ["log-resource"] = (KitItemShape.SecretFromDirectory, "resources/tml-log"),
        ["sql-property"] = (KitItemShape.SecretFromFile, "tml_sql_properties.json"),
        ["sql-resource"] = (KitItemShape.SecretFromDirectory, "resources/tml-sql"),
        ["cache-property"] = (KitItemShape.SecretFromFile, "tml_cache_properties.json"),
        ["cache-resource"] = (KitItemShape.SecretFromDirectory, "resources/tml-cache"),
        ["tm-property"] = (KitItemShape.SecretFromFile, "tml_tm_properties.json"),
        ["tm-jks"] = (KitItemShape.SecretFromFile, "tml-tm.jks"),
        ["tm-trust-jks"] = (KitItemShape.SecretFromFile, "tml-tm-trust.jks"),
        ["tm-resource"] = (KitItemShape.SecretFromDirectory, "resources/tml-tm"),
    };

    /// <summary>
    /// What start-tml-cluster.sh applies, in its order: per component the services (set-*-svc.sh: one file per
    /// service, named after it), then the secrets, then the workloads (deploy-*-pod.sh). Cluster secrets
    /// (tml_cluster_properties.json, ...), storage classes and the namespace belong to create-tml-cluster.sh, and
    /// reporting is off in the kit, so none of them is read.
    /// </summary>
    private static ClusterKitLayout Kit(IReadOnlyList<ComponentDefinition> components, int zones)
    {
        var items = new List<KitItem>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Add(KitItem item)
        {
            if (seen.Add(item.Object))
                items.Add(item);
        }
        foreach (var component in StartOrder)
        {
            var units = components.Where(c => c.Component == component).OrderBy(c => c.Zone).ToList();
            foreach (var service in units.SelectMany(c => c.Services))
                Add(new KitItem("Service", service, KitItemShape.Manifest, $"{service}.yaml"));
            foreach (var secret in units.SelectMany(c => c.Secrets))
                Add(new KitItem("Secret", secret, SecretSources[secret].Shape, SecretSources[secret].Path));
            foreach (var c in units)
                Add(new KitItem(c.Workload.Kind.ToString(), c.Workload.Name, KitItemShape.Manifest, $"{PodFilePrefix[component]}-{c.Zone}.yaml"));
        }
        return new ClusterKitLayout(StartScript, items, StartOrder.Select(c => $"{PodFilePrefix[c]}-{zones}.yaml").ToList());
    }
}
