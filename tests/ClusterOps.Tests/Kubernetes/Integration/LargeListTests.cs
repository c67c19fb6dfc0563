using ClusterOps.Kubernetes.Config;
using ClusterOps.Kubernetes.Http;
using ClusterOps.Kubernetes.Resources;
using ClusterOps.Sandbox;

namespace ClusterOps.Tests.Kubernetes.Integration;

public sealed class LargeListTests
{
    [Fact]
    public async Task ThousandsOfClaimsStreamAcrossPagesExactlyOnce()
    {
        using var dir = new TempDir();
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions
        {
            KubeConfigPath = dir.Combine("kubeconfig"), Pvcs = 3000, Namespaces = 3, EnableControllers = false,
        });
        var context = KubeConfigLoader.Load(sandbox.KubeConfigPath, new KubeEnvironment(_ => null, "/none", "/none")).Resolve();
        using var client = KubeClient.Create(context, new KubeClientOptions { GetEnvironmentVariable = _ => null });
        var uids = new HashSet<string>();
        var pages = 0;
        await foreach (var page in client.ListPagesAsync(KubeResources.PersistentVolumeClaims, null, new ListOptions { PageSize = 500 }))
        {
            pages++;
            foreach (var pvc in page.Items)
                Assert.True(uids.Add(pvc.Metadata.Uid!), "duplicate " + pvc.Metadata.Name);
        }
        Assert.Equal(3000, uids.Count);
        Assert.Equal(6, pages);
    }
}
