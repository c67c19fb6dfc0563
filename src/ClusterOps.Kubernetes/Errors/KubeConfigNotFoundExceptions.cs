namespace ClusterOps.Kubernetes.Errors;

/// <summary>
/// A context named by -Context, Use-KubeContext or current-context is not in the kubeconfig. A subtype of
/// <see cref="KubeConfigException"/> so that callers handling kubeconfig problems in general still catch it, and
/// its own type so that the cmdlets report it as what it is: an object that was not found (KubeContextNotFound).
/// </summary>
public sealed class KubeContextNotFoundException : KubeConfigException
{
    public KubeContextNotFoundException(string contextName, string message, string? file = null)
        : base(message, file) => ContextName = contextName;

    public string ContextName { get; }
}

/// <summary>
/// The kubeconfig file named by -KubeConfig does not exist, or no kubeconfig exists at all (no KUBECONFIG, no
/// ~/.kube/config, not in a cluster). Reported as ObjectNotFound (KubeConfigNotFound), not as invalid data.
/// </summary>
public sealed class KubeConfigNotFoundException : KubeConfigException
{
    public KubeConfigNotFoundException(string message, string? file = null)
        : base(message, file)
    {
    }
}
