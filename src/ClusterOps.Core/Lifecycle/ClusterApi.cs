using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using ClusterOps.Kubernetes.Errors;
using ClusterOps.Kubernetes.Http;
using ClusterOps.Kubernetes.Resources;

namespace ClusterOps.Core.Lifecycle;

public enum ApiKind { Namespace, Pod, Service, Secret, PersistentVolumeClaim, PersistentVolume, Deployment, StatefulSet, StorageClass, Lease }

public sealed record ApiList(IReadOnlyList<JsonObject> Items, string? ResourceVersion);

public sealed record ApiWatchEvent(WatchEventType Type, JsonObject? Object);

/// <summary>
/// The API calls the lifecycle makes, on whole JSON objects so that every field (known or not) survives a
/// read-modify-write and lands in the restore record. One seam: tests wrap it to inject a failure before any call.
/// </summary>
public interface IClusterApi
{
    Task<JsonObject?> TryGetAsync(ApiKind kind, string? ns, string name, CancellationToken cancellationToken);
    Task<ApiList> ListAsync(ApiKind kind, string? ns, string? labelSelector, CancellationToken cancellationToken);
    Task<JsonObject> CreateAsync(ApiKind kind, string ns, JsonObject obj, CancellationToken cancellationToken);
    Task<JsonObject> PatchAsync(ApiKind kind, string? ns, string name, JsonObject mergePatch, CancellationToken cancellationToken);
    /// <summary>
    /// Delete; false when it was already gone. With <paramref name="resourceVersion"/> the delete happens only if the
    /// object is still at that version (else a Conflict): nobody else's later change is deleted with it.
    /// </summary>
    Task<bool> DeleteAsync(ApiKind kind, string? ns, string name, CancellationToken cancellationToken, string? resourceVersion = null);
    /// <summary>Watch from a list's version; reconnects and re-lists (Reset) as the client does.</summary>
    IAsyncEnumerable<ApiWatchEvent> WatchAsync(ApiKind kind, string ns, string? labelSelector, string? resourceVersion, CancellationToken cancellationToken);
}

/// <summary><see cref="IClusterApi"/> on the shared <see cref="KubeClient"/>.</summary>
public sealed class KubeClusterApi : IClusterApi
{
    private readonly KubeClient _client;

    public KubeClusterApi(KubeClient client) => _client = client;

    public static ResourceType<JsonObject> TypeOf(ApiKind kind) => kind switch
    {
        ApiKind.Namespace => ResourceType.Custom("", "v1", "namespaces", "Namespace", namespaced: false),
        ApiKind.Pod => ResourceType.Custom("", "v1", "pods", "Pod", namespaced: true),
        ApiKind.Service => ResourceType.Custom("", "v1", "services", "Service", namespaced: true),
        ApiKind.Secret => ResourceType.Custom("", "v1", "secrets", "Secret", namespaced: true),
        ApiKind.PersistentVolumeClaim => ResourceType.Custom("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", namespaced: true),
        ApiKind.PersistentVolume => ResourceType.Custom("", "v1", "persistentvolumes", "PersistentVolume", namespaced: false),
        ApiKind.Deployment => ResourceType.Custom("apps", "v1", "deployments", "Deployment", namespaced: true),
        ApiKind.StatefulSet => ResourceType.Custom("apps", "v1", "statefulsets", "StatefulSet", namespaced: true),
        ApiKind.StorageClass => ResourceType.Custom("storage.k8s.io", "v1", "storageclasses", "StorageClass", namespaced: false),
        ApiKind.Lease => ResourceType.Custom("coordination.k8s.io", "v1", "leases", "Lease", namespaced: true),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static ApiKind KindOf(string kind) => Enum.Parse<ApiKind>(kind, ignoreCase: true);

    public Task<JsonObject?> TryGetAsync(ApiKind kind, string? ns, string name, CancellationToken cancellationToken) =>
        _client.TryGetAsync(TypeOf(kind), ns, name, cancellationToken);

    public async Task<ApiList> ListAsync(ApiKind kind, string? ns, string? labelSelector, CancellationToken cancellationToken)
    {
        var list = await _client.ListAllAsync(TypeOf(kind), ns, new ListOptions { LabelSelector = labelSelector }, cancellationToken).ConfigureAwait(false);
        return new ApiList(list.Items, list.Metadata.ResourceVersion);
    }

    public Task<JsonObject> CreateAsync(ApiKind kind, string ns, JsonObject obj, CancellationToken cancellationToken) =>
        _client.CreateAsync(TypeOf(kind), ns, obj, null, cancellationToken);

    public Task<JsonObject> PatchAsync(ApiKind kind, string? ns, string name, JsonObject mergePatch, CancellationToken cancellationToken) =>
        _client.PatchAsync(TypeOf(kind), ns, name, KubePatch.Merge(mergePatch), null, cancellationToken);

    public async Task<bool> DeleteAsync(ApiKind kind, string? ns, string name, CancellationToken cancellationToken, string? resourceVersion = null)
    {
        try
        {
            // Background: the workload goes at once and the garbage collector removes its pods, which we then watch.
            var options = new DeleteOptions { PropagationPolicy = "Background", PreconditionResourceVersion = resourceVersion };
            await _client.DeleteAsync(TypeOf(kind), ns, name, options, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (KubeApiException ex) when (ex.IsNotFound)
        {
            return false;
        }
    }

    public async IAsyncEnumerable<ApiWatchEvent> WatchAsync(ApiKind kind, string ns, string? labelSelector, string? resourceVersion,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var options = new WatchOptions { LabelSelector = labelSelector, ResourceVersion = resourceVersion, RequestDuration = TimeSpan.FromMinutes(5) };
        await foreach (var e in _client.WatchAsync(TypeOf(kind), ns, options, cancellationToken).ConfigureAwait(false))
            yield return new ApiWatchEvent(e.Type, e.Object);
    }
}
