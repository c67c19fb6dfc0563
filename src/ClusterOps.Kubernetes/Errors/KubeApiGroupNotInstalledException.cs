namespace ClusterOps.Kubernetes.Errors;

/// <summary>
/// The API group/version a request needs is not served by the cluster (usually: the CRDs of an operator are not
/// installed). Raised by discovery instead of the bare 404 the server answers for an unknown route.
/// </summary>
public class KubeApiGroupNotInstalledException : Exception
{
    public KubeApiGroupNotInstalledException(string group, string version, string? resource, string message)
        : base(message)
    {
        Group = group;
        Version = version;
        Resource = resource;
    }

    public string Group { get; }
    public string Version { get; }
    /// <summary>The resource (plural) that was asked for, when the group exists but lacks it.</summary>
    public string? Resource { get; }
}
