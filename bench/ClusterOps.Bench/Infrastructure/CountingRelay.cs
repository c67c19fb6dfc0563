using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using ClusterOps.Kubernetes.Http;

namespace ClusterOps.Bench.Infrastructure;

/// <summary>
/// A plain-HTTP relay on loopback in front of the (HTTPS) sandbox that counts requests as they leave the client.
/// KubeClient takes no DelegatingHandler, so this is the independent witness that the first object of a list was
/// produced before the second page was requested. A request is counted (and its line recorded) when its header
/// block ends, before a byte of it is forwarded.
/// </summary>
public sealed class CountingRelay : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Uri _upstream;
    private readonly TlsTrust _trust;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<(long Timestamp, string RequestLine)> _requests = new();
    private int _count;
    private readonly Task _accepting;

    public CountingRelay(Uri upstream, TlsTrust trust)
    {
        _upstream = upstream;
        _trust = trust;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _accepting = AcceptLoopAsync();
    }

    public Uri Address => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    /// <summary>Requests whose header block the client has finished sending.</summary>
    public int RequestCount => Volatile.Read(ref _count);

    public IReadOnlyList<(long Timestamp, string RequestLine)> Requests => _requests.ToArray();

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) when (_stop.IsCancellationRequested) { return; }
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            client.NoDelay = true;
            using var upstreamTcp = new TcpClient { NoDelay = true };
            await upstreamTcp.ConnectAsync(_upstream.Host, _upstream.Port, _stop.Token);
            await using var tls = new SslStream(upstreamTcp.GetStream(), leaveInnerStreamOpen: false);
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = _trust.ServerName,
                ApplicationProtocols = [SslApplicationProtocol.Http11],
                RemoteCertificateValidationCallback = (_, cert, chain, errors) => _trust.Check(cert, chain, errors) is null,
            }, _stop.Token);
            var down = client.GetStream();
            var up = PumpRequestsAsync(down, tls);
            var back = PumpAsync(tls, down);
            await Task.WhenAny(up, back);
        }
    }

    private async Task PumpRequestsAsync(Stream from, Stream to)
    {
        var buffer = new byte[16 * 1024];
        var header = new StringBuilder();
        try
        {
            while (true)
            {
                var n = await from.ReadAsync(buffer, _stop.Token);
                if (n == 0) return;
                for (var i = 0; i < n; i++)
                {
                    header.Append((char)buffer[i]);
                    if (header.Length >= 4 && header[^1] == '\n' && header[^2] == '\r' && header[^3] == '\n' && header[^4] == '\r')
                    {
                        // GET requests carry no body: the blank line ends the request.
                        var text = header.ToString();
                        _requests.Enqueue((Stopwatch.GetTimestamp(), text[..text.IndexOf('\r')]));
                        Interlocked.Increment(ref _count);
                        header.Clear();
                    }
                }
                await to.WriteAsync(buffer.AsMemory(0, n), _stop.Token);
                await to.FlushAsync(_stop.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private async Task PumpAsync(Stream from, Stream to)
    {
        try
        {
            await from.CopyToAsync(to, 64 * 1024, _stop.Token);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try { await _accepting; } catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException) { }
    }
}
