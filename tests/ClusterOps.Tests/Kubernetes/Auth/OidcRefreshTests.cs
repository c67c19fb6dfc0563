using System.Collections.Concurrent;
using System.Runtime.Versioning;
using System.Text;
using ClusterOps.Kubernetes.Errors;
using ClusterOps.Kubernetes.Resources;
using ClusterOps.Tests.Kubernetes.Http;
using Microsoft.AspNetCore.Http;

namespace ClusterOps.Tests.Kubernetes.Auth;

/// <summary>
/// The oidc auth-provider's refresh-token flow, against a small OIDC issuer served here: discovery of the
/// token_endpoint, the refresh grant, the new tokens used and written back to the kubeconfig they came from.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class OidcRefreshTests : HttpTestBase
{
    private static string Jwt(string subject, DateTimeOffset expires)
    {
        static string B64(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return $"{B64("""{"alg":"RS256"}""")}.{B64($$"""{"sub":"{{subject}}","exp":{{expires.ToUnixTimeSeconds()}}}""")}.c2lnbmF0dXJl";
    }

    private readonly string _expired = Jwt("old", DateTimeOffset.UtcNow.AddHours(-1));
    private readonly string _renewed = Jwt("new", DateTimeOffset.UtcNow.AddHours(1));
    private readonly ConcurrentQueue<string> _tokenRequests = new();

    /// <summary>An issuer that renews refresh-token r1 for client kube:s3cret, or answers invalid_grant.</summary>
    private Task<TestApiServer> IssuerAsync(bool refuse = false)
    {
        TestApiServer? self = null;
        var task = TestApiServer.StartAsync(async c =>
        {
            if (c.Request.Path == "/.well-known/openid-configuration")
            {
                await TestApiServer.Json(c, 200, $$"""{"issuer":"{{self!.BaseUrl}}","token_endpoint":"{{self.BaseUrl}}/token"}""");
                return;
            }
            // The test server has already read the body into its request record.
            var form = System.Web.HttpUtility.ParseQueryString(self!.Requests.Last().Body ?? "");
            _tokenRequests.Enqueue($"{c.Request.Method} {c.Request.Path} {c.Request.Headers.Authorization} grant={form["grant_type"]} refresh={form["refresh_token"]}");
            if (refuse || form["refresh_token"] != "r1")
            {
                await TestApiServer.Json(c, 400, """{"error":"invalid_grant","error_description":"token r1 is expired"}""");
                return;
            }
            await TestApiServer.Json(c, 200, $$"""{"id_token":"{{_renewed}}","refresh_token":"r2","token_type":"Bearer"}""");
        });
        return task.ContinueWith(t => self = t.Result);
    }

    /// <summary>An API server that accepts only the renewed id-token.</summary>
    private Task<TestApiServer> ApiServerAsync() => TestApiServer.StartAsync(c =>
        c.Request.Headers.Authorization == "Bearer " + _renewed
            ? TestApiServer.Json(c, 200, """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"ns1"}}""")
            : TestApiServer.Json(c, 401, TestApiServer.StatusJson(401, "Unauthorized", "Unauthorized")));

    private static string OidcUser(TestApiServer issuer, string idToken, string refreshToken = "r1") =>
        $"auth-provider: {{name: oidc, config: {{id-token: '{idToken}', refresh-token: {refreshToken}, idp-issuer-url: '{issuer.BaseUrl}', client-id: kube, client-secret: s3cret, idp-certificate-authority-data: {issuer.Pki.CaBase64}}}}}";

    [UnixFact]
    public async Task An_expired_id_token_is_renewed_and_written_back_to_its_kubeconfig()
    {
        await using var issuer = await IssuerAsync();
        await using var api = await ApiServerAsync();
        var path = Dir.Write("config", api.KubeConfig(api.CaDataLine, OidcUser(issuer, _expired)));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using var client = global::ClusterOps.Kubernetes.Http.KubeClient.Create(
            global::ClusterOps.Kubernetes.Config.KubeConfigLoader.Load(path, new global::ClusterOps.Kubernetes.Config.KubeEnvironment(_ => null, "/nonexistent-home", "/nonexistent-sa")).Resolve(),
            FastOptions(), Log);

        Assert.Equal("p", (await client.GetAsync(KubeResources.Pods, "ns1", "p")).Metadata.Name);

        // One refresh, by discovery, with the client's credentials, before any request with the expired token.
        var refresh = Assert.Single(_tokenRequests);
        Assert.Equal($"POST /token Basic {Convert.ToBase64String(Encoding.UTF8.GetBytes("kube:s3cret"))} grant=refresh_token refresh=r1", refresh);
        Assert.DoesNotContain(api.Requests, r => r.Authorization == "Bearer " + _expired);
        // Written back where it came from; everything else kept; still owner-only.
        var written = File.ReadAllText(path);
        Assert.Contains(_renewed, written);
        Assert.Contains("refresh-token: r2", written);
        Assert.DoesNotContain(_expired, written);
        Assert.Contains("client-secret: s3cret", written);
        Assert.Contains($"server: {api.BaseUrl}", written);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp"));
        // A new process starts with the renewed tokens and needs no refresh.
        var reloaded = global::ClusterOps.Kubernetes.Config.KubeConfigLoader.Load(path, new global::ClusterOps.Kubernetes.Config.KubeEnvironment(_ => null, "/nonexistent-home", "/nonexistent-sa")).Resolve();
        Assert.Equal(_renewed, reloaded.User.AuthProvider!.Config["id-token"]);
        // No token or secret in any log line.
        Assert.DoesNotContain("s3cret", AllLogText);
        Assert.DoesNotContain(_renewed, AllLogText);
    }

    [UnixFact]
    public async Task A_401_for_a_token_that_looks_valid_renews_it_once_and_retries()
    {
        await using var issuer = await IssuerAsync();
        await using var api = await ApiServerAsync();
        var revoked = Jwt("revoked", DateTimeOffset.UtcNow.AddHours(1));
        using var client = ClientFor(api.KubeConfig(api.CaDataLine, OidcUser(issuer, revoked)));

        Assert.Equal("p", (await client.GetAsync(KubeResources.Pods, "ns1", "p")).Metadata.Name);
        Assert.Equal(new[] { "Bearer " + revoked, "Bearer " + _renewed }, api.Requests.Select(r => r.Authorization));
        Assert.Single(_tokenRequests);
    }

    [UnixFact]
    public async Task A_refused_refresh_says_why_without_any_token()
    {
        await using var issuer = await IssuerAsync(refuse: true);
        await using var api = await ApiServerAsync();
        using var client = ClientFor(api.KubeConfig(api.CaDataLine, OidcUser(issuer, _expired)));

        var ex = await Assert.ThrowsAsync<KubeAuthException>(() => client.GetAsync(KubeResources.Pods, "ns1", "p"));
        Assert.Contains("refused to renew the id-token of user 'tester' (invalid_grant)", ex.Message);
        Assert.Contains("log in again", ex.Message);
        Assert.DoesNotContain("r1", ex.Message);
        Assert.DoesNotContain(_expired, ex.Message);
        Assert.Empty(api.Requests);
    }

    [UnixFact]
    public async Task Without_a_refresh_token_the_id_token_is_sent_as_it_is()
    {
        await using var api = await TestApiServer.StartAsync(c => TestApiServer.Json(c, 200, """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"}}"""));
        var valid = Jwt("me", DateTimeOffset.UtcNow.AddHours(1));
        using var client = ClientFor(api.KubeConfig(api.CaDataLine, $"auth-provider: {{name: oidc, config: {{id-token: '{valid}', client-id: kube}}}}"));
        await client.GetAsync(KubeResources.Pods, "ns1", "p");
        Assert.Equal("Bearer " + valid, Assert.Single(api.Requests).Authorization);
    }

    [UnixFact]
    public async Task An_issuer_not_trusted_by_the_configured_ca_is_not_sent_the_refresh_token()
    {
        await using var issuer = await IssuerAsync();
        await using var api = await ApiServerAsync();
        var other = TestCertificates.Create("Some Other CA");
        var user = OidcUser(issuer, _expired).Replace(issuer.Pki.CaBase64, other.CaBase64, StringComparison.Ordinal);
        using var client = ClientFor(api.KubeConfig(api.CaDataLine, user));
        var ex = await Assert.ThrowsAsync<KubeAuthException>(() => client.GetAsync(KubeResources.Pods, "ns1", "p"));
        Assert.Contains("could not be reached", ex.Message);
        Assert.Empty(_tokenRequests);
    }
}
