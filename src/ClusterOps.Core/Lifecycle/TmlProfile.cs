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
        return new ClusterProfile(Name, "Mashery Local", components, StopOrder, StartOrder, ClusterSecrets, StorageClasses, ClaimLabelSelectors);
    }
}
