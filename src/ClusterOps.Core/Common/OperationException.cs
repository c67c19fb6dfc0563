namespace ClusterOps.Core.Common;

/// <summary>How a failure should be classified for the user; mapped once to ErrorCategory by the cmdlet runtime.</summary>
public enum FailureKind
{
    NotSpecified,
    InvalidArgument,
    InvalidData,
    InvalidOperation,
    ObjectNotFound,
    ResourceExists,
    ResourceBusy,
    ResourceUnavailable,
    PermissionDenied,
    AuthenticationError,
    ConnectionError,
    OperationTimeout,
    OperationStopped,
    NotInstalled,
    NotImplemented,
}

/// <summary>
/// A failure that Core detected itself (bad input, a precondition, a timeout). <see cref="ErrorId"/> is stable:
/// runbooks match on it, so never rename one that has shipped.
/// </summary>
public class OperationException : Exception
{
    public OperationException(string errorId, FailureKind kind, string message, object? target = null, Exception? inner = null)
        : base(message, inner)
    {
        ErrorId = errorId;
        Kind = kind;
        Target = target;
    }

    public string ErrorId { get; }
    public FailureKind Kind { get; }
    public object? Target { get; }

    /// <summary>Optional advice shown as ErrorDetails.RecommendedAction.</summary>
    public string? RecommendedAction { get; init; }
}
