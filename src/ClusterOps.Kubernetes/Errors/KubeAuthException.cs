namespace ClusterOps.Kubernetes.Errors;

/// <summary>
/// Credentials could not be obtained or are not usable: an exec plugin that is missing, fails, times out or prints
/// the wrong apiVersion; an unsupported auth-provider; conflicting auth methods. Never carries a token or key.
/// </summary>
public class KubeAuthException : Exception
{
    public KubeAuthException(string message, string? user = null, string? installHint = null, Exception? inner = null)
        : base(message, inner)
    {
        User = user;
        InstallHint = installHint;
    }

    /// <summary>The kubeconfig user stanza the credentials belong to.</summary>
    public string? User { get; }

    /// <summary>The exec plugin's installHint, when the command was not found.</summary>
    public string? InstallHint { get; }
}
