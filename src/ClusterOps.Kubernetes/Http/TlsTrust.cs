using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using ClusterOps.Kubernetes.Config;
using ClusterOps.Kubernetes.Errors;
using ClusterOps.Kubernetes.Input;

namespace ClusterOps.Kubernetes.Http;

/// <summary>
/// How the server certificate of one cluster is verified: the kubeconfig's CA (file or data) as the ONLY trust
/// root when given, else the system store; the name checked is tls-server-name when set, else the server host;
/// or no verification at all with insecure-skip-tls-verify.
/// </summary>
public sealed class TlsTrust
{
    private readonly X509Certificate2Collection? _roots;

    private TlsTrust(X509Certificate2Collection? roots, bool insecure, string serverName, string source)
    {
        _roots = roots;
        Insecure = insecure;
        ServerName = serverName;
        Source = source;
    }

    public bool Insecure { get; }

    /// <summary>The name sent as SNI and matched against the certificate.</summary>
    public string ServerName { get; }

    /// <summary>Human description of the trust roots, used in error messages.</summary>
    public string Source { get; }

    public static TlsTrust For(ClusterEntry cluster, Uri server)
    {
        var serverName = !string.IsNullOrEmpty(cluster.TlsServerName) ? cluster.TlsServerName : server.IdnHost.Trim('[', ']');
        if (cluster.InsecureSkipTlsVerify && (cluster.CertificateAuthorityData is not null || cluster.CertificateAuthority is not null))
        {
            // kubectl (client-go transport) refuses this pair: the user clearly meant to verify against that CA, and
            // honouring the insecure flag would silently drop the verification they asked for.
            var ca = cluster.CertificateAuthorityData is not null ? "certificate-authority-data" : "certificate-authority";
            throw new KubeConfigException(
                $"The cluster '{cluster.Name}'{(cluster.SourceFile is null ? "" : $" in '{cluster.SourceFile}'")} sets both insecure-skip-tls-verify " +
                $"and {ca}: specifying a root certificates file with the insecure flag is not allowed (as in kubectl). " +
                $"Remove insecure-skip-tls-verify to verify the server against the CA, or remove the CA to skip verification.",
                cluster.SourceFile);
        }
        if (cluster.InsecureSkipTlsVerify)
            return new TlsTrust(null, true, serverName, "insecure-skip-tls-verify (no verification)");
        if (cluster.CertificateAuthorityData is not null)
        {
            string pem;
            try
            {
                pem = Encoding.UTF8.GetString(Convert.FromBase64String(cluster.CertificateAuthorityData));
            }
            catch (FormatException)
            {
                throw new KubeConfigException($"The certificate-authority-data of cluster '{cluster.Name}' is not valid base64.", cluster.SourceFile);
            }
            var source = $"the certificate-authority-data of cluster '{cluster.Name}'" + (cluster.SourceFile is null ? "" : $" in '{cluster.SourceFile}'");
            return new TlsTrust(LoadPem(pem, source, cluster), false, serverName, source);
        }
        if (cluster.CertificateAuthority is not null)
        {
            var source = $"the certificate-authority file '{cluster.CertificateAuthority}' of cluster '{cluster.Name}'";
            string pem;
            try
            {
                pem = BoundedFile.ReadText(cluster.CertificateAuthority, InputLimits.MaxCredentialFileBytes, "certificate-authority file");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InputLimitException)
            {
                throw new KubeConfigException($"Cannot read {source}: {ex.Message}", cluster.SourceFile);
            }
            return new TlsTrust(LoadPem(pem, source, cluster), false, serverName, source);
        }
        return new TlsTrust(null, false, serverName, "the system certificate store");
    }

    /// <summary>
    /// Decide on a server certificate. Returns null when accepted, else the reason (for the error message).
    /// </summary>
    public string? Check(X509Certificate? certificate, X509Chain? systemChain, SslPolicyErrors errors)
    {
        if (Insecure)
            return null;
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
            return "the server presented no certificate";
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
            return $"the certificate is not valid for the name '{ServerName}'";
        if (_roots is null)
            return errors == SslPolicyErrors.None ? null : $"the certificate is not trusted by {Source} ({ChainStatus(systemChain)})";

        // Custom roots: ignore the system verdict and build the chain against our roots only.
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (systemChain is not null)
        {
            foreach (var element in systemChain.ChainElements.Skip(1))
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        }
        var leaf = certificate as X509Certificate2 ?? new X509Certificate2(certificate);
        return chain.Build(leaf) ? null : $"the certificate is not trusted by {Source} ({ChainStatus(chain)})";
    }

    private static string ChainStatus(X509Chain? chain)
    {
        if (chain is null)
            return "no chain";
        var statuses = chain.ChainStatus.Select(s => s.Status.ToString()).Distinct().ToList();
        return statuses.Count == 0 ? "chain errors" : string.Join(", ", statuses);
    }

    private static X509Certificate2Collection LoadPem(string pem, string source, ClusterEntry cluster)
    {
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPem(pem);
        }
        catch (CryptographicException ex)
        {
            throw new KubeConfigException($"Cannot read {source}: {ex.Message}", cluster.SourceFile);
        }
        if (roots.Count == 0)
            throw new KubeConfigException($"{char.ToUpperInvariant(source[0])}{source[1..]} contains no PEM certificate.", cluster.SourceFile);
        return roots;
    }
}
