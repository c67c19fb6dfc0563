using System.Text.Json.Nodes;

namespace ClusterOps.Kubernetes.Config;

/// <summary>
/// A <c>clusters[]</c> entry. File paths are already absolute (resolved against the directory of
/// <see cref="SourceFile"/>, the file that defined the stanza). Empty strings in the file are read as unset.
/// </summary>
public sealed record ClusterEntry
{
    public required string Name { get; init; }
    /// <summary>The kubeconfig file that defined this stanza; null for the synthesized in-cluster config.</summary>
    public string? SourceFile { get; init; }
    public string? Server { get; init; }
    public string? CertificateAuthority { get; init; }
    /// <summary>certificate-authority-data, base64 as in the file. Wins over <see cref="CertificateAuthority"/>.</summary>
    public string? CertificateAuthorityData { get; init; }
    public bool InsecureSkipTlsVerify { get; init; }
    public string? TlsServerName { get; init; }
    public string? ProxyUrl { get; init; }
    public bool DisableCompression { get; init; }
    /// <summary>extensions[name=client.authentication.k8s.io/exec].extension, forwarded to exec plugins.</summary>
    public JsonNode? ExecExtension { get; init; }
}

/// <summary>A <c>users[]</c> entry (client-go's AuthInfo). Paths are absolute, see <see cref="ClusterEntry"/>.</summary>
public sealed record UserEntry
{
    public required string Name { get; init; }
    public string? SourceFile { get; init; }
    public string? Token { get; init; }
    public string? TokenFile { get; init; }
    public string? ClientCertificate { get; init; }
    public string? ClientCertificateData { get; init; }
    public string? ClientKey { get; init; }
    public string? ClientKeyData { get; init; }
    public string? Username { get; init; }
    public string? Password { get; init; }
    public ExecConfig? Exec { get; init; }
    public AuthProviderConfig? AuthProvider { get; init; }
    public string? Impersonate { get; init; }
    public string? ImpersonateUid { get; init; }
    public IReadOnlyList<string> ImpersonateGroups { get; init; } = Array.Empty<string>();
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ImpersonateUserExtra { get; init; } =
        new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>An empty user, used when a context names no user (anonymous requests).</summary>
    public static UserEntry Anonymous(string name) => new() { Name = name };

    public override string ToString() => $"UserEntry {{ Name = {Name} }}"; // never print credentials
}

/// <summary>A <c>contexts[]</c> entry.</summary>
public sealed record ContextEntry
{
    public required string Name { get; init; }
    public string? SourceFile { get; init; }
    public string? Cluster { get; init; }
    public string? User { get; init; }
    public string? Namespace { get; init; }
}

/// <summary>users[].user.exec: a client-go credential plugin.</summary>
public sealed record ExecConfig
{
    public required string ApiVersion { get; init; }
    /// <summary>The command; a relative path containing a directory separator is resolved against the kubeconfig's
    /// directory, a bare name is looked up on PATH (client-go's rule).</summary>
    public required string Command { get; init; }
    public IReadOnlyList<string> Args { get; init; } = Array.Empty<string>();
    public IReadOnlyList<KeyValuePair<string, string>> Env { get; init; } = Array.Empty<KeyValuePair<string, string>>();
    public string? InstallHint { get; init; }
    public bool ProvideClusterInfo { get; init; }
    /// <summary>Never, IfAvailable or Always; null when the file did not say (v1beta1 then means IfAvailable).</summary>
    public string? InteractiveMode { get; init; }
}

/// <summary>users[].user.auth-provider (legacy): name plus its string config.</summary>
public sealed record AuthProviderConfig(string Name, IReadOnlyDictionary<string, string> Config)
{
    public override string ToString() => $"AuthProviderConfig {{ Name = {Name} }}";
}
