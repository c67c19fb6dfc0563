namespace ClusterOps.Kubernetes.Errors;

/// <summary>
/// No connection to the server within the client's connect timeout (TCP connect and TLS handshake): a connection
/// failure, not a slow operation, so it is reported like one (ConnectionError, the server as the target).
/// </summary>
public sealed class KubeConnectTimeoutException : TimeoutException
{
    public KubeConnectTimeoutException(string message, Uri server) : base(message) => Server = server;

    public Uri Server { get; }
}
