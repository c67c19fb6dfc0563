using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ClusterOps.Tests.Kubernetes;

/// <summary>Throw-away PKI for TLS tests: an ECDSA CA, server certificates for chosen names, client certificates.</summary>
public sealed class TestCertificates
{
    private TestCertificates(X509Certificate2 ca) => Ca = ca;

    public X509Certificate2 Ca { get; }
    public string CaPem => Ca.ExportCertificatePem();
    public string CaBase64 => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(CaPem));

    public static TestCertificates Create(string name = "ClusterOps Test CA")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return new TestCertificates(ca);
    }

    /// <summary>A server certificate (with key) for the given DNS names and IPs.</summary>
    public X509Certificate2 Server(IEnumerable<string> dnsNames, IEnumerable<IPAddress> ips)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=kube-apiserver", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var dns in dnsNames)
            san.AddDnsName(dns);
        foreach (var ip in ips)
            san.AddIpAddress(ip);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new("1.3.6.1.5.5.7.3.1") }, false));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        return Issue(request, key);
    }

    /// <summary>A client certificate and its key as PEM (PKCS#8 for EC, or RSA PKCS#1 when <paramref name="rsa"/>).</summary>
    public (string CertPem, string KeyPem) Client(string commonName, bool rsa = false)
    {
        AsymmetricAlgorithm key = rsa ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using (key)
        {
            var request = key is RSA r
                ? new CertificateRequest($"CN={commonName}, O=ops", r, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
                : new CertificateRequest($"CN={commonName}, O=ops", (ECDsa)key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new("1.3.6.1.5.5.7.3.2") }, false));
            using var cert = Issue(request, key);
            var keyPem = key is RSA rsaKey ? rsaKey.ExportRSAPrivateKeyPem() : ((ECDsa)key).ExportPkcs8PrivateKeyPem();
            return (cert.ExportCertificatePem(), keyPem);
        }
    }

    private X509Certificate2 Issue(CertificateRequest request, AsymmetricAlgorithm key)
    {
        var serial = new byte[12];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F;
        using var caKey = Ca.GetECDsaPrivateKey()!;
        using var signed = request.Create(Ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey),
            DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(10), serial);
        var withKey = key switch
        {
            ECDsa ec => signed.CopyWithPrivateKey(ec),
            RSA rsa => signed.CopyWithPrivateKey(rsa),
            _ => throw new NotSupportedException(),
        };
        // Kestrel on some platforms needs a persisted key: a PKCS#12 round trip gives one.
        using (withKey)
            return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }
}
