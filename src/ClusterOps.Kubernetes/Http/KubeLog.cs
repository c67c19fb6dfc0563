namespace ClusterOps.Kubernetes.Http;

/// <summary>
/// Where the client reports what it does: verbose traces (method, URL, status, duration; exec plugin stderr) and
/// warnings (insecure TLS). Cmdlets route these to Write-Verbose / Write-Warning; the client never writes headers,
/// tokens, keys or bodies here.
/// </summary>
public sealed class KubeLog
{
    private readonly Action<string>? _verbose;
    private readonly Action<string>? _warning;

    public KubeLog(Action<string>? verbose = null, Action<string>? warning = null)
    {
        _verbose = verbose;
        _warning = warning;
    }

    public static KubeLog None { get; } = new();

    public void Verbose(string message) => _verbose?.Invoke(message);
    public void Warning(string message) => _warning?.Invoke(message);
}
