using System.Net.Http;
using ClusterOps.Kubernetes.Config;
using ClusterOps.Kubernetes.Http;
using ClusterOps.Sandbox;

namespace ClusterOps.Tests.Sandbox;

/// <summary>--clusters N: independent clusters behind one kubeconfig, each with its own faults (issue 15).</summary>
public sealed class SandboxFleetTests
{
    [Fact]
    public async Task Each_cluster_has_its_own_store_port_identity_and_faults()
    {
        await using var fleet = await SandboxFleet.StartAsync(new SandboxOptions { EnableControllers = false }, 3);
        var config = KubeConfigLoader.LoadFiles([fleet.KubeConfigPath]);
        Assert.Equal(["sandbox-1", "sandbox-2", "sandbox-3"], config.ContextsInOrder.Select(c => c.Name));
        Assert.Equal(3, fleet.Clusters.Select(c => c.BaseAddress).Distinct().Count());

        using var one = KubeClient.Create(config.Resolve("sandbox-1"));
        using var two = KubeClient.Create(config.Resolve("sandbox-2"));
        Assert.Equal("sandbox-admin-1", (await one.WhoAmIAsync(default))?.Username);
        Assert.Equal("sandbox-admin-2", (await two.WhoAmIAsync(default))?.Username);

        // A namespace made in one cluster exists in that one only.
        fleet.Clusters[0].Apply("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: only-in-one\n");
        Assert.NotNull(fleet.Clusters[0].Get("namespaces", null, "only-in-one"));
        Assert.Null(fleet.Clusters[1].Get("namespaces", null, "only-in-one"));

        // Unreachable is per cluster: its API connections drop, the others answer.
        fleet.Clusters[1].Faults.Unreachable = true;
        using var noRetry = KubeClient.Create(config.Resolve("sandbox-2"), new KubeClientOptions { Retry = RetryPolicy.None });
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => noRetry.GetVersionAsync(default));
        Assert.NotNull(await one.GetVersionAsync(default));
        fleet.Clusters[1].Faults.Clear();
        Assert.NotNull(await noRetry.GetVersionAsync(default));
    }

    [Fact]
    public async Task A_kubeconfig_may_name_more_contexts_than_clusters()
    {
        await using var fleet = await SandboxFleet.StartAsync(new SandboxOptions { EnableControllers = false }, 2);
        var path = Path.Combine(Path.GetTempPath(), $"clusterops-fleet-{Guid.NewGuid():N}.kubeconfig");
        try
        {
            fleet.WriteKubeConfig(path, 5);
            var config = KubeConfigLoader.LoadFiles([path]);
            Assert.Equal(5, config.Contexts.Count);
            Assert.Equal(config.Resolve("sandbox-1").Cluster.Server, config.Resolve("sandbox-3").Cluster.Server);
            Assert.NotEqual(config.Resolve("sandbox-1").Cluster.Server, config.Resolve("sandbox-2").Cluster.Server);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
