using System.Net;

namespace ClusterOps.Kubernetes.Errors;

/// <summary>
/// A paged list could not be continued because its continue token expired (410 Gone) after some items were
/// already returned, and the caller asked to fail rather than restart (<c>ListExpiredBehavior.Fail</c>).
/// </summary>
public sealed class KubeListExpiredException : KubeApiException
{
    public KubeListExpiredException(string message, string? method, string? requestPath, int itemsReturned)
        : base(HttpStatusCode.Gone, "Expired", message, method, requestPath)
    {
        ItemsReturned = itemsReturned;
    }

    public int ItemsReturned { get; }
}
