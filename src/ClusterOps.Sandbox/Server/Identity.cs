using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;

namespace ClusterOps.Sandbox.Server;

/// <summary>An authenticated user.</summary>
internal sealed record Identity(string User, string Uid, string[] Groups, bool ReadOnly);

/// <summary>Bearer tokens and client certificates to users; read-only users get 403 on writes.</summary>
internal sealed class Authenticator
{
    public const string ReadOnlyGroup = "sandbox:read-only";

    private readonly ConcurrentDictionary<string, Identity> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Identity?> _certs = new(StringComparer.Ordinal);
    private readonly CertificateAuthority _ca;

    public Authenticator(CertificateAuthority ca) => _ca = ca;

    public void AddToken(string token, string user, bool readOnly, IEnumerable<string>? groups)
    {
        var g = (groups ?? (readOnly ? [ReadOnlyGroup] : ["system:masters"])).Append("system:authenticated").Distinct().ToArray();
        _tokens[token] = new Identity(user, StableUid(user), g, readOnly);
    }

    public bool RemoveToken(string token) => _tokens.TryRemove(token, out _);

    public Identity? FromToken(string token) => _tokens.GetValueOrDefault(token);

    public Identity? FromCertificate(X509Certificate2 cert) => _certs.GetOrAdd(cert.Thumbprint, _ =>
    {
        if (!_ca.Issued(cert)) return null;
        string? cn = null;
        var groups = new List<string>();
        foreach (var rdn in cert.SubjectName.EnumerateRelativeDistinguishedNames())
        {
            var oid = rdn.GetSingleElementType().Value;
            var value = rdn.GetSingleElementValue();
            if (oid == "2.5.4.3") cn = value;
            else if (oid == "2.5.4.10" && value != null) groups.Add(value);
        }
        if (cn == null) return null;
        groups.Add("system:authenticated");
        return new Identity(cn, StableUid(cn), groups.Distinct().ToArray(), groups.Contains(ReadOnlyGroup));
    });

    private static string StableUid(string user)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(user));
        return new Guid(hash.AsSpan(0, 16)).ToString();
    }
}
