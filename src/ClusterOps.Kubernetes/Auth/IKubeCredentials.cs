using System.Net.Http;
using System.Security.Cryptography.X509Certificates;
using ClusterOps.Kubernetes.Config;
using ClusterOps.Kubernetes.Http;

namespace ClusterOps.Kubernetes.Auth;

/// <summary>
/// How requests of one connection authenticate. Built once per connection by <see cref="KubeCredentials.Create"/>
/// and shared by every request (exec results and token-file reads are cached inside).
/// </summary>
public interface IKubeCredentials
{
    AuthMethod Method { get; }

    /// <summary>Add Authorization and Impersonate-* headers.</summary>
    ValueTask ApplyAsync(HttpRequestMessage request, KubeLog log, CancellationToken cancellationToken);

    /// <summary>The TLS client certificate for a new connection, if any (static, or from an exec plugin).</summary>
    ValueTask<X509Certificate2?> GetClientCertificateAsync(KubeLog log, CancellationToken cancellationToken);

    /// <summary>The server answered 401: drop cached credentials. True when trying again may succeed.</summary>
    bool OnUnauthorized();
}
