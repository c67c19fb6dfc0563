using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using ClusterOps.Kubernetes.Auth;
using ClusterOps.Kubernetes.Config;
using ClusterOps.Kubernetes.Errors;

namespace ClusterOps.Kubernetes.Http;

/// <summary>
/// A client for one cluster (one kubeconfig context). Thread-safe; create it once per connection with
/// <see cref="Create"/> and share it. <see cref="WithLog"/> gives a view that reports to another log but shares
/// connections, credentials and the discovery cache (cmdlets use one per invocation).
/// </summary>
public sealed partial class KubeClient : IDisposable
{
    private static readonly HashSet<HttpStatusCode> RetryableStatus = new()
    {
        HttpStatusCode.TooManyRequests, HttpStatusCode.InternalServerError, HttpStatusCode.BadGateway,
        HttpStatusCode.ServiceUnavailable, HttpStatusCode.GatewayTimeout,
    };

    private readonly KubeTransport _transport;
    private readonly KubeClientOptions _options;
    private readonly bool _ownsTransport;
    private int _insecureWarned;

    private KubeClient(KubeTransport transport, KubeClientOptions options, KubeLog log, string contextName, bool owns)
    {
        _transport = transport;
        _options = options;
        Log = log;
        ContextName = contextName;
        _ownsTransport = owns;
        Discovery = new KubeDiscovery(this, transport);
    }

    /// <summary>Build a client for a resolved context: TLS trust, proxy and credentials are prepared now; nothing
    /// is sent until the first request.</summary>
    public static KubeClient Create(ResolvedContext context, KubeClientOptions? options = null, KubeLog? log = null)
    {
        options ??= new KubeClientOptions();
        if (!Uri.TryCreate(context.Cluster.Server, UriKind.Absolute, out var server) || server.Scheme is not ("https" or "http"))
            throw new KubeConfigException(
                $"The server '{context.Cluster.Server}' of cluster '{context.Cluster.Name}' is not an https:// or http:// URL.",
                context.Cluster.SourceFile);
        var trust = TlsTrust.For(context.Cluster, server);
        var credentials = KubeCredentials.Create(context.User, context.Cluster, options.Credentials);
        var proxy = ProxySelector.Select(server, context.Cluster.ProxyUrl, options.GetEnvironmentVariable ?? Environment.GetEnvironmentVariable);
        var transport = new KubeTransport(server, trust, credentials, proxy, context.Cluster.DisableCompression, options.ConnectTimeout);
        return new KubeClient(transport, options, log ?? KubeLog.None, context.ContextName, owns: true);
    }

    /// <summary>The same connection reporting to <paramref name="log"/>. Disposing the view does nothing.</summary>
    public KubeClient WithLog(KubeLog log) => new(_transport, _options, log, ContextName, owns: false);

    public KubeLog Log { get; }
    public string ContextName { get; }

    /// <summary>The server URL from the kubeconfig, including any path prefix.</summary>
    public Uri Server => _transport.Server;
    public AuthMethod AuthMethod => _transport.Credentials.Method;
    public TlsTrust Tls => _transport.Trust;
    public KubeDiscovery Discovery { get; }

    internal IKubeCredentials Credentials => _transport.Credentials;

    /// <summary>One HTTP request. <paramref name="path"/> is relative to the server (e.g. "/api/v1/pods?limit=5").</summary>
    internal sealed record Request(HttpMethod Method, string Path, byte[]? Body = null, string? ContentType = null, string? Accept = null);

    /// <summary>Send and buffer the answer. Throws KubeApiException for non-2xx.</summary>
    internal Task<byte[]> SendAsync(Request request, CancellationToken cancellationToken) =>
        ExecuteAsync(request, streaming: false, async (response, ct) =>
        {
            using (response)
                return await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>Send and return the open response (watch). The caller disposes it.</summary>
    internal Task<HttpResponseMessage> SendStreamingAsync(Request request, CancellationToken cancellationToken) =>
        ExecuteAsync(request, streaming: true, (response, _) => Task.FromResult(response), cancellationToken);

    private async Task<T> ExecuteAsync<T>(Request request, bool streaming, Func<HttpResponseMessage, CancellationToken, Task<T>> onSuccess,
        CancellationToken cancellationToken)
    {
        WarnIfInsecure();
        var retryable = request.Method == HttpMethod.Get || request.Method == HttpMethod.Head;
        var reauthenticated = false;
        var attempt = 0;
        var display = DisplayUrl(request.Path);
        while (true)
        {
            attempt++;
            cancellationToken.ThrowIfCancellationRequested();
            using var attemptCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attemptCts.CancelAfter(_options.RequestTimeout);
            var watch = Stopwatch.StartNew();
            HttpResponseMessage? response = null;
            TimeSpan? retryAfter = null;
            Exception? failure = null;
            try
            {
                using var message = await BuildAsync(request, attemptCts.Token).ConfigureAwait(false);
                _transport.CurrentLog.Value = Log;
                response = await _transport.Invoker.SendAsync(message, attemptCts.Token).ConfigureAwait(false);
                Log.Verbose($"{request.Method} {display} {(int)response.StatusCode} {response.ReasonPhrase} in {watch.ElapsedMilliseconds.ToString(CultureInfo.InvariantCulture)} ms");

                if (response.StatusCode == HttpStatusCode.Unauthorized && !reauthenticated && _transport.Credentials.OnUnauthorized())
                {
                    reauthenticated = true;
                    response.Dispose();
                    await _transport.RenewConnectionsIfCertificateChangedAsync(Log, attemptCts.Token).ConfigureAwait(false);
                    attempt--; // a credential refresh is not a retry of a failure
                    continue;
                }
                if (response.IsSuccessStatusCode)
                {
                    if (streaming)
                        attemptCts.CancelAfter(Timeout.Infinite); // the timeout bounded the headers; the stream lives on
                    return await onSuccess(response, attemptCts.Token).ConfigureAwait(false);
                }
                var body = await response.Content.ReadAsByteArrayAsync(attemptCts.Token).ConfigureAwait(false);
                var error = KubeApiErrors.FromResponse(response, body, request.Method.Method, request.Path);
                if (!(retryable && RetryableStatus.Contains(response.StatusCode) && attempt < _options.Retry.MaxAttempts))
                    throw error;
                retryAfter = error.RetryAfter;
                failure = error;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                response?.Dispose();
                Log.Verbose($"{request.Method} {display} timed out after {watch.ElapsedMilliseconds.ToString(CultureInfo.InvariantCulture)} ms");
                // Two timeouts can fire here: ours over the whole request, or the handler's ConnectTimeout over the
                // TCP connect and TLS handshake (which cancels without touching our token). Name the one that fired.
                if (attemptCts.IsCancellationRequested)
                    throw new TimeoutException($"{request.Method} {display} did not complete within the request timeout ({Seconds(_options.RequestTimeout)} s).");
                throw new KubeConnectTimeoutException(
                    $"{request.Method} {display}: no connection to {_transport.Server.GetLeftPart(UriPartial.Authority)} within the connect timeout ({Seconds(_options.ConnectTimeout)} s, TCP connect and TLS handshake).",
                    _transport.Server);
            }
            catch (Exception ex) when (IsConnectionFailure(ex))
            {
                response?.Dispose();
                Log.Verbose($"{request.Method} {display} failed after {watch.ElapsedMilliseconds.ToString(CultureInfo.InvariantCulture)} ms: {ex.Message}");
                if (!(retryable && IsRetryableConnectionFailure(ex) && attempt < _options.Retry.MaxAttempts))
                    throw;
                failure = ex;
            }
            response?.Dispose();
            var delay = _options.Retry.Delay(attempt, retryAfter);
            Log.Verbose($"Retrying {request.Method} {display} in {delay.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms (attempt {(attempt + 1).ToString(CultureInfo.InvariantCulture)} of {_options.Retry.MaxAttempts.ToString(CultureInfo.InvariantCulture)}): {failure?.Message}");
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<HttpRequestMessage> BuildAsync(Request request, CancellationToken cancellationToken)
    {
        var message = new HttpRequestMessage(request.Method, WireUrl(request.Path));
        message.Version = HttpVersion.Version11;
        message.Headers.UserAgent.ParseAdd(_options.UserAgent);
        message.Headers.Accept.ParseAdd(request.Accept ?? "application/json");
        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(request.Body);
            message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(request.ContentType ?? "application/json");
        }
        await _transport.Credentials.ApplyAsync(message, Log, cancellationToken).ConfigureAwait(false);
        return message;
    }

    private void WarnIfInsecure()
    {
        if (_transport.Trust.Insecure && Interlocked.Exchange(ref _insecureWarned, 1) == 0)
            Log.Warning($"TLS verification is disabled for {_transport.Server.GetLeftPart(UriPartial.Authority)} (insecure-skip-tls-verify in context '{ContextName}'): the connection is not protected against interception.");
    }

    private Uri WireUrl(string path)
    {
        var uri = new Uri(_transport.WireBase.GetLeftPart(UriPartial.Authority) + Prefix + path);
        // Uri drops "." and ".." segments and may fold others; a request must reach exactly the path it was built for,
        // never its parent collection. Names are checked before paths are built: this is the last line of defence.
        var query = path.IndexOf('?', StringComparison.Ordinal);
        var expected = Prefix + (query < 0 ? path : path[..query]);
        if (SegmentCount(uri.AbsolutePath) != SegmentCount(expected))
            throw new InvalidOperationException(
                $"The request path {expected} would be sent as {uri.AbsolutePath}; it was refused because it no longer addresses what was asked.");
        return uri;
    }

    private static int SegmentCount(string path) => path.AsSpan().Count('/');

    /// <summary>The real URL of a request, for traces and messages.</summary>
    internal string DisplayUrl(string path) => _transport.Server.GetLeftPart(UriPartial.Authority) + Prefix + path;

    private string Prefix => _transport.Server.AbsolutePath.TrimEnd('/');

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    private static bool IsConnectionFailure(Exception ex) => ex is HttpRequestException or IOException or SocketException;

    /// <summary>TLS trust failures and unknown hosts will not heal by retrying; refused/reset connections may.</summary>
    private static bool IsRetryableConnectionFailure(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is AuthenticationException)
                return false;
            if (e is SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData })
                return false;
        }
        return true;
    }

    public void Dispose()
    {
        if (_ownsTransport)
            _transport.Dispose();
    }

    internal static string Query(params (string Key, string? Value)[] parameters)
    {
        var sb = new StringBuilder();
        foreach (var (key, value) in parameters)
        {
            if (value is null)
                continue;
            sb.Append(sb.Length == 0 ? '?' : '&').Append(key).Append('=').Append(Uri.EscapeDataString(value));
        }
        return sb.ToString();
    }
}
