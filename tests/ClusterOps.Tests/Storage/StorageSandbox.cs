using System.Text.Json.Nodes;
using ClusterOps.Kubernetes.Config;
using ClusterOps.Kubernetes.Http;
using ClusterOps.Sandbox;

namespace ClusterOps.Tests.Storage;

/// <summary>A private sandbox (no controllers: claims and volumes are exactly as seeded) and a client for it.</summary>
public sealed class StorageSandbox : IAsyncLifetime
{
    public SandboxServer Server { get; private set; } = null!;
    public KubeClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await SandboxServer.StartAsync(new SandboxOptions { Scenario = "empty", EnableControllers = false });
        Client = KubeClient.Create(KubeConfigLoader.Load(Server.KubeConfigPath).Resolve(),
            new KubeClientOptions { Retry = RetryPolicy.None });
        foreach (var ns in new[] { "tml", "shop" })
            Server.Create(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ns } });
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }

    public JsonObject Claim(string ns, string name, string phase, string? volume = null, string app = "cass-svc", string capacity = "2Gi",
        string[]? modes = null, string? storageClass = "nosql-storage-class", DateTimeOffset? created = null)
    {
        var status = new JsonObject { ["phase"] = phase };
        if (volume is not null)
        {
            status["capacity"] = new JsonObject { ["storage"] = capacity };
            status["accessModes"] = new JsonArray((modes ?? new[] { "ReadWriteOnce" }).Select(m => (JsonNode)m).ToArray());
        }
        var spec = new JsonObject
        {
            ["accessModes"] = new JsonArray((modes ?? new[] { "ReadWriteOnce" }).Select(m => (JsonNode)m).ToArray()),
            ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = "1Gi" } },
            ["volumeMode"] = "Filesystem",
        };
        if (storageClass is not null)
            spec["storageClassName"] = storageClass;
        if (volume is not null)
            spec["volumeName"] = volume;
        var meta = new JsonObject { ["name"] = name, ["namespace"] = ns, ["labels"] = new JsonObject { ["app"] = app } };
        if (created is not null)
            meta["creationTimestamp"] = created.Value.ToString("yyyy-MM-ddTHH:mm:ssZ");
        return Server.Create(new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "PersistentVolumeClaim", ["metadata"] = meta, ["spec"] = spec, ["status"] = status,
        });
    }

    public JsonObject Volume(string name, string? claimNs, string? claim, string policy = "Retain", string phase = "Bound", string app = "tml")
    {
        var spec = new JsonObject
        {
            ["capacity"] = new JsonObject { ["storage"] = "2Gi" },
            ["accessModes"] = new JsonArray("ReadWriteOnce", "ReadWriteMany"),
            ["persistentVolumeReclaimPolicy"] = policy,
            ["storageClassName"] = "nosql-storage-class",
            ["hostPath"] = new JsonObject { ["path"] = $"/data/{name}" },
        };
        if (claim is not null)
            spec["claimRef"] = new JsonObject { ["kind"] = "PersistentVolumeClaim", ["namespace"] = claimNs, ["name"] = claim };
        return Server.Create(new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "PersistentVolume",
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["app"] = app } },
            ["spec"] = spec,
            ["status"] = new JsonObject { ["phase"] = phase },
        });
    }
}
