using System.Text.Json.Nodes;
using ClusterOps.Sandbox.Server;

namespace ClusterOps.Sandbox.Scenarios;

/// <summary>
/// Stork installed (seed-semantics §1): its CRDs as stork registers them, the default schedule policies stork creates
/// at start, two ClusterPairs in namespace mysql (one with storage options, one without) and a MySQL-like app. Also an
/// ApplicationRegistration for an operator-managed app (a Cassandra datacenter whose spec.stopped suspends it, as
/// Stork's own registration for cass-operator has it) with that operator's CRD, so failover of registered custom
/// resources can be exercised.
/// </summary>
internal static class StorkScenario
{
    public const string Namespace = "mysql";
    public const string Group = "stork.libopenstorage.org";
    public const string CassandraGroup = "cassandra.datastax.com";
    internal const string ExampleGroup = "caches.example.com";

    public static void Seed(ObjectStore store)
    {
        Scenarios.Seed.Crd(store, Group, "v1alpha1", "SchedulePolicy", "schedulepolicies", namespaced: false, status: false, ["sp"]);
        Scenarios.Seed.Crd(store, Group, "v1alpha1", "NamespacedSchedulePolicy", "namespacedschedulepolicies", namespaced: true, status: false, ["nsp"]);
        Scenarios.Seed.Crd(store, Group, "v1alpha1", "MigrationSchedule", "migrationschedules", namespaced: true, status: false);
        Scenarios.Seed.Crd(store, Group, "v1alpha1", "Migration", "migrations", namespaced: true, status: false);
        Scenarios.Seed.Crd(store, Group, "v1alpha1", "ClusterPair", "clusterpairs", namespaced: true, status: false);
        Scenarios.Seed.Crd(store, Group, "v1alpha1", "ApplicationRegistration", "applicationregistrations", namespaced: false, status: false);
        Scenarios.Seed.Crd(store, CassandraGroup, "v1beta1", "CassandraDatacenter", "cassandradatacenters", namespaced: true, status: true, ["cassdc"]);
        // A sandbox-only operator kind whose registration lists its pods (podsPath), so deactivation's pod deletes are exercised.
        Scenarios.Seed.Crd(store, ExampleGroup, "v1", "ExampleCache", "examplecaches", namespaced: true, status: true);
        store.Create(Scenarios.Seed.D(store, Group, "applicationregistrations", "v1alpha1"), new JsonObject
        {
            ["apiVersion"] = $"{Group}/v1alpha1", ["kind"] = "ApplicationRegistration",
            ["metadata"] = new JsonObject { ["name"] = "examplecache" },
            ["resources"] = new JsonArray(new JsonObject
            {
                ["group"] = ExampleGroup, ["version"] = "v1", ["kind"] = "ExampleCache", ["keepStatus"] = false,
                ["suspendOptions"] = new JsonObject { ["path"] = "spec.suspended", ["type"] = "bool" },
                ["podsPath"] = "status.pods",
            }),
        }, null);
        store.Create(Scenarios.Seed.D(store, Group, "applicationregistrations", "v1alpha1"), new JsonObject
        {
            ["apiVersion"] = $"{Group}/v1alpha1", ["kind"] = "ApplicationRegistration",
            ["metadata"] = new JsonObject { ["name"] = "cassandra" },
            ["resources"] = new JsonArray(new JsonObject
            {
                ["group"] = CassandraGroup, ["version"] = "v1beta1", ["kind"] = "CassandraDatacenter", ["keepStatus"] = false,
                ["suspendOptions"] = new JsonObject { ["path"] = "spec.stopped", ["type"] = "bool" },
            }),
        }, null);

        var policies = Scenarios.Seed.D(store, Group, "schedulepolicies", "v1alpha1");
        void Policy(string name, JsonObject body) =>
            store.Create(policies, new JsonObject
            {
                ["apiVersion"] = $"{Group}/v1alpha1", ["kind"] = "SchedulePolicy",
                ["metadata"] = new JsonObject { ["name"] = name }, ["policy"] = body,
            }, null);
        Policy("default-migration-policy", new JsonObject { ["interval"] = new JsonObject { ["intervalMinutes"] = 30 } });
        Policy("default-interval-policy", new JsonObject { ["interval"] = new JsonObject { ["intervalMinutes"] = 15, ["retain"] = 10 } });
        Policy("default-daily-policy", new JsonObject { ["daily"] = new JsonObject { ["time"] = "12:00am", ["retain"] = 7 } });
        Policy("default-weekly-policy", new JsonObject { ["weekly"] = new JsonObject { ["day"] = "Sunday", ["time"] = "12:00am", ["retain"] = 4 } });
        Policy("default-monthly-policy", new JsonObject { ["monthly"] = new JsonObject { ["date"] = 15, ["time"] = "12:00am", ["retain"] = 12 } });

        Scenarios.Seed.Namespace(store, Namespace);
        Scenarios.Seed.StorageClass(store, "px-mysql-sc", "kubernetes.io/portworx-volume");
        var pairs = Scenarios.Seed.D(store, Group, "clusterpairs", "v1alpha1");
        store.Create(pairs, ClusterPair("remotecluster", new JsonObject
        {
            ["ip"] = "10.0.20.15", ["port"] = "9001", ["token"] = "sandbox-portworx-cluster-token", ["mode"] = "DisasterRecovery",
        }, storageStatus: "Ready"), Namespace);
        store.Create(pairs, ClusterPair("remotecluster-sync", null, storageStatus: "NotProvided"), Namespace);

        var labels = new JsonObject { ["app"] = "mysql" };
        Scenarios.Seed.Secret(store, Namespace, "mysql-credentials", new JsonObject { ["MYSQL_ROOT_PASSWORD"] = "sandbox-root-password", ["MYSQL_PASSWORD"] = "sandbox-app-password" });
        Scenarios.Seed.ConfigMap(store, Namespace, "mysql-config", new JsonObject { ["my.cnf"] = "[mysqld]\nbind-address=0.0.0.0\ninnodb_buffer_pool_size=256M\n" }, labels.DeepClone().AsObject());
        store.Create(Scenarios.Seed.D(store, "", "persistentvolumeclaims"), new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "PersistentVolumeClaim",
            ["metadata"] = new JsonObject { ["name"] = "mysql-data", ["namespace"] = Namespace, ["labels"] = labels.DeepClone() },
            ["spec"] = new JsonObject
            {
                ["accessModes"] = new JsonArray("ReadWriteOnce"), ["storageClassName"] = "px-mysql-sc",
                ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = "2Gi" } },
            },
        }, Namespace);
        Scenarios.Seed.Service(store, Namespace, "mysql", labels.DeepClone().AsObject(), 3306);
        var env = new JsonArray(new JsonObject
        {
            ["name"] = "MYSQL_ROOT_PASSWORD",
            ["valueFrom"] = new JsonObject { ["secretKeyRef"] = new JsonObject { ["name"] = "mysql-credentials", ["key"] = "MYSQL_ROOT_PASSWORD" } },
        });
        Scenarios.Seed.Deployment(store, Namespace, "mysql", labels.DeepClone().AsObject(), Scenarios.Seed.PodTemplate(labels.DeepClone().AsObject(), "mysql", "mysql:8.0",
            new JsonArray(new JsonObject { ["name"] = "data", ["persistentVolumeClaim"] = new JsonObject { ["claimName"] = "mysql-data" } }),
            new JsonArray(new JsonObject { ["name"] = "data", ["mountPath"] = "/var/lib/mysql" }), env));

        var replicaLabels = new JsonObject { ["app"] = "mysql-replica" };
        Scenarios.Seed.Service(store, Namespace, "mysql-replica", replicaLabels.DeepClone().AsObject(), 3306, headless: true);
        var template = Scenarios.Seed.PodTemplate(replicaLabels.DeepClone().AsObject(), "mysql", "mysql:8.0", null,
            new JsonArray(new JsonObject { ["name"] = "data", ["mountPath"] = "/var/lib/mysql" }), env.DeepClone().AsArray());
        store.Create(Scenarios.Seed.D(store, "apps", "statefulsets"), new JsonObject
        {
            ["apiVersion"] = "apps/v1", ["kind"] = "StatefulSet",
            ["metadata"] = new JsonObject { ["name"] = "mysql-replica", ["namespace"] = Namespace, ["labels"] = replicaLabels.DeepClone() },
            ["spec"] = new JsonObject
            {
                ["replicas"] = 2, ["serviceName"] = "mysql-replica",
                ["selector"] = new JsonObject { ["matchLabels"] = replicaLabels.DeepClone() },
                ["template"] = template,
                ["volumeClaimTemplates"] = new JsonArray(new JsonObject
                {
                    ["metadata"] = new JsonObject { ["name"] = "data" },
                    ["spec"] = new JsonObject
                    {
                        ["accessModes"] = new JsonArray("ReadWriteOnce"), ["storageClassName"] = "px-mysql-sc",
                        ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = "2Gi" } },
                    },
                }),
            },
        }, Namespace);
    }

    private static JsonObject ClusterPair(string name, JsonObject? options, string storageStatus)
    {
        var spec = new JsonObject
        {
            ["config"] = new JsonObject
            {
                ["clusters"] = new JsonObject { ["remote"] = new JsonObject { ["server"] = "https://remote.sandbox.local:6443", ["insecure-skip-tls-verify"] = true } },
                ["contexts"] = new JsonObject { ["remote"] = new JsonObject { ["cluster"] = "remote", ["user"] = "remote-admin" } },
                ["users"] = new JsonObject { ["remote-admin"] = new JsonObject { ["token"] = "sandbox-remote-token" } },
                ["current-context"] = "remote",
            },
        };
        if (options != null) spec["options"] = options;
        return new JsonObject
        {
            ["apiVersion"] = $"{Group}/v1alpha1", ["kind"] = "ClusterPair",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Namespace },
            ["spec"] = spec,
            ["status"] = new JsonObject { ["schedulerStatus"] = "Ready", ["storageStatus"] = storageStatus, ["remoteStorageId"] = options != null ? "px-remote-7f3a" : "" },
        };
    }
}
