using ClusterOps.Kubernetes.Errors;
using ClusterOps.Kubernetes.Resources;
using Microsoft.AspNetCore.Http;

namespace ClusterOps.Tests.Kubernetes.Http;

/// <summary>
/// Issue 13 §4: insecure-skip-tls-verify together with a CA silently disabled the verification the CA asked for.
/// kubectl refuses the pair ("specifying a root certificates file with the insecure flag is not allowed"); so do we,
/// before any connection.
/// </summary>
public sealed class InsecureWithCaTests : HttpTestBase
{
    private static Task Pod(HttpContext c) =>
        TestApiServer.Json(c, 200, """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-0","namespace":"ns1"}}""");

    [Theory]
    [InlineData("data", "certificate-authority-data")]
    [InlineData("file", "certificate-authority")]
    public async Task Insecure_with_a_CA_is_refused_naming_the_cluster_and_nothing_is_sent(string form, string field)
    {
        await using var server = await TestApiServer.StartAsync(Pod);
        var ca = form == "data" ? server.CaDataLine : $"certificate-authority: {Dir.Write("ca.pem", server.Pki.CaPem)}";
        var config = server.KubeConfig(ca + "\ninsecure-skip-tls-verify: true", "token: t");

        var error = await Assert.ThrowsAsync<KubeConfigException>(async () =>
        {
            using var client = ClientFor(config);
            await client.GetAsync(KubeResources.Pods, "ns1", "web-0");
        });

        Assert.Contains("cluster 'test'", error.Message);
        Assert.Contains($"insecure-skip-tls-verify and {field}:", error.Message);
        Assert.Contains("specifying a root certificates file with the insecure flag is not allowed", error.Message);
        Assert.Equal(Dir.Combine("config"), error.File);
        Assert.Empty(server.Requests);
        Assert.Empty(Warnings);
    }

    [Fact]
    public async Task Insecure_false_with_a_CA_still_verifies_and_connects()
    {
        await using var server = await TestApiServer.StartAsync(Pod);
        using var client = ClientFor(server.KubeConfig(server.CaDataLine + "\ninsecure-skip-tls-verify: false", "token: t"));

        await client.GetAsync(KubeResources.Pods, "ns1", "web-0");

        Assert.Single(server.Requests);
    }
}
