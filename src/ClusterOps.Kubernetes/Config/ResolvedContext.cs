using ClusterOps.Kubernetes.Errors;

namespace ClusterOps.Kubernetes.Config;

/// <summary>How a kubeconfig user authenticates, as shown by Get-KubeContext.</summary>
public enum AuthMethod
{
    None,
    Token,
    TokenFile,
    ClientCertificate,
    Exec,
    OIDC,
    Basic,
    AuthProvider,
}

/// <summary>A context with its cluster, user and effective namespace: everything needed to build a client.</summary>
public sealed record ResolvedContext(
    string ContextName,
    ContextEntry Context,
    ClusterEntry Cluster,
    UserEntry User,
    string Namespace,
    KubeConfig Config)
{
    public AuthMethod AuthMethod => AuthMethodOf(User);

    /// <summary>
    /// The primary way a user authenticates. A client certificate combined with a bearer method reports the bearer
    /// method (the certificate still goes on the TLS connection).
    /// </summary>
    public static AuthMethod AuthMethodOf(UserEntry user)
    {
        if (user.Exec is not null)
            return AuthMethod.Exec;
        if (user.AuthProvider is { Name: "oidc" })
            return AuthMethod.OIDC;
        if (user.AuthProvider is not null)
            return AuthMethod.AuthProvider;
        if (!string.IsNullOrEmpty(user.Token))
            return AuthMethod.Token;
        if (!string.IsNullOrEmpty(user.TokenFile))
            return AuthMethod.TokenFile;
        if (!string.IsNullOrEmpty(user.Username) || !string.IsNullOrEmpty(user.Password))
            return AuthMethod.Basic;
        if (user.ClientCertificate is not null || user.ClientCertificateData is not null)
            return AuthMethod.ClientCertificate;
        return AuthMethod.None;
    }

    /// <summary>
    /// client-go's rule: at most one of token/tokenFile, basic, exec and auth-provider per user (a client certificate
    /// may accompany any of them); a certificate needs its key and the other way round.
    /// </summary>
    public static void ValidateUser(UserEntry user)
    {
        var methods = new List<string>();
        if (!string.IsNullOrEmpty(user.Token) || !string.IsNullOrEmpty(user.TokenFile))
            methods.Add("token");
        if (!string.IsNullOrEmpty(user.Username) || !string.IsNullOrEmpty(user.Password))
            methods.Add("username/password");
        if (user.Exec is not null)
            methods.Add("exec");
        if (user.AuthProvider is not null)
            methods.Add("auth-provider");
        if (methods.Count > 1)
            throw new KubeConfigException(
                $"The user '{user.Name}' has more than one authentication method ({string.Join(", ", methods)}); only one is allowed.",
                user.SourceFile);
        var hasCert = user.ClientCertificate is not null || user.ClientCertificateData is not null;
        var hasKey = user.ClientKey is not null || user.ClientKeyData is not null;
        if (hasCert != hasKey)
            throw new KubeConfigException(
                $"The user '{user.Name}' has a client {(hasCert ? "certificate without a client key" : "key without a client certificate")}.",
                user.SourceFile);
    }
}
