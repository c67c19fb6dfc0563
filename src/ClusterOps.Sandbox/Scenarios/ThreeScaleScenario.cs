using System.Text.Json.Nodes;
using ClusterOps.Sandbox.Server;

namespace ClusterOps.Sandbox.Scenarios;

/// <summary>
/// A 3scale API Management install in namespace 3scale (seed-semantics §2): the operator's CRDs, one APIManager with
/// external databases and PVC file storage, the secrets and configmaps the backup copies, and PVC system-storage.
/// </summary>
internal static class ThreeScaleScenario
{
    public const string Namespace = "3scale";
    public const string Group = "apps.3scale.net";

    public static readonly string[] BackupSecrets =
    [
        "backend-internal-api", "backend-listener", "backend-redis", "system-app", "system-database", "system-events-hook",
        "system-master-apicast", "system-memcache", "system-recaptcha", "system-redis", "system-seed", "system-smtp", "zync",
    ];

    public static readonly string[] ConfigMaps = ["apicast-environment", "system-environment"];

    public static readonly string[] DeploymentNames =
        ["apicast-production", "apicast-staging", "backend-listener", "backend-worker", "backend-cron", "system-app", "system-sidekiq", "system-searchd", "zync", "zync-que"];

    public static void Seed(ObjectStore store)
    {
        Scenarios.Seed.Crd(store, Group, "v1alpha1", "APIManager", "apimanagers", namespaced: true, status: true);
        Scenarios.Seed.Crd(store, Group, "v1alpha1", "APIManagerBackup", "apimanagerbackups", namespaced: true, status: true);
        Scenarios.Seed.Crd(store, Group, "v1alpha1", "APIManagerRestore", "apimanagerrestores", namespaced: true, status: true);
        Scenarios.Seed.Namespace(store, Namespace);
        Scenarios.Seed.StorageClass(store, "standard", "sandbox.clusterops.io/hostpath", isDefault: store.Snapshot(Scenarios.Seed.D(store, "storage.k8s.io", "storageclasses"), null).Count == 0);
        Scenarios.Seed.StorageClass(store, "nfs-rwx", "sandbox.clusterops.io/nfs");

        var app = new JsonObject { ["app"] = "3scale-api-management", ["threescale_component"] = "system" };
        foreach (var s in BackupSecrets)
            Scenarios.Seed.Secret(store, Namespace, s, SecretData(s), new JsonObject { ["app"] = "3scale-api-management" });
        Scenarios.Seed.ConfigMap(store, Namespace, "apicast-environment", new JsonObject
        {
            ["APICAST_MANAGEMENT_API"] = "status", ["OPENSSL_VERIFY"] = "false", ["APICAST_RESPONSE_CODES"] = "true",
        }, new JsonObject { ["app"] = "3scale-api-management" });
        Scenarios.Seed.ConfigMap(store, Namespace, "system-environment", new JsonObject
        {
            ["AMP_RELEASE"] = "2.15", ["APICAST_REGISTRY_URL"] = "http://apicast-staging:8090/policies", ["FORCE_SSL"] = "true",
            ["PROVIDER_PLAN"] = "enterprise", ["RAILS_ENV"] = "production", ["RAILS_LOG_LEVEL"] = "info", ["THINKING_SPHINX_PORT"] = "9306",
        }, new JsonObject { ["app"] = "3scale-api-management" });

        store.Create(Scenarios.Seed.D(store, "", "persistentvolumeclaims"), new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "PersistentVolumeClaim",
            ["metadata"] = new JsonObject { ["name"] = "system-storage", ["namespace"] = Namespace, ["labels"] = app.DeepClone() },
            ["spec"] = new JsonObject
            {
                ["accessModes"] = new JsonArray("ReadWriteMany"), ["storageClassName"] = "nfs-rwx",
                ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = "100Mi" } },
            },
        }, Namespace);

        store.Create(Scenarios.Seed.D(store, Group, "apimanagers", "v1alpha1"), new JsonObject
        {
            ["apiVersion"] = $"{Group}/v1alpha1", ["kind"] = "APIManager",
            ["metadata"] = new JsonObject { ["name"] = "example-apimanager", ["namespace"] = Namespace },
            ["spec"] = new JsonObject
            {
                ["wildcardDomain"] = "apps.sandbox.example.com",
                ["resourceRequirementsEnabled"] = false,
                ["externalComponents"] = new JsonObject
                {
                    ["system"] = new JsonObject { ["database"] = true, ["redis"] = true },
                    ["backend"] = new JsonObject { ["redis"] = true },
                },
                ["system"] = new JsonObject
                {
                    ["fileStorage"] = new JsonObject { ["persistentVolumeClaim"] = new JsonObject { ["storageClassName"] = "nfs-rwx" } },
                },
            },
        }, Namespace);

        foreach (var d in DeploymentNames)
        {
            var labels = new JsonObject { ["deployment"] = d, ["app"] = "3scale-api-management" };
            JsonArray? volumes = null, mounts = null;
            if (d is "system-app" or "system-sidekiq")
            {
                volumes = new JsonArray(new JsonObject { ["name"] = "system-storage", ["persistentVolumeClaim"] = new JsonObject { ["claimName"] = "system-storage" } });
                mounts = new JsonArray(new JsonObject { ["name"] = "system-storage", ["mountPath"] = "/opt/system/public/system" });
            }
            Scenarios.Seed.Deployment(store, Namespace, d, labels, Scenarios.Seed.PodTemplate(labels.DeepClone().AsObject(), d, $"registry.redhat.io/3scale-amp2/{d.Split('-')[0]}-rhel8:3scale2.15", volumes, mounts));
        }
    }

    /// <summary>Workloads ready and the APIManager reporting Available.</summary>
    public static bool IsReady(ObjectStore store)
    {
        if (!Scenarios.Seed.WorkloadsReady(store, Namespace)) return false;
        var am = store.Get(Scenarios.Seed.D(store, Group, "apimanagers", "v1alpha1"), Namespace, "example-apimanager")?.Parse();
        return Json.Objects(Json.At(am, "status", "conditions")).Any(c => Json.Str(c, "type") == "Available" && Json.Str(c, "status") == "True");
    }

    private static JsonObject SecretData(string name) => name switch
    {
        "system-database" => new JsonObject { ["URL"] = "mysql2://root:sandbox-db-password@mysql.external.example.com/system", ["DB_USER"] = "system", ["DB_PASSWORD"] = "sandbox-db-password" },
        "backend-redis" => new JsonObject { ["REDIS_STORAGE_URL"] = "redis://redis.external.example.com:6379/0", ["REDIS_QUEUES_URL"] = "redis://redis.external.example.com:6379/1" },
        "system-redis" => new JsonObject { ["URL"] = "redis://redis.external.example.com:6379/2" },
        "system-seed" => new JsonObject { ["ADMIN_USER"] = "admin", ["ADMIN_PASSWORD"] = "sandbox-admin-password", ["MASTER_USER"] = "master", ["MASTER_PASSWORD"] = "sandbox-master-password" },
        _ => new JsonObject { ["SANDBOX_VALUE"] = $"{name}-sandbox-secret" },
    };
}
