using System.Net;
using System.Net.Sockets;
using System.Text;
using ClusterOps.Kubernetes.Errors;
using ClusterOps.Kubernetes.Http;
using ClusterOps.Kubernetes.Resources;

namespace ClusterOps.Tests.Kubernetes.Http;

public sealed class ProxyTests : HttpTestBase
{
    [Theory]
    [InlineData("https://api.corp.example:6443", "corp.example", true)]
    [InlineData("https://api.corp.example:6443", ".corp.example", true)]
    [InlineData("https://corp.example:6443", ".corp.example", true)]
    [InlineData("https://notcorp.example", "corp.example", false)]
    [InlineData("https://10.1.2.3:6443", "10.0.0.0/8", true)]
    [InlineData("https://192.168.1.1", "10.0.0.0/8,localhost", false)]
    [InlineData("https://127.0.0.1:6443", "127.0.0.1:6443", true)]
    [InlineData("https://127.0.0.1:7443", "127.0.0.1:6443", false)]
    [InlineData("https://anything", "*", true)]
    [InlineData("https://anything", "", false)]
    public void NoProxyRules(string server, string noProxy, bool bypass) =>
        Assert.Equal(bypass, ProxySelector.Bypass(new Uri(server), noProxy));

    [Fact]
    public void ProxyUrlBeatsEnvironmentAndEnvironmentHonoursNoProxy()
    {
        var env = new Dictionary<string, string> { ["HTTPS_PROXY"] = "proxy.corp:3128", ["NO_PROXY"] = ".internal" };
        Func<string, string?> get = n => env.TryGetValue(n, out var v) ? v : null;
        Assert.Equal("http://proxy.corp:3128/", ProxySelector.Select(new Uri("https://api.example"), null, get)!.ToString());
        Assert.Null(ProxySelector.Select(new Uri("https://api.internal"), null, get));
        Assert.Equal("socks5://s:1080/", ProxySelector.Select(new Uri("https://api.internal"), "socks5://s:1080", get)!.ToString());
        Assert.Throws<KubeConfigException>(() => ProxySelector.Select(new Uri("https://a"), "ftp://user:pw@p", get));
        Assert.DoesNotContain("pw", ProxySelector.Redact("http://user:pw@p:1"));
    }

    [Fact]
    public async Task RequestsTunnelThroughProxyUrlWithTlsEndToEnd()
    {
        await using var server = await TestApiServer.StartAsync(c =>
            TestApiServer.Json(c, 200, """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"}}"""));
        await using var proxy = ConnectProxy.Start();
        using var client = ClientFor(server.KubeConfig(server.CaDataLine + $"\nproxy-url: http://user:pa%3Ass@127.0.0.1:{proxy.Port}", "token: t"));
        await client.GetAsync(KubeResources.Pods, "ns1", "p");
        Assert.Equal($"CONNECT 127.0.0.1:{server.Port} HTTP/1.1", proxy.Requests.Single());
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("user:pa:ss")), proxy.Authorization);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task HttpsProxyEnvironmentIsUsedUnlessNoProxyMatches()
    {
        await using var server = await TestApiServer.StartAsync(c =>
            TestApiServer.Json(c, 200, """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"}}"""));
        await using var proxy = ConnectProxy.Start();
        var env = new Dictionary<string, string> { ["HTTPS_PROXY"] = $"http://127.0.0.1:{proxy.Port}" };
        using (var client = ClientFor(server.KubeConfig(server.CaDataLine, "token: t"), FastOptions(n => env.GetValueOrDefault(n))))
            await client.GetAsync(KubeResources.Pods, "ns1", "p");
        Assert.Single(proxy.Requests);

        env["NO_PROXY"] = "127.0.0.1";
        using (var direct = ClientFor(server.KubeConfig(server.CaDataLine, "token: t"), FastOptions(n => env.GetValueOrDefault(n))))
            await direct.GetAsync(KubeResources.Pods, "ns1", "p");
        Assert.Single(proxy.Requests);
        Assert.Equal(2, server.Requests.Count);
    }

    /// <summary>A minimal HTTP CONNECT proxy that records each CONNECT line and pipes bytes both ways.</summary>
    private sealed class ConnectProxy : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        public System.Collections.Concurrent.ConcurrentQueue<string> Requests { get; } = new();
        public string? Authorization { get; private set; }
        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public static ConnectProxy Start()
        {
            var proxy = new ConnectProxy();
            proxy._listener.Start();
            _ = proxy.AcceptLoop();
            return proxy;
        }

        private async Task AcceptLoop()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
                catch (OperationCanceledException) { return; }
                catch (SocketException) { return; }
                _ = Handle(client);
            }
        }

        private async Task Handle(TcpClient client)
        {
            using (client)
            {
                var stream = client.GetStream();
                var header = new StringBuilder();
                var one = new byte[1];
                while (!header.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
                {
                    if (await stream.ReadAsync(one) == 0)
                        return;
                    header.Append((char)one[0]);
                }
                var lines = header.ToString().Split("\r\n");
                Requests.Enqueue(lines[0]);
                Authorization = lines.FirstOrDefault(l => l.StartsWith("Proxy-Authorization:", StringComparison.OrdinalIgnoreCase))?.Split(':', 2)[1].Trim();
                var target = lines[0].Split(' ')[1].Split(':');
                using var upstream = new TcpClient();
                await upstream.ConnectAsync(target[0], int.Parse(target[1], System.Globalization.CultureInfo.InvariantCulture));
                await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 Connection established\r\n\r\n"));
                var up = upstream.GetStream();
                await Task.WhenAny(stream.CopyToAsync(up, _stop.Token), up.CopyToAsync(stream, _stop.Token));
            }
        }

        public ValueTask DisposeAsync()
        {
            _stop.Cancel();
            _listener.Stop();
            return ValueTask.CompletedTask;
        }
    }
}

public sealed class TlsTrustNameTests
{
    [Theory]
    [InlineData("https://[::1]:6443", null, "::1")]
    [InlineData("https://10.0.0.1:6443", "api.internal", "api.internal")]
    [InlineData("https://Api.Example:443/prefix", null, "api.example")]
    public void ServerNameIsTlsServerNameElseTheHost(string server, string? tlsServerName, string expected)
    {
        var cluster = new ClusterOps.Kubernetes.Config.ClusterEntry { Name = "c", Server = server, TlsServerName = tlsServerName, InsecureSkipTlsVerify = true };
        Assert.Equal(expected, TlsTrust.For(cluster, new Uri(server)).ServerName);
    }
}
