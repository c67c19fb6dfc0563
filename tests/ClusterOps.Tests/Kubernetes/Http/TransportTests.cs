using System.Collections.Concurrent;
using System.Net;
using ClusterOps.Kubernetes.Errors;
using ClusterOps.Kubernetes.Http;
using ClusterOps.Kubernetes.Resources;
using Microsoft.AspNetCore.Http;

namespace ClusterOps.Tests.Kubernetes.Http;

public sealed class TransportTests : HttpTestBase
{
    private const string PodJson = """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-0","namespace":"ns1","resourceVersion":"7","uid":"u1"},"spec":{"containers":[{"name":"c","image":"nginx"}],"futureField":{"x":1}},"status":{"phase":"Running"}}""";

    private static Task Pod(HttpContext c) => TestApiServer.Json(c, 200, PodJson);

    [Fact]
    public async Task CaDataIsTheTrustRootAndTokenIsSent()
    {
        await using var server = await TestApiServer.StartAsync(Pod);
        using var client = ClientFor(server.KubeConfig(server.CaDataLine, "token: secret-token-123"));
        var pod = await client.GetAsync(KubeResources.Pods, "ns1", "web-0");
        Assert.Equal("Running", pod.Status!.Phase);
        var seen = Assert.Single(server.Requests);
        Assert.Equal("/api/v1/namespaces/ns1/pods/web-0", seen.PathAndQuery);
        Assert.Equal("Bearer secret-token-123", seen.Authorization);
        Assert.Equal($"127.0.0.1:{server.Port}", seen.Host);
        Assert.Contains("gzip", seen.AcceptEncoding);
        Assert.DoesNotContain("secret-token-123", AllLogText);
        Assert.Contains($"GET {server.BaseUrl}/api/v1/namespaces/ns1/pods/web-0 200", AllLogText);
    }

    [Fact]
    public async Task CaFileIsTheTrustRoot()
    {
        await using var server = await TestApiServer.StartAsync(Pod);
        Dir.Write("pki/ca.pem", server.Pki.CaPem);
        using var client = ClientFor(server.KubeConfig("certificate-authority: pki/ca.pem", "token: t"));
        Assert.Equal("web-0", (await client.GetAsync(KubeResources.Pods, "ns1", "web-0")).Metadata.Name);
    }

    [Fact]
    public async Task WrongCaFailsNamingTheTrustSource()
    {
        await using var server = await TestApiServer.StartAsync(Pod);
        var other = TestCertificates.Create("Some Other CA");
        Dir.Write("other-ca.pem", other.CaPem);
        using var client = ClientFor(server.KubeConfig("certificate-authority: other-ca.pem", "token: t"));
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => client.GetAsync(KubeResources.Pods, "ns1", "web-0"));
        var tls = FindInner<KubeTlsException>(ex);
        Assert.NotNull(tls);
        Assert.Contains("other-ca.pem", tls!.Message);
        Assert.Contains("not trusted", tls.Message);
        Assert.Empty(server.Requests); // one attempt, never retried, never reached HTTP
    }

    [Fact]
    public async Task SystemTrustDoesNotAcceptAPrivateCa()
    {
        await using var server = await TestApiServer.StartAsync(Pod);
        using var client = ClientFor(server.KubeConfig("", "token: t"));
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => client.GetAsync(KubeResources.Pods, "ns1", "web-0"));
        Assert.Contains("system certificate store", FindInner<KubeTlsException>(ex)!.Message);
    }

    [Fact]
    public async Task TlsServerNameDrivesSniAndVerificationButNotTheHostHeader()
    {
        await using var server = await TestApiServer.StartAsync(Pod, dnsNames: new[] { "api.internal.example" }, includeLoopbackIp: false);
        using (var plain = ClientFor(server.KubeConfig(server.CaDataLine, "token: t")))
        {
            var ex = await Assert.ThrowsAnyAsync<Exception>(() => plain.GetAsync(KubeResources.Pods, "ns1", "web-0"));
            Assert.Contains("not valid for the name '127.0.0.1'", FindInner<KubeTlsException>(ex)!.Message);
        }
        using var client = ClientFor(server.KubeConfig(server.CaDataLine + "\ntls-server-name: api.internal.example", "token: t"));
        await client.GetAsync(KubeResources.Pods, "ns1", "web-0");
        Assert.Contains("api.internal.example", server.ServerNames);
        Assert.Equal($"127.0.0.1:{server.Port}", server.Requests.Last().Host);
    }

    [Fact]
    public async Task InsecureSkipWorksAndWarnsOnce()
    {
        await using var server = await TestApiServer.StartAsync(Pod, dnsNames: new[] { "elsewhere" }, includeLoopbackIp: false);
        using var client = ClientFor(server.KubeConfig("insecure-skip-tls-verify: true", "token: t"));
        await client.GetAsync(KubeResources.Pods, "ns1", "web-0");
        await client.GetAsync(KubeResources.Pods, "ns1", "web-0");
        var warning = Assert.Single(Warnings);
        Assert.Contains("TLS verification is disabled", warning);
    }

    [Fact]
    public async Task ServerPathPrefixIsKept()
    {
        await using var server = await TestApiServer.StartAsync(Pod);
        using var client = ClientFor(server.KubeConfig(server.CaDataLine, "token: t", server: server.BaseUrl + "/k8s/clusters/c-abc/"));
        await client.GetAsync(KubeResources.Pods, "ns1", "web-0");
        Assert.Equal("/k8s/clusters/c-abc/api/v1/namespaces/ns1/pods/web-0", server.Requests.Single().PathAndQuery);
    }

    [Fact]
    public async Task DisableCompressionStopsAskingForGzip()
    {
        await using var server = await TestApiServer.StartAsync(Pod);
        using var client = ClientFor(server.KubeConfig(server.CaDataLine + "\ndisable-compression: true", "token: t"));
        await client.GetAsync(KubeResources.Pods, "ns1", "web-0");
        Assert.Null(server.Requests.Single().AcceptEncoding);
    }

    [Fact]
    public async Task GetIsRetriedOn429And503HonouringRetryAfter()
    {
        var calls = 0;
        await using var server = await TestApiServer.StartAsync(c => Interlocked.Increment(ref calls) switch
        {
            1 => TestApiServer.Json(c, 429, TestApiServer.StatusJson(429, "TooManyRequests", "slow down"), ("Retry-After", "1")),
            2 => TestApiServer.Json(c, 503, TestApiServer.StatusJson(503, "ServiceUnavailable", "busy"), ("Retry-After", "0")),
            _ => Pod(c),
        });
        using var client = ClientFor(server.KubeConfig(server.CaDataLine, "token: t"));
        var started = DateTime.UtcNow;
        var pod = await client.GetAsync(KubeResources.Pods, "ns1", "web-0");
        Assert.Equal("web-0", pod.Metadata.Name);
        Assert.Equal(3, server.Requests.Count);
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(900), "Retry-After: 1 must be waited");
        Assert.Equal(2, Verbose.Count(v => v.StartsWith("Retrying GET", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task GetGivesUpAfterMaxAttempts()
    {
        await using var server = await TestApiServer.StartAsync(c => TestApiServer.Json(c, 502, "bad gateway"));
        using var client = ClientFor(server.KubeConfig(server.CaDataLine, "token: t"));
        var ex = await Assert.ThrowsAsync<KubeApiException>(() => client.GetAsync(KubeResources.Pods, "ns1", "web-0"));
        Assert.Equal(HttpStatusCode.BadGateway, ex.StatusCode);
        Assert.Equal(4, server.Requests.Count);
    }

    [Fact]
    public async Task PostIsNeverRetried()
    {
        await using var server = await TestApiServer.StartAsync(c =>
            TestApiServer.Json(c, 503, TestApiServer.StatusJson(503, "ServiceUnavailable", "busy"), ("Retry-After", "0")));
        using var client = ClientFor(server.KubeConfig(server.CaDataLine, "token: t"));
        var pod = new Pod { Metadata = new ObjectMeta { Name = "p" } };
        var ex = await Assert.ThrowsAsync<KubeApiException>(() => client.CreateAsync(KubeResources.Pods, "ns1", pod));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ex.StatusCode);
        Assert.Single(server.Requests);
        Assert.Equal("POST", server.Requests.Single().Method);
    }

    [Fact]
    public async Task StatusBodyBecomesKubeApiException()
    {
        await using var server = await TestApiServer.StartAsync(c => TestApiServer.Json(c, 409,
            """{"kind":"Status","apiVersion":"v1","status":"Failure","message":"Operation cannot be fulfilled on pods \"web-0\": the object has been modified","reason":"Conflict","details":{"name":"web-0","kind":"pods","causes":[{"reason":"FieldValueInvalid","message":"bad","field":"spec.x"}]},"code":409}"""));
        using var client = ClientFor(server.KubeConfig(server.CaDataLine, "token: t"));
        var pod = new Pod { Metadata = new ObjectMeta { Name = "web-0", ResourceVersion = "6" } };
        var ex = await Assert.ThrowsAsync<KubeApiException>(() => client.UpdateAsync(KubeResources.Pods, "ns1", pod));
        Assert.True(ex.IsConflict);
        Assert.Equal("web-0", ex.DetailsName);
        Assert.Equal("spec.x", Assert.Single(ex.Causes).Field);
        Assert.Contains("has been modified", ex.Message);
        Assert.Equal("PUT", ex.Method);
    }

    [Fact]
    public async Task UpdateRequiresResourceVersionAndKeepsUnknownFields()
    {
        await using var server = await TestApiServer.StartAsync(c => c.Request.Method == "GET" ? Pod(c) : TestApiServer.Json(c, 200, PodJson));
        using var client = ClientFor(server.KubeConfig(server.CaDataLine, "token: t"));
        var pod = await client.GetAsync(KubeResources.Pods, "ns1", "web-0");
        pod.Metadata.Labels = new() { ["tier"] = "web" };
        await client.UpdateAsync(KubeResources.Pods, "ns1", pod);
        var body = server.Requests.Last().Body!;
        Assert.Contains("\"futureField\":{\"x\":1}", body);
        Assert.Contains("\"resourceVersion\":\"7\"", body);
        Assert.Contains("\"tier\":\"web\"", body);

        pod.Metadata.ResourceVersion = null;
        await Assert.ThrowsAsync<ArgumentException>(() => client.UpdateAsync(KubeResources.Pods, "ns1", pod));
    }

    [Fact]
    public async Task PatchSendsContentTypeAndApplyParameters()
    {
        await using var server = await TestApiServer.StartAsync(c =>
        {
            c.Response.Headers["X-Seen-Type"] = c.Request.ContentType;
            return Pod(c);
        });
        using var client = ClientFor(server.KubeConfig(server.CaDataLine, "token: t"));
        await client.PatchAsync(KubeResources.Pods, "ns1", "web-0", KubePatch.Merge(new System.Text.Json.Nodes.JsonObject { ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["labels"] = new System.Text.Json.Nodes.JsonObject { ["a"] = null } } }));
        await client.PatchAsync(KubeResources.Pods, "ns1", "web-0",
            KubePatch.Apply(new System.Text.Json.Nodes.JsonObject { ["apiVersion"] = "v1", ["kind"] = "Pod" }, "clusterops-test", force: true),
            new WriteOptions { DryRun = true });
        var reqs = server.Requests.ToArray();
        Assert.Equal("PATCH", reqs[0].Method);
        Assert.Equal("{\"metadata\":{\"labels\":{\"a\":null}}}", reqs[0].Body);
        Assert.Equal("/api/v1/namespaces/ns1/pods/web-0?dryRun=All&fieldManager=clusterops-test&force=true", reqs[1].PathAndQuery);
    }

    [Fact]
    public async Task DeleteSendsPropagationPolicyAndDryRun()
    {
        await using var server = await TestApiServer.StartAsync(c => TestApiServer.Json(c, 200, """{"kind":"Status","apiVersion":"v1","status":"Success","code":200}"""));
        using var client = ClientFor(server.KubeConfig(server.CaDataLine, "token: t"));
        var result = await client.DeleteAsync(KubeResources.Deployments, "ns1", "web",
            new DeleteOptions { PropagationPolicy = "Foreground", DryRun = true, PreconditionResourceVersion = "9" });
        Assert.Null(result);
        var seen = server.Requests.Single();
        Assert.Equal("DELETE", seen.Method);
        Assert.Equal("/apis/apps/v1/namespaces/ns1/deployments/web", seen.PathAndQuery);
        Assert.Contains("\"propagationPolicy\":\"Foreground\"", seen.Body);
        Assert.Contains("\"dryRun\":[\"All\"]", seen.Body);
        Assert.Contains("\"preconditions\":{\"resourceVersion\":\"9\"}", seen.Body);
    }

    [Fact]
    public async Task RequestTimeoutIsEnforced()
    {
        await using var server = await TestApiServer.StartAsync(async c => { await Task.Delay(TimeSpan.FromSeconds(10), c.RequestAborted); await Pod(c); });
        using var client = ClientFor(server.KubeConfig(server.CaDataLine, "token: t"), FastOptions() with { RequestTimeout = TimeSpan.FromMilliseconds(300) });
        var ex = await Assert.ThrowsAsync<TimeoutException>(() => client.GetAsync(KubeResources.Pods, "ns1", "web-0"));
        Assert.Contains("did not complete within the request timeout (0.3 s)", ex.Message);
    }

    [Fact]
    public async Task A_TLS_handshake_that_never_completes_fails_after_the_connect_timeout_and_says_so()
    {
        // Accepts TCP connections and never answers the TLS ClientHello, as a black-holed load balancer does.
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepted = new ConcurrentBag<System.Net.Sockets.TcpClient>();
        _ = Task.Run(async () =>
        {
            try { while (true) accepted.Add(await listener.AcceptTcpClientAsync()); }
            catch (Exception) { /* listener stopped */ }
        });
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            using var client = ClientFor($"""
                current-context: c
                clusters: [{"{"}name: c, cluster: {"{"}server: "https://127.0.0.1:{port}", insecure-skip-tls-verify: true{"}"}{"}"}]
                contexts: [{"{"}name: c, context: {"{"}cluster: c{"}"}{"}"}]
                """, FastOptions() with { Retry = RetryPolicy.None, ConnectTimeout = TimeSpan.FromSeconds(1), RequestTimeout = TimeSpan.FromSeconds(6) });
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var ex = await Assert.ThrowsAsync<KubeConnectTimeoutException>(() => client.GetAsync(KubeResources.Pods, "ns1", "x"));
            Assert.Equal(port, ex.Server.Port);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"failed after {watch.Elapsed.TotalSeconds:0.0} s, not the 1 s connect timeout");
            Assert.Contains("connect timeout (1 s", ex.Message);
            Assert.DoesNotContain("6 s", ex.Message);
        }
        finally
        {
            listener.Stop();
            foreach (var c in accepted) c.Dispose();
        }
    }

    [Fact]
    public async Task CancellationStopsARequest()
    {
        await using var server = await TestApiServer.StartAsync(async c => { await Task.Delay(TimeSpan.FromSeconds(10), c.RequestAborted); });
        using var client = ClientFor(server.KubeConfig(server.CaDataLine, "token: t"));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetAsync(KubeResources.Pods, "ns1", "web-0", cts.Token));
    }

    [Fact]
    public async Task RefusedConnectionIsRetriedThenReported()
    {
        var port = FreePort();
        using var client = ClientFor($"""
            current-context: c
            clusters: [{"{"}name: c, cluster: {"{"}server: "https://127.0.0.1:{port}", insecure-skip-tls-verify: true{"}"}{"}"}]
            contexts: [{"{"}name: c, context: {"{"}cluster: c{"}"}{"}"}]
            """);
        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(KubeResources.Pods, "ns1", "x"));
        Assert.Equal(3, Verbose.Count(v => v.StartsWith("Retrying GET", StringComparison.Ordinal)));
        Assert.NotNull(FindInner<System.Net.Sockets.SocketException>(ex));
    }

    internal static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    internal static T? FindInner<T>(Exception? ex) where T : Exception
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is T t)
                return t;
        }
        return null;
    }
}
