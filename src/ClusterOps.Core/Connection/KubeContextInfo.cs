namespace ClusterOps.Core.Connection;

/// <summary>One kubeconfig context, as Get-KubeContext shows it (no credentials, only how they are obtained).</summary>
public sealed class KubeContextInfo
{
    public required string Name { get; init; }
    public string? Cluster { get; init; }
    public string? Server { get; init; }
    public string? User { get; init; }
    /// <summary>The namespace cmdlets use for this context: the session default, else the context's, else "default".</summary>
    public required string Namespace { get; init; }
    /// <summary>The context ClusterOps cmdlets use when -Context is not given.</summary>
    public bool IsCurrent { get; init; }
    /// <summary>Token, TokenFile, ClientCertificate, Exec, OIDC, Basic, AuthProvider or None.</summary>
    public required string AuthMethod { get; init; }
    /// <summary>The kubeconfig file that defines the context (empty for in-cluster).</summary>
    public string? SourceFile { get; init; }
    /// <summary>-Context binds from this property (pipeline by property name).</summary>
    public string Context => Name;
}
