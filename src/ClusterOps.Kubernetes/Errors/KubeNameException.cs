namespace ClusterOps.Kubernetes.Errors;

/// <summary>
/// A name or namespace that cannot be sent as one segment of a request path. Thrown before any request is built:
/// a name like "." or ".." would otherwise be removed by URL normalisation and turn a request for one object into a
/// request for the whole collection (a DELETE of every object).
/// </summary>
public sealed class KubeNameException : ArgumentException
{
    public KubeNameException(string message, string paramName, string? value)
        : base(message, paramName)
    {
        Value = value;
    }

    /// <summary>The refused value (for the error's target); it is never a secret.</summary>
    public string? Value { get; }
}
