using System.Security.Authentication;

namespace ClusterOps.Kubernetes.Errors;

/// <summary>
/// The server's certificate was rejected. The message names the trust source that was used (the kubeconfig's
/// certificate-authority file or data, or the system store) and the name that was checked, so users can fix it.
/// Derives from AuthenticationException so generic TLS handling still applies.
/// </summary>
public class KubeTlsException : AuthenticationException
{
    public KubeTlsException(string message, string trustSource, string expectedName, Exception? inner = null)
        : base(message, inner)
    {
        TrustSource = trustSource;
        ExpectedName = expectedName;
    }

    /// <summary>Where trusted roots came from, e.g. "certificate-authority-data of cluster 'prod'".</summary>
    public string TrustSource { get; }

    /// <summary>The host name the certificate had to match (tls-server-name or the server host).</summary>
    public string ExpectedName { get; }
}
