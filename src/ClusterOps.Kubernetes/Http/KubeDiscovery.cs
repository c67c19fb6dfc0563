using System.Net.Http;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClusterOps.Kubernetes.Errors;
using ClusterOps.Kubernetes.Resources;

namespace ClusterOps.Kubernetes.Http;

/// <summary>
/// What the cluster serves, from legacy discovery (/api/v1, /apis/{group}/{version}), cached per connection.
/// Used to map kinds to resources and to explain a missing CRD group instead of returning a bare 404.
/// </summary>
public sealed class KubeDiscovery
{
    /// <summary>Names users recognise for the CRD groups ClusterOps works with.</summary>
    private static readonly Dictionary<string, string> KnownGroups = new(StringComparer.Ordinal)
    {
        ["stork.libopenstorage.org"] = "Stork",
        ["apps.3scale.net"] = "3scale operator",
        ["snapshot.storage.k8s.io"] = "CSI volume snapshot",
    };

    // A missing group is re-checked soon (someone may be installing the operator right now); a present one rarely.
    private static readonly TimeSpan MissingTtl = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PresentTtl = TimeSpan.FromMinutes(10);

    private readonly KubeClient _client;
    private readonly KubeTransport _transport;

    internal KubeDiscovery(KubeClient client, KubeTransport transport)
    {
        _client = client;
        _transport = transport;
    }

    /// <summary>The resources of group/version ("" = core), or null when the cluster does not serve it.</summary>
    public async Task<ApiResourceList?> GetResourcesAsync(string group, string version, CancellationToken cancellationToken = default)
    {
        var key = $"{group}/{version}";
        if (_transport.Discovery.TryGetValue(key, out var cached) && DateTimeOffset.UtcNow - cached.At < (cached.List is null ? MissingTtl : PresentTtl))
            return cached.List;
        var path = group.Length == 0 ? $"/api/{version}" : $"/apis/{group}/{version}";
        ApiResourceList? list;
        try
        {
            var bytes = await _client.SendAsync(new KubeClient.Request(HttpMethod.Get, path), cancellationToken).ConfigureAwait(false);
            list = JsonSerializer.Deserialize(bytes, KubeJsonContext.Default.ApiResourceList);
        }
        catch (KubeApiException ex) when (ex.IsNotFound)
        {
            list = null;
        }
        _transport.Discovery[key] = (DateTimeOffset.UtcNow, list);
        return list;
    }

    /// <summary>Forget cached answers (after installing CRDs, for example).</summary>
    public void Invalidate() => _transport.Discovery.Clear();

    /// <summary>
    /// Throw <see cref="KubeApiGroupNotInstalledException"/> ("the Stork CRDs (stork.libopenstorage.org/v1alpha1) are
    /// not installed in this cluster") unless group/version is served. Call it before the first request to a CRD.
    /// </summary>
    public async Task EnsureApiGroupAsync(string group, string version, CancellationToken cancellationToken = default)
    {
        if (await GetResourcesAsync(group, version, cancellationToken).ConfigureAwait(false) is null)
            throw NotInstalled(group, version, null);
    }

    /// <summary>As <see cref="EnsureApiGroupAsync"/>, and the group must also serve <paramref name="plural"/>.</summary>
    public async Task EnsureResourceAsync(string group, string version, string plural, CancellationToken cancellationToken = default)
    {
        var list = await GetResourcesAsync(group, version, cancellationToken).ConfigureAwait(false);
        if (list is null)
            throw NotInstalled(group, version, null);
        if (!list.Resources.Any(r => r.Name == plural))
            throw NotInstalled(group, version, plural);
    }

    /// <summary>Map apiVersion + kind (as in a manifest) to a resource read as JsonObject.</summary>
    public async Task<ResourceType<JsonObject>> ResolveKindAsync(string apiVersion, string kind, CancellationToken cancellationToken = default)
    {
        var slash = apiVersion.LastIndexOf('/');
        var group = slash < 0 ? "" : apiVersion[..slash];
        var version = slash < 0 ? apiVersion : apiVersion[(slash + 1)..];
        var list = await GetResourcesAsync(group, version, cancellationToken).ConfigureAwait(false) ?? throw NotInstalled(group, version, null);
        var resource = list.Resources.FirstOrDefault(r => r.Kind == kind && !r.Name.Contains('/', StringComparison.Ordinal))
            ?? throw new KubeApiGroupNotInstalledException(group, version, null,
                $"The cluster serves {apiVersion}, but no resource of kind '{kind}' in it.");
        return ResourceType.Custom(group, version, resource.Name, resource.Kind, resource.Namespaced);
    }

    internal static KubeApiGroupNotInstalledException NotInstalled(string group, string version, string? plural)
    {
        var gv = $"{group}/{version}";
        string message;
        if (KnownGroups.TryGetValue(group, out var product))
            message = plural is null
                ? $"The {product} CRDs ({gv}) are not installed in this cluster."
                : $"The {product} CRD for '{plural}' ({gv}) is not installed in this cluster.";
        else
            message = plural is null
                ? $"The API group {gv} is not served by this cluster (are its CRDs installed?)."
                : $"The resource '{plural}' of {gv} is not served by this cluster (is its CRD installed?).";
        return new KubeApiGroupNotInstalledException(group, version, plural, message);
    }
}
