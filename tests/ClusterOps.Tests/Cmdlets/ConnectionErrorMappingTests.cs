using ClusterOps.Kubernetes.Resources;
using System.Net.Http;
using ClusterOps.Cmdlets.Infrastructure;
using ClusterOps.Core.Common;
using ClusterOps.Kubernetes;
using ClusterOps.Kubernetes.Config;
using ClusterOps.Kubernetes.Errors;
using ClusterOps.Sandbox;
using ClusterOps.Tests.Kubernetes;

namespace ClusterOps.Tests.Cmdlets;

public sealed class ConnectionErrorMappingTests
{
    [Fact]
    public void ClientFailuresMapToStableIdsAndCategories()
    {
        var missing = ErrorClassifier.Classify(new KubeApiGroupNotInstalledException("stork.libopenstorage.org", "v1alpha1", null, "The Stork CRDs (stork.libopenstorage.org/v1alpha1) are not installed in this cluster."));
        Assert.Equal(("KubeApiGroupNotInstalled", FailureKind.NotInstalled), (missing.ErrorId, missing.Kind));
        Assert.Contains("Stork CRDs", missing.Message);

        var auth = ErrorClassifier.Classify(new KubeAuthException("plugin missing", "alice"));
        Assert.Equal(("KubeAuthFailed", FailureKind.AuthenticationError, (object?)"alice"), (auth.ErrorId, auth.Kind, auth.Target));

        var tls = ErrorClassifier.Classify(new HttpRequestException("ssl", new KubeTlsException("not trusted by the certificate-authority file '/x'", "s", "h")));
        Assert.Equal("KubeTlsFailed", tls.ErrorId);
        Assert.Contains("/x", tls.Message);

        var expired = ErrorClassifier.Classify(new KubeListExpiredException("expired", "GET", "/api/v1/pods", 3));
        Assert.Equal("KubeApiExpired", expired.ErrorId);
    }

    [Fact]
    public async Task NamespaceCompletionListsTheClustersNamespaces()
    {
        using var dir = new TempDir();
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { KubeConfigPath = dir.Combine("kubeconfig") });
        var cache = new KubeConnectionCache(new KubeEnvironment(_ => null, "/nonexistent-home", "/nonexistent-sa"),
            new ClusterOps.Kubernetes.Http.KubeClientOptions { GetEnvironmentVariable = _ => null });
        var session = cache.GetSession(new KubeSessionRequest(sandbox.KubeConfigPath));
        var names = await NameCompletion.CompleteAsync("test|" + sandbox.KubeConfigPath,
            ct => NameCompletion.FirstPageAsync(session.Client, KubeResources.Namespaces, null, n => n.Metadata.Name, ct), "kube-");
        Assert.Equal(new[] { "kube-node-lease", "kube-public", "kube-system" }, names.OrderBy(n => n, StringComparer.Ordinal));
    }
}
