namespace ClusterOps.Core.Connection;

/// <summary>The outcome of Test-KubeConnection. Failures are data here (Reachable/Authenticated false + Diagnosis).</summary>
public sealed class KubeConnectionTestResult
{
    public required string Context { get; init; }
    public required string Server { get; init; }
    /// <summary>gitVersion from /version, e.g. "v1.32.0".</summary>
    public string? ServerVersion { get; init; }
    /// <summary>The user the server authenticated (from a SelfSubjectReview).</summary>
    public string? User { get; init; }
    /// <summary>Groups of that user, comma-separated.</summary>
    public string? Groups { get; init; }
    public required string AuthMethod { get; init; }
    /// <summary>Duration of the /version round trip (connection set-up included).</summary>
    public long? RoundTripMs { get; init; }
    /// <summary>The API server answered over HTTP(S).</summary>
    public bool Reachable { get; init; }
    /// <summary>The server accepted the credentials.</summary>
    public bool Authenticated { get; init; }
    /// <summary>NoKubeConfig, Dns, ConnectionRefused, Timeout, TlsUntrusted, TlsNameMismatch, Unauthorized, Forbidden, Credentials, ... or null when healthy.</summary>
    public string? Problem { get; init; }
    /// <summary>What went wrong and what to check, in words.</summary>
    public string? Diagnosis { get; init; }
}
