using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using ClusterOps.Kubernetes.Auth;
using ClusterOps.Kubernetes.Errors;

namespace ClusterOps.Kubernetes.Http;

/// <summary>
/// The connection machinery of one cluster. TLS is done here, in SocketsHttpHandler's ConnectCallback, rather than
/// by the handler: only then can SNI and name verification use tls-server-name without touching the Host header,
/// the kubeconfig CA be the only trust root, and the client certificate come fresh from an exec plugin per
/// connection. The handler therefore speaks plain HTTP/1.1 over the stream returned here; requests are addressed
/// to an "http://" twin of the server URL, while traces and errors always show the real one.
/// </summary>
internal sealed class KubeTransport : IDisposable
{
    private readonly Uri? _proxy;
    private readonly bool _tls;
    private readonly bool _disableCompression;
    private readonly TimeSpan _connectTimeout;
    private readonly object _gate = new();
    private SocketsHttpHandler _handler;
    private HttpMessageInvoker _invoker;
    private string? _connectedCertificate;

    public KubeTransport(Uri server, TlsTrust trust, IKubeCredentials credentials, Uri? proxy, bool disableCompression, TimeSpan connectTimeout)
    {
        Server = server;
        Trust = trust;
        Credentials = credentials;
        _proxy = proxy;
        _tls = server.Scheme == Uri.UriSchemeHttps;
        _disableCompression = disableCompression;
        _connectTimeout = connectTimeout;
        WireBase = new UriBuilder(server) { Scheme = Uri.UriSchemeHttp, Port = server.Port }.Uri;
        _handler = NewHandler();
        _invoker = new HttpMessageInvoker(_handler, disposeHandler: false);
    }

    private SocketsHttpHandler NewHandler() => new()
    {
        UseProxy = false, // proxying happens in ConnectCallback (CONNECT tunnel), so TLS stays end to end
        AllowAutoRedirect = false,
        UseCookies = false,
        AutomaticDecompression = _disableCompression ? DecompressionMethods.None : DecompressionMethods.GZip,
        ConnectTimeout = _connectTimeout,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectCallback = ConnectAsync,
    };

    /// <summary>
    /// After credentials were refreshed: if the client certificate changed (an exec plugin issued a new one), pooled
    /// connections still present the old one, so start a new pool. The old pool is disposed a little later, which
    /// lets in-flight requests finish (open watches simply reconnect).
    /// </summary>
    public async Task RenewConnectionsIfCertificateChangedAsync(KubeLog log, CancellationToken cancellationToken)
    {
        var current = (await Credentials.GetClientCertificateAsync(log, cancellationToken).ConfigureAwait(false))?.Thumbprint;
        SocketsHttpHandler? retired = null;
        lock (_gate)
        {
            if (_connectedCertificate is null || current == _connectedCertificate)
                return;
            retired = _handler;
            _handler = NewHandler();
            _invoker = new HttpMessageInvoker(_handler, disposeHandler: false);
            _connectedCertificate = null;
        }
        log.Verbose("The client certificate was renewed; new connections will present it.");
        _ = Task.Delay(TimeSpan.FromSeconds(30), CancellationToken.None).ContinueWith(_ => retired.Dispose(), TaskScheduler.Default);
    }

    /// <summary>The server URL from the kubeconfig (scheme, host, port, path prefix).</summary>
    public Uri Server { get; }

    /// <summary>Where requests are addressed on the wire (see the class remarks).</summary>
    public Uri WireBase { get; }

    public TlsTrust Trust { get; }
    public IKubeCredentials Credentials { get; }
    public HttpMessageInvoker Invoker
    {
        get
        {
            lock (_gate)
                return _invoker;
        }
    }

    /// <summary>The log of the request currently connecting (exec plugin stderr may be produced while connecting).</summary>
    public AsyncLocal<KubeLog?> CurrentLog { get; } = new();

    /// <summary>Shared discovery cache: group/version → resources (null when not served).</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, (DateTimeOffset At, Resources.ApiResourceList? List)> Discovery { get; } = new(StringComparer.Ordinal);

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = Server.IdnHost.Trim('[', ']');
        var port = Server.Port;
        Stream stream;
        if (_proxy is null)
        {
            stream = await OpenSocketAsync(host, port, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            stream = await OpenSocketAsync(_proxy.IdnHost.Trim('[', ']'), _proxy.Port, cancellationToken).ConfigureAwait(false);
            try
            {
                stream = _proxy.Scheme == "socks5"
                    ? await Socks5Async(stream, host, port, cancellationToken).ConfigureAwait(false)
                    : await ConnectTunnelAsync(stream, host, port, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await stream.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
        if (!_tls)
            return stream;

        string? rejection = null;
        var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = Trust.ServerName,
            ApplicationProtocols = new List<SslApplicationProtocol> { SslApplicationProtocol.Http11 },
            RemoteCertificateValidationCallback = (_, cert, chain, errors) =>
            {
                rejection = Trust.Check(cert, chain, errors);
                return rejection is null;
            },
        };
        var log = CurrentLog.Value ?? KubeLog.None;
        var clientCert = await Credentials.GetClientCertificateAsync(log, cancellationToken).ConfigureAwait(false);
        if (clientCert is not null)
        {
            options.ClientCertificates = new System.Security.Cryptography.X509Certificates.X509CertificateCollection { clientCert };
            lock (_gate)
                _connectedCertificate = clientCert.Thumbprint;
        }
        try
        {
            await ssl.AuthenticateAsClientAsync(options, cancellationToken).ConfigureAwait(false);
            return ssl;
        }
        catch (Exception ex) when (ex is System.Security.Authentication.AuthenticationException or IOException)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            if (rejection is not null)
                throw new KubeTlsException(
                    $"The TLS certificate of {Server.GetLeftPart(UriPartial.Authority)} was rejected: {rejection}. Trust source: {Trust.Source}; name checked: '{Trust.ServerName}'.",
                    Trust.Source, Trust.ServerName, ex);
            throw;
        }
    }

    private static async Task<Stream> OpenSocketAsync(string host, int port, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new DnsEndPoint(host, port), cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task<Stream> ConnectTunnelAsync(Stream stream, string host, int port, CancellationToken cancellationToken)
    {
        if (_proxy!.Scheme == Uri.UriSchemeHttps)
        {
            var toProxy = new SslStream(stream, leaveInnerStreamOpen: false);
            await toProxy.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = _proxy.IdnHost }, cancellationToken).ConfigureAwait(false);
            stream = toProxy;
        }
        var authority = host.Contains(':', StringComparison.Ordinal) ? $"[{host}]:{port}" : $"{host}:{port}";
        var request = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n");
        if (!string.IsNullOrEmpty(_proxy.UserInfo))
        {
            var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(_proxy.UserInfo)));
            request.Append("Proxy-Authorization: Basic ").Append(credentials).Append("\r\n");
        }
        request.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request.ToString()), cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);

        // Read the proxy's answer byte by byte up to the blank line, so no tunnelled byte is consumed.
        var header = new StringBuilder();
        var one = new byte[1];
        while (!header.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one, cancellationToken).ConfigureAwait(false) == 0)
                throw new HttpRequestException($"The proxy {_proxy.GetLeftPart(UriPartial.Authority)} closed the connection during CONNECT.");
            header.Append((char)one[0]);
            if (header.Length > 16 * 1024)
                throw new HttpRequestException("The proxy's CONNECT answer is too long.");
        }
        var statusLine = header.ToString().Split("\r\n")[0];
        var parts = statusLine.Split(' ', 3);
        if (parts.Length < 2 || parts[1] != "200")
            throw new HttpRequestException($"The proxy {_proxy.GetLeftPart(UriPartial.Authority)} refused the tunnel to {authority}: {statusLine}");
        return stream;
    }

    private async Task<Stream> Socks5Async(Stream stream, string host, int port, CancellationToken cancellationToken)
    {
        var hasAuth = !string.IsNullOrEmpty(_proxy!.UserInfo);
        await stream.WriteAsync(hasAuth ? new byte[] { 5, 2, 0, 2 } : new byte[] { 5, 1, 0 }, cancellationToken).ConfigureAwait(false);
        var reply = await ReadExactAsync(stream, 2, cancellationToken).ConfigureAwait(false);
        if (reply[0] != 5 || reply[1] == 0xFF)
            throw new HttpRequestException("The SOCKS5 proxy accepts none of the offered authentication methods.");
        if (reply[1] == 2)
        {
            var userInfo = Uri.UnescapeDataString(_proxy.UserInfo).Split(':', 2);
            var user = Encoding.UTF8.GetBytes(userInfo[0]);
            var pass = Encoding.UTF8.GetBytes(userInfo.Length > 1 ? userInfo[1] : "");
            var auth = new byte[] { 1, (byte)user.Length }.Concat(user).Append((byte)pass.Length).Concat(pass).ToArray();
            await stream.WriteAsync(auth, cancellationToken).ConfigureAwait(false);
            var authReply = await ReadExactAsync(stream, 2, cancellationToken).ConfigureAwait(false);
            if (authReply[1] != 0)
                throw new HttpRequestException("The SOCKS5 proxy rejected the credentials of the proxy URL.");
        }
        var name = Encoding.ASCII.GetBytes(host);
        var connect = new byte[] { 5, 1, 0, 3, (byte)name.Length }.Concat(name)
            .Append((byte)(port >> 8)).Append((byte)(port & 0xFF)).ToArray();
        await stream.WriteAsync(connect, cancellationToken).ConfigureAwait(false);
        var head = await ReadExactAsync(stream, 4, cancellationToken).ConfigureAwait(false);
        if (head[1] != 0)
            throw new HttpRequestException($"The SOCKS5 proxy could not connect to {host}:{port} (code {head[1]}).");
        var addressLength = head[3] switch
        {
            1 => 4,
            4 => 16,
            3 => (await ReadExactAsync(stream, 1, cancellationToken).ConfigureAwait(false))[0],
            _ => throw new HttpRequestException("The SOCKS5 proxy sent an invalid reply."),
        };
        await ReadExactAsync(stream, addressLength + 2, cancellationToken).ConfigureAwait(false);
        return stream;
    }

    private static async Task<byte[]> ReadExactAsync(Stream stream, int count, CancellationToken cancellationToken)
    {
        var buffer = new byte[count];
        await stream.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _invoker.Dispose();
            _handler.Dispose();
        }
    }
}
