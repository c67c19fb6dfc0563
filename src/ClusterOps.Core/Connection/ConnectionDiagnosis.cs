using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;
using ClusterOps.Kubernetes.Errors;

namespace ClusterOps.Core.Connection;

/// <summary>A failure explained: a stable problem code and a sentence saying what to check.</summary>
public sealed record Diagnosis(string Problem, string Message, bool Reachable);

/// <summary>Explains why a cluster could not be used (DNS, refused, timeout, TLS trust, 401, 403, credentials).</summary>
public static class ConnectionDiagnosis
{
    public static Diagnosis Explain(Exception error, Uri server, string trustSource, string? user, string authMethod)
    {
        var host = server.Host;
        var authority = server.GetLeftPart(UriPartial.Authority);
        switch (Find<KubeTlsException>(error))
        {
            case { } tls when tls.Message.Contains("not valid for the name", StringComparison.Ordinal):
                return new("TlsNameMismatch",
                    $"{tls.Message} Set tls-server-name in the cluster entry to a name the certificate carries, or use a server address it was issued for.",
                    false);
            case { } tls:
                return new("TlsUntrusted",
                    $"{tls.Message} Check that certificate-authority(-data) holds the CA that signed the API server's certificate.",
                    false);
        }
        if (Find<AuthenticationException>(error) is { } auth)
            return new("TlsFailed", $"The TLS handshake with {authority} failed: {auth.Message} (trust source: {trustSource}).", false);
        if (Find<SocketException>(error) is { } socket)
        {
            return socket.SocketErrorCode switch
            {
                SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => new("Dns",
                    $"The host name '{host}' could not be resolved (DNS). Check the server address of the cluster entry and your DNS/VPN.", false),
                SocketError.ConnectionRefused => new("ConnectionRefused",
                    $"The connection to {authority} was refused: nothing listens there. Is the API server (or the tunnel/port-forward) running, and is the port right?", false),
                SocketError.TimedOut or SocketError.HostUnreachable or SocketError.NetworkUnreachable => new("Unreachable",
                    $"{authority} did not answer ({socket.SocketErrorCode}). A firewall, VPN or proxy may be in the way.", false),
                _ => new("ConnectionFailed", $"Connecting to {authority} failed: {socket.SocketErrorCode} ({socket.Message}).", false),
            };
        }
        if (Find<KubeAuthException>(error) is { } cred)
            return new("Credentials", $"The credentials of user '{user}' could not be obtained: {cred.Message}", false);
        if (Find<KubeApiException>(error) is { } api)
        {
            return api.StatusCode switch
            {
                HttpStatusCode.Unauthorized => new("Unauthorized",
                    $"The server rejected the credentials of user '{user}' ({authMethod}): 401 Unauthorized. The token or certificate may be expired, revoked, or issued for another cluster.", true),
                HttpStatusCode.Forbidden => new("Forbidden",
                    $"The server accepted the credentials of user '{user}' but denies this request: 403 Forbidden ({api.Message}). Ask for the RBAC permissions needed.", true),
                _ => new("ApiError", $"The server answered {(int)api.StatusCode} {api.Reason}: {api.Message}", true),
            };
        }
        if (error is TimeoutException or TaskCanceledException)
            return new("Timeout", $"{authority} did not answer in time. The server may be overloaded, or a proxy/firewall drops the traffic.", false);
        if (Find<HttpRequestException>(error) is { } http)
            return new("ConnectionFailed", $"The request to {authority} failed: {http.Message}", false);
        return new("Unknown", error.Message, false);
    }

    private static T? Find<T>(Exception? error) where T : Exception
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is T match)
                return match;
            if (e is AggregateException { InnerExceptions.Count: 1 } agg && agg.InnerExceptions[0] is T inner)
                return inner;
        }
        return null;
    }
}
