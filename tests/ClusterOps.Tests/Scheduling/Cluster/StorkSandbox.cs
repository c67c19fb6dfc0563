using System.Text.Json.Nodes;
using ClusterOps.Kubernetes.Config;
using ClusterOps.Kubernetes.Http;
using ClusterOps.Sandbox;

namespace ClusterOps.Tests.Scheduling.Cluster;

/// <summary>
/// The sandbox's stork scenario (namespace mysql, Stork's CRDs and default policies, ClusterPairs remotecluster with
/// storage options and remotecluster-sync without, a MySQL-like app, the migration-schedule controller on the sandbox
/// clock) and a client for it. Shared by a test class: tests use their own object names.
/// </summary>
public sealed class StorkSandbox : IAsyncLifetime
{
    public const string Namespace = "mysql";

    public SandboxServer Server { get; private set; } = null!;
    public KubeClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await SandboxServer.StartAsync(new SandboxOptions { Scenario = "stork", ReadyDelay = TimeSpan.FromMilliseconds(100) });
        Client = KubeClient.Create(KubeConfigLoader.Load(Server.KubeConfigPath).Resolve(), new KubeClientOptions { Retry = RetryPolicy.None });
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }

    public string NewNamespace(string prefix)
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];
        Server.Create(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = name } });
        return name;
    }

    public static async Task Eventually(string what, Func<bool> condition, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new Xunit.Sdk.XunitException($"timed out waiting for: {what}");
            await Task.Delay(25);
        }
    }
}
