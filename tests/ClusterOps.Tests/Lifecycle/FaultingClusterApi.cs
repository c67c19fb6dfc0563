using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using ClusterOps.Core.Lifecycle;
using ClusterOps.Kubernetes.Errors;

namespace ClusterOps.Tests.Lifecycle;

/// <summary>
/// Wraps the real API and counts calls; when armed, the k-th call fails before it reaches the server, either with
/// a 500 from the API or by cancelling the operation (Ctrl+C). Everything before it really happened.
/// </summary>
internal sealed class FaultingClusterApi : IClusterApi
{
    private readonly IClusterApi _inner;
    private readonly Action? _cancel;
    private int _calls;

    public FaultingClusterApi(IClusterApi inner, int failAt = 0, bool cancel = false, Action? cancelOperation = null)
    {
        _inner = inner;
        FailAt = failAt;
        Cancel = cancel;
        _cancel = cancelOperation;
    }

    /// <summary>1-based call number that fails; 0 = never.</summary>
    public int FailAt { get; }
    public bool Cancel { get; }
    public int Calls => _calls;
    public bool Fired { get; private set; }
    public List<string> Log { get; } = new();

    private void Before(string what, CancellationToken ct)
    {
        var n = Interlocked.Increment(ref _calls);
        lock (Log) Log.Add(what);
        if (n != FailAt)
            return;
        Fired = true;
        if (Cancel)
        {
            _cancel!();
            ct.ThrowIfCancellationRequested();
            throw new OperationCanceledException(ct);
        }
        throw new KubeApiException(HttpStatusCode.InternalServerError, "InternalError", $"injected failure before call {n} ({what})");
    }

    public Task<JsonObject?> TryGetAsync(ApiKind kind, string? ns, string name, CancellationToken ct)
    {
        Before($"GET {kind}/{name}", ct);
        return _inner.TryGetAsync(kind, ns, name, ct);
    }

    public Task<ApiList> ListAsync(ApiKind kind, string? ns, string? labelSelector, CancellationToken ct)
    {
        Before($"LIST {kind}", ct);
        return _inner.ListAsync(kind, ns, labelSelector, ct);
    }

    public Task<JsonObject> CreateAsync(ApiKind kind, string ns, JsonObject obj, CancellationToken ct)
    {
        Before($"CREATE {kind}/{obj["metadata"]?["name"]}", ct);
        return _inner.CreateAsync(kind, ns, obj, ct);
    }

    public Task<JsonObject> PatchAsync(ApiKind kind, string? ns, string name, JsonObject mergePatch, CancellationToken ct)
    {
        Before($"PATCH {kind}/{name}", ct);
        return _inner.PatchAsync(kind, ns, name, mergePatch, ct);
    }

    public Task<bool> DeleteAsync(ApiKind kind, string? ns, string name, CancellationToken ct, string? resourceVersion = null)
    {
        Before($"DELETE {kind}/{name}", ct);
        return _inner.DeleteAsync(kind, ns, name, ct, resourceVersion);
    }

    public async IAsyncEnumerable<ApiWatchEvent> WatchAsync(ApiKind kind, string ns, string? labelSelector, string? resourceVersion,
        [EnumeratorCancellation] CancellationToken ct)
    {
        Before($"WATCH {kind}", ct);
        await foreach (var e in _inner.WatchAsync(kind, ns, labelSelector, resourceVersion, ct))
            yield return e;
    }
}
