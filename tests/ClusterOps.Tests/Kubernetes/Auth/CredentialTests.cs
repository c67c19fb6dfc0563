using System.Text;
using ClusterOps.Kubernetes.Auth;
using ClusterOps.Kubernetes.Config;
using ClusterOps.Kubernetes.Errors;
using ClusterOps.Kubernetes.Resources;
using ClusterOps.Tests.Kubernetes.Http;
using Microsoft.AspNetCore.Http;

namespace ClusterOps.Tests.Kubernetes.Auth;

public sealed class CredentialTests : HttpTestBase
{
    private static Task Ok(HttpContext c) =>
        TestApiServer.Json(c, 200, """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"ns1"}}""");

    /// <summary>Accepts only the bearer tokens in <paramref name="valid"/> (401 otherwise).</summary>
    private static Func<HttpContext, Task> AcceptTokens(Func<string?, bool> valid) => c =>
        valid(c.Request.Headers.Authorization.FirstOrDefault())
            ? Ok(c)
            : TestApiServer.Json(c, 401, TestApiServer.StatusJson(401, "Unauthorized", "Unauthorized"));

    private static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));

    [Fact]
    public async Task BasicAuthAndImpersonationHeaders()
    {
        await using var server = await TestApiServer.StartAsync(Ok);
        using var client = ClientFor(server.KubeConfig(server.CaDataLine, """
            username: admin
            password: "p@ss:word"
            as: jane
            as-uid: "1234"
            as-groups: [devs, ops]
            as-user-extra: {"reason/why": [audit]}
            """));
        await client.GetAsync(KubeResources.Pods, "ns1", "p");
        var seen = server.Requests.Single();
        Assert.Equal("Basic " + B64("admin:p@ss:word"), seen.Authorization);
        Assert.Equal(new[] { "jane" }, seen.Impersonation["Impersonate-User"]);
        Assert.Equal(new[] { "1234" }, seen.Impersonation["Impersonate-Uid"]);
        Assert.Equal(new[] { "devs", "ops" }, seen.Impersonation["Impersonate-Group"].SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries)));
        Assert.Equal(new[] { "audit" }, seen.Impersonation["Impersonate-Extra-reason%2Fwhy"]);
    }

    [Fact]
    public async Task OidcSendsTheIdToken()
    {
        await using var server = await TestApiServer.StartAsync(Ok);
        using var client = ClientFor(server.KubeConfig(server.CaDataLine, "auth-provider: {name: oidc, config: {id-token: eyJ.id.token, client-id: k}}"));
        await client.GetAsync(KubeResources.Pods, "ns1", "p");
        Assert.Equal("Bearer eyJ.id.token", server.Requests.Single().Authorization);
    }

    [Theory]
    [InlineData("azure", "kubelogin")]
    [InlineData("gcp", "gke-gcloud-auth-plugin")]
    public void RemovedAuthProvidersNameTheirReplacement(string provider, string replacement)
    {
        var ctx = Resolve($"""
            current-context: c
            clusters: [{"{"}name: k, cluster: {"{"}server: "https://h"{"}"}{"}"}]
            users: [{"{"}name: u, user: {"{"}auth-provider: {"{"}name: {provider}{"}"}{"}"}{"}"}]
            contexts: [{"{"}name: c, context: {"{"}cluster: k, user: u{"}"}{"}"}]
            """);
        var ex = Assert.Throws<KubeAuthException>(() => KubeCredentials.Create(ctx.User, ctx.Cluster));
        Assert.Contains(replacement, ex.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ClientCertificateFromDataOrFiles(bool files)
    {
        await using var server = await TestApiServer.StartAsync(Ok);
        var (cert, key) = server.Pki.Client("cert-user", rsa: !files);
        string user;
        if (files)
        {
            Dir.Write("pki/user.crt", cert);
            Dir.Write("pki/user.key", key);
            user = "client-certificate: pki/user.crt\nclient-key: pki/user.key";
        }
        else
        {
            user = $"client-certificate-data: {B64(cert)}\nclient-key-data: {B64(key)}";
        }
        using var client = ClientFor(server.KubeConfig(server.CaDataLine, user));
        await client.GetAsync(KubeResources.Pods, "ns1", "p");
        var seen = server.Requests.Single();
        Assert.Contains("CN=cert-user", seen.ClientCertificateSubject);
        Assert.Null(seen.Authorization);
    }

    [Fact]
    public async Task TokenFileIsReReadWhenItChangesAndLastGoodReadWins()
    {
        var current = "first";
        await using var server = await TestApiServer.StartAsync(AcceptTokens(h => h == "Bearer " + Volatile.Read(ref current)));
        var tokenPath = Dir.Write("token", "first\n");
        using var client = ClientFor(server.KubeConfig(server.CaDataLine, "tokenFile: token"));
        await client.GetAsync(KubeResources.Pods, "ns1", "p");

        Volatile.Write(ref current, "second");
        File.WriteAllText(tokenPath, "second");
        File.SetLastWriteTimeUtc(tokenPath, DateTime.UtcNow.AddSeconds(5));
        await client.GetAsync(KubeResources.Pods, "ns1", "p");
        Assert.Equal("Bearer second", server.Requests.Last().Authorization);

        File.WriteAllText(tokenPath, "   "); // a half-written rotation: keep the last good token
        File.SetLastWriteTimeUtc(tokenPath, DateTime.UtcNow.AddSeconds(10));
        await client.GetAsync(KubeResources.Pods, "ns1", "p");
        Assert.Equal("Bearer second", server.Requests.Last().Authorization);
    }

    [Fact]
    public async Task TokenFileIsReReadAfterA401EvenWithAnUnchangedTimestamp()
    {
        var current = "old";
        await using var server = await TestApiServer.StartAsync(AcceptTokens(h => h == "Bearer " + Volatile.Read(ref current)));
        var tokenPath = Dir.Write("token", "old");
        using var client = ClientFor(server.KubeConfig(server.CaDataLine, "tokenFile: token"));
        await client.GetAsync(KubeResources.Pods, "ns1", "p");
        var stamp = File.GetLastWriteTimeUtc(tokenPath);
        File.WriteAllText(tokenPath, "new");
        File.SetLastWriteTimeUtc(tokenPath, stamp);
        Volatile.Write(ref current, "new");
        await client.GetAsync(KubeResources.Pods, "ns1", "p");
        Assert.Equal(new[] { "Bearer old", "Bearer old", "Bearer new" }, server.Requests.Select(r => r.Authorization));
    }

    [Fact]
    public async Task StaticTokenIsNotRetriedOn401()
    {
        await using var server = await TestApiServer.StartAsync(AcceptTokens(_ => false));
        using var client = ClientFor(server.KubeConfig(server.CaDataLine, "token: wrong-token-value"));
        var ex = await Assert.ThrowsAsync<KubeApiException>(() => client.GetAsync(KubeResources.Pods, "ns1", "p"));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, ex.StatusCode);
        Assert.Single(server.Requests);
        Assert.DoesNotContain("wrong-token-value", ex.ToString());
    }
}
