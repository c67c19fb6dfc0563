using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ClusterOps.Sandbox.Server;

/// <summary>A throwaway ECDSA P-256 CA made at start, issuing the server certificate and client certificates.</summary>
internal sealed class CertificateAuthority : IDisposable
{
    private readonly ECDsa _caKey;

    public CertificateAuthority()
    {
        _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest("CN=clusterops-sandbox-ca", _caKey, HashAlgorithmName.SHA256);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        req.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(req.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        Certificate = req.CreateSelfSigned(now.AddHours(-1), now.AddYears(1));
    }

    public X509Certificate2 Certificate { get; }

    public string CertificatePem => Certificate.ExportCertificatePem() + "\n";

    public X509Certificate2 IssueServer(IEnumerable<string> dnsNames, bool includeLoopbackIp)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest("CN=clusterops-sandbox-apiserver", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var d in dnsNames) san.AddDnsName(d);
        if (includeLoopbackIp) san.AddIpAddress(IPAddress.Loopback);
        req.CertificateExtensions.Add(san.Build());
        req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        AddLeafExtensions(req);
        using var cert = Sign(req);
        using var withKey = cert.CopyWithPrivateKey(key);
        // Re-import so the private key is a persisted-style key every TLS backend accepts.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>A client certificate whose CN is the user and whose O values are the groups.</summary>
    public (string CertPem, string KeyPem) IssueClient(string user, IEnumerable<string> groups)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var dn = new X500DistinguishedNameBuilder();
        foreach (var g in groups) dn.AddOrganizationName(g);
        dn.AddCommonName(user);
        var req = new CertificateRequest(dn.Build(), key, HashAlgorithmName.SHA256);
        req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        AddLeafExtensions(req);
        using var cert = Sign(req);
        return (cert.ExportCertificatePem() + "\n", key.ExportECPrivateKeyPem() + "\n");
    }

    private void AddLeafExtensions(CertificateRequest req)
    {
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        req.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
    }

    private X509Certificate2 Sign(CertificateRequest req)
    {
        var serial = new byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F;
        var now = DateTimeOffset.UtcNow;
        var gen = X509SignatureGenerator.CreateForECDsa(_caKey);
        return req.Create(Certificate.SubjectName, gen, now.AddHours(-1), now.AddDays(90), serial);
    }

    /// <summary>Whether a presented client certificate chains to this CA (and is in its validity period).</summary>
    public bool Issued(X509Certificate2 cert)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreWrongUsage;
        return chain.Build(cert);
    }

    public void Dispose()
    {
        Certificate.Dispose();
        _caKey.Dispose();
    }
}
