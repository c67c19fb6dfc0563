namespace ClusterOps.Kubernetes.Errors;

/// <summary>A kubeconfig that cannot be used: missing, malformed (with file and line), or naming what does not exist.</summary>
public class KubeConfigException : Exception
{
    public KubeConfigException(string message, string? file = null, int? line = null, Exception? inner = null)
        : base(message, inner)
    {
        File = file;
        Line = line;
    }

    public string? File { get; }
    public int? Line { get; }
}
