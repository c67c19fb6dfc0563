using System.Net;

namespace ClusterOps.Kubernetes.Errors;

/// <summary>One entry of Status.details.causes (field validation problems and the like).</summary>
public sealed record KubeStatusCause(string? Reason, string? Message, string? Field);

/// <summary>
/// A Kubernetes API <c>Status</c> failure: the HTTP code plus the server's reason, message and details, exactly as
/// the server sent them. Never carries request headers or bodies (they may hold tokens or Secret data).
/// </summary>
public class KubeApiException : Exception
{
    public KubeApiException(
        HttpStatusCode statusCode,
        string reason,
        string message,
        string? method = null,
        string? requestPath = null,
        string? detailsName = null,
        string? detailsGroup = null,
        string? detailsKind = null,
        IReadOnlyList<KubeStatusCause>? causes = null,
        TimeSpan? retryAfter = null,
        Exception? inner = null)
        : base(message, inner)
    {
        StatusCode = statusCode;
        Reason = reason;
        Method = method;
        RequestPath = requestPath;
        DetailsName = detailsName;
        DetailsGroup = detailsGroup;
        DetailsKind = detailsKind;
        Causes = causes ?? Array.Empty<KubeStatusCause>();
        RetryAfter = retryAfter;
    }

    public HttpStatusCode StatusCode { get; }
    public int Code => (int)StatusCode;

    /// <summary>Status.reason: NotFound, AlreadyExists, Conflict, Invalid, Gone, Forbidden, Unauthorized, ...</summary>
    public string Reason { get; }
    public string? Method { get; }
    /// <summary>Path and query of the request (no host credentials, no body).</summary>
    public string? RequestPath { get; }
    public string? DetailsName { get; }
    public string? DetailsGroup { get; }
    public string? DetailsKind { get; }
    public IReadOnlyList<KubeStatusCause> Causes { get; }
    public TimeSpan? RetryAfter { get; }

    public bool IsNotFound => StatusCode == HttpStatusCode.NotFound;
    public bool IsAlreadyExists => StatusCode == HttpStatusCode.Conflict && Reason == "AlreadyExists";
    public bool IsConflict => StatusCode == HttpStatusCode.Conflict && Reason != "AlreadyExists";
    public bool IsGone => StatusCode == HttpStatusCode.Gone || Reason is "Expired" or "Gone";
}
