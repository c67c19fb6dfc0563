using System.Text.Json.Nodes;
using ClusterOps.Kubernetes.Auth;

namespace ClusterOps.Kubernetes.Http;

/// <summary>Transport settings of a <see cref="KubeClient"/>. The defaults suit interactive use and runbooks.</summary>
public sealed record KubeClientOptions
{
    /// <summary>Bound for one attempt of one request (connect, headers and body; for watches: until headers).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);
    public RetryPolicy Retry { get; init; } = RetryPolicy.Default;
    public CredentialOptions Credentials { get; init; } = new();
    /// <summary>Environment lookup for HTTPS_PROXY / NO_PROXY (tests inject their own).</summary>
    public Func<string, string?>? GetEnvironmentVariable { get; init; }
    public string UserAgent { get; init; } = "ClusterOps/0.1";
}

/// <summary>
/// Retries of idempotent requests (GET: get, list, watch) on connection failures and 429/500/502/503/504.
/// Waits honour Retry-After (capped by <see cref="MaxRetryAfter"/>), else grow exponentially from
/// <see cref="BaseDelay"/> to <see cref="MaxDelay"/> with jitter. Non-GET requests are never retried, except once
/// after a 401 when refreshed credentials exist (the server did not process the rejected request).
/// </summary>
public sealed record RetryPolicy(int MaxAttempts, TimeSpan BaseDelay, TimeSpan MaxDelay, TimeSpan MaxRetryAfter)
{
    public static RetryPolicy Default { get; } = new(5, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(60));
    public static RetryPolicy None { get; } = new(1, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);

    /// <summary>The wait before retry number <paramref name="retry"/> (1-based).</summary>
    public TimeSpan Delay(int retry, TimeSpan? retryAfter)
    {
        if (retryAfter is { } ra)
            return ra < TimeSpan.Zero ? TimeSpan.Zero : ra > MaxRetryAfter ? MaxRetryAfter : ra;
        var exp = BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, retry - 1));
        var capped = Math.Min(exp, MaxDelay.TotalMilliseconds);
        var jitter = 0.8 + Random.Shared.NextDouble() * 0.4;
        return TimeSpan.FromMilliseconds(capped * jitter);
    }
}

/// <summary>Options of a list.</summary>
public sealed record ListOptions
{
    public string? LabelSelector { get; init; }
    public string? FieldSelector { get; init; }
    /// <summary>Objects per page (limit). 0 disables paging.</summary>
    public int PageSize { get; init; } = 500;
    /// <summary>resourceVersion semantics of the list ("0" = any cached version); null = most recent.</summary>
    public string? ResourceVersion { get; init; }
    public ListExpiredBehavior OnExpired { get; init; } = ListExpiredBehavior.Restart;
}

/// <summary>What a paged list does when its continue token expires (410 Gone) mid-way.</summary>
public enum ListExpiredBehavior
{
    /// <summary>List again from the start and skip every object up to the last key (namespace/name) returned, in
    /// constant memory: no duplicates and no loss. Objects created meanwhile after that key are returned, those before
    /// it are not (as if created after the first snapshot); objects already returned are not returned again even if
    /// they changed. A server that does not list in key order cannot be resumed this way: the list then fails with
    /// <see cref="Errors.KubeListExpiredException"/>.</summary>
    Restart,
    /// <summary>Throw <see cref="Errors.KubeListExpiredException"/>.</summary>
    Fail,
}

/// <summary>Options of a watch.</summary>
public sealed record WatchOptions
{
    /// <summary>Start after this version (normally the list's metadata.resourceVersion). Null: the server first sends
    /// the current objects as Added events.</summary>
    public string? ResourceVersion { get; init; }
    public string? LabelSelector { get; init; }
    public string? FieldSelector { get; init; }
    /// <summary>Server-side duration of one watch request; the client reconnects after it from the last version.</summary>
    public TimeSpan RequestDuration { get; init; } = TimeSpan.FromMinutes(5);
    /// <summary>Yield Bookmark events to the caller (they are always requested and tracked).</summary>
    public bool IncludeBookmarks { get; init; }
    /// <summary>On 410 Gone: re-list and yield Reset plus the current objects (true), or throw (false).</summary>
    public bool RelistOnExpired { get; init; } = true;
}

/// <summary>Options of create / update / patch.</summary>
public sealed record WriteOptions
{
    public bool DryRun { get; init; }
    public string? FieldManager { get; init; } = "clusterops";
    /// <summary>"status" to write the status subresource.</summary>
    public string? Subresource { get; init; }
}

/// <summary>Options of delete.</summary>
public sealed record DeleteOptions
{
    /// <summary>Foreground, Background or Orphan; null = the resource's default.</summary>
    public string? PropagationPolicy { get; init; }
    public bool DryRun { get; init; }
    public long? GracePeriodSeconds { get; init; }
    /// <summary>Only delete this exact version / object (409 Conflict otherwise).</summary>
    public string? PreconditionResourceVersion { get; init; }
    public string? PreconditionUid { get; init; }
}

/// <summary>A patch and its content type.</summary>
public sealed class KubePatch
{
    private KubePatch(string contentType, JsonNode body, string? fieldManager, bool force)
    {
        ContentType = contentType;
        Body = body;
        FieldManager = fieldManager;
        Force = force;
    }

    public string ContentType { get; }
    public JsonNode Body { get; }
    public string? FieldManager { get; }
    public bool Force { get; }

    /// <summary>RFC 7386 merge patch: works for every resource, including custom ones. null values delete keys.</summary>
    public static KubePatch Merge(JsonNode patch) => new("application/merge-patch+json", patch, null, false);

    /// <summary>RFC 6902 JSON patch: a list of operations (test/add/replace/remove...).</summary>
    public static KubePatch Json(JsonArray operations) => new("application/json-patch+json", operations, null, false);

    /// <summary>Strategic merge patch: built-in kinds only (custom resources answer 415).</summary>
    public static KubePatch StrategicMerge(JsonNode patch) => new("application/strategic-merge-patch+json", patch, null, false);

    /// <summary>Server-side apply of a full intent object under <paramref name="fieldManager"/>.</summary>
    public static KubePatch Apply(JsonObject intent, string fieldManager, bool force = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(fieldManager);
        return new("application/apply-patch+yaml", intent, fieldManager, force);
    }
}
