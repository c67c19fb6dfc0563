using System.Net;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClusterOps.Kubernetes.Errors;
using ClusterOps.Kubernetes.Resources;

namespace ClusterOps.Kubernetes.Http;

public sealed partial class KubeClient
{
    /// <summary>GET one object. Throws KubeApiException (IsNotFound) when it does not exist.</summary>
    public async Task<T> GetAsync<T>(ResourceType<T> type, string? ns, string name, CancellationToken cancellationToken = default) where T : class
    {
        var bytes = await SendTypedAsync(type, new Request(HttpMethod.Get, ObjectPath(type, ns, name)), cancellationToken).ConfigureAwait(false);
        return DeserializeObject(type, bytes);
    }

    /// <summary>GET one object, or null when it does not exist.</summary>
    public async Task<T?> TryGetAsync<T>(ResourceType<T> type, string? ns, string name, CancellationToken cancellationToken = default) where T : class
    {
        try
        {
            return await GetAsync(type, ns, name, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException ex) when (ex.IsNotFound && ex.DetailsName is not null)
        {
            return null;
        }
    }

    /// <summary>
    /// Stream every object, page by page (limit/continue): objects are parsed from the response as it arrives, and the
    /// first object is yielded before the second page is requested. <paramref name="ns"/> null lists across all
    /// namespaces (or a cluster-scoped resource).
    /// </summary>
    public async IAsyncEnumerable<T> ListAsync<T>(ResourceType<T> type, string? ns, ListOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default) where T : class
    {
        await foreach (var e in StreamListAsync(type, ns, options, cancellationToken).ConfigureAwait(false))
        {
            if (e.Item is not null)
                yield return e.Item;
        }
    }

    /// <summary>
    /// The pages of a list; each page's Metadata.ResourceVersion is the list's version (start a watch from it).
    /// On an expired continue token see <see cref="ListOptions.OnExpired"/>.
    /// </summary>
    public async IAsyncEnumerable<KubeList<T>> ListPagesAsync<T>(ResourceType<T> type, string? ns, ListOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default) where T : class
    {
        var items = new List<T>();
        await foreach (var e in StreamListAsync(type, ns, options, cancellationToken).ConfigureAwait(false))
        {
            if (e.Item is not null)
            {
                items.Add(e.Item);
                continue;
            }
            e.Page!.Items = items;
            yield return e.Page;
            items = new List<T>();
        }
    }

    /// <summary>One parsed object, or the end of a page (the page's header: metadata, kind; no items).</summary>
    private readonly record struct ListEvent<T>(T? Item, KubeList<T>? Page) where T : class;

    private async IAsyncEnumerable<ListEvent<T>> StreamListAsync<T>(ResourceType<T> type, string? ns, ListOptions? options,
        [EnumeratorCancellation] CancellationToken cancellationToken) where T : class
    {
        options ??= new ListOptions();
        var cursor = new ListCursor();
        var bodyFailures = 0;
        string? continueToken = null;
        // The next page is requested while this one's objects are still being consumed, once its first object was
        // yielded (so the first object still comes before the second page is requested): the server prepares and
        // sends page n+1 while page n is parsed, instead of a round trip between pages.
        using var prefetchCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        (string Token, Task<HttpResponseMessage> Response)? prefetch = null;
        var retryPage = false;
        try
        {
            while (true)
            {
                var path = PagePath(type, ns, options, continueToken);
                var samePageAgain = retryPage;
                retryPage = false;
                HttpResponseMessage response;
                try
                {
                    if (prefetch is { } ahead && ahead.Token == continueToken)
                    {
                        prefetch = null;
                        response = await ahead.Response.ConfigureAwait(false);
                    }
                    else
                    {
                        // Asking for the same page again (it broke off) keeps the page requested ahead: it is still next.
                        if (!samePageAgain)
                            Discard(ref prefetch);
                        response = await SendTypedStreamingAsync(type, new Request(HttpMethod.Get, path), cancellationToken).ConfigureAwait(false);
                    }
                }
                catch (KubeApiException ex) when (ex.IsGone && continueToken is not null)
                {
                    if (options.OnExpired == ListExpiredBehavior.Fail)
                        throw new KubeListExpiredException(
                            $"The list of {type} expired after {cursor.Returned} objects were returned (the continue token is too old). List again, or use a larger page size.",
                            "GET", path, cursor.Returned);
                    if (!cursor.Ordered)
                        throw new KubeListExpiredException(
                            $"The list of {type} expired after {cursor.Returned} objects were returned, and the server does not return objects in key order, so listing again could repeat or miss objects. List again, or use a larger page size.",
                            "GET", path, cursor.Returned);
                    Log.Verbose($"The list of {type} expired after {cursor.Returned} objects; listing again and skipping those already returned.");
                    continueToken = null;
                    cursor.Resume();
                    continue;
                }

                KubeList<T>? page = null;
                Exception? failure = null;
                using (response)
                using (var reader = new ListPageReader<T>(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false),
                    type.ItemInfo, _options.RequestTimeout))
                {
                    while (true)
                    {
                        T? item;
                        try
                        {
                            item = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                        }
                        catch (Exception ex) when (IsConnectionFailure(ex))
                        {
                            failure = ex;
                            break;
                        }
                        if (item is null)
                        {
                            page = reader.Header;
                            break;
                        }
                        if (!cursor.Accept(MetaOf(item), type))
                            continue;
                        yield return new ListEvent<T>(item, null);
                        if (prefetch is null && reader.Header.Metadata.Continue is { Length: > 0 } next)
                            prefetch = (next, SendTypedStreamingAsync(type, new Request(HttpMethod.Get, PagePath(type, ns, options, next)), prefetchCts.Token));
                    }
                }
                if (failure is not null)
                {
                    // The connection broke mid-page: ask for the same page again and skip, by key, what was already returned.
                    if (!cursor.Ordered || ++bodyFailures >= _options.Retry.MaxAttempts)
                        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
                    var delay = _options.Retry.Delay(bodyFailures, null);
                    Log.Verbose($"GET {DisplayUrl(path)} broke off after {cursor.Returned} objects ({failure.Message}); requesting the page again in {delay.TotalMilliseconds:0} ms.");
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                    cursor.Resume();
                    retryPage = true;
                    continue;
                }
                // Each page has the whole retry budget: a slow consumer can outlast the server's patience with the
                // page requested ahead on every page of a long list.
                bodyFailures = 0;
                yield return new ListEvent<T>(null, page);
                continueToken = page!.Metadata.Continue;
                if (string.IsNullOrEmpty(continueToken))
                    yield break;
            }
        }
        finally
        {
            // The consumer stopped early (or the list failed): drop the page requested ahead.
            prefetchCts.Cancel();
            Discard(ref prefetch);
        }
    }

    private static string PagePath<T>(ResourceType<T> type, string? ns, ListOptions options, string? continueToken) where T : class =>
        CollectionPath(type, ns) + Query(
            ("labelSelector", options.LabelSelector),
            ("fieldSelector", options.FieldSelector),
            ("limit", options.PageSize > 0 ? options.PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture) : null),
            ("continue", continueToken),
            ("resourceVersion", continueToken is null ? options.ResourceVersion : null));

    private static void Discard(ref (string Token, Task<HttpResponseMessage> Response)? prefetch)
    {
        if (prefetch is not { } ahead)
            return;
        prefetch = null;
        // Dispose the response when it comes; observe a failure so it is not reported as unobserved.
        _ = ahead.Response.ContinueWith(t =>
        {
            if (t.IsCompletedSuccessfully)
                t.Result.Dispose();
            else
                _ = t.Exception;
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>
    /// Where a paged list stands, in constant memory. The API server returns a list in key order (namespace/name, as
    /// etcd stores it), so after a restart (410 on the continue token) or a broken-off page, skipping every object whose
    /// key is not after the last one returned drops exactly the objects already returned. Order is checked as the
    /// objects arrive; a server that does not keep it (some aggregated APIs) cannot be resumed without duplicates.
    /// </summary>
    private sealed class ListCursor
    {
        private string? _lastReturned;
        private string? _previous;
        private bool _resumed;

        public int Returned { get; private set; }
        public bool Ordered { get; private set; } = true;

        /// <summary>Whether to return this object (false: already returned before the restart).</summary>
        public bool Accept<T>(Meta meta, ResourceType<T> type) where T : class
        {
            var key = meta.Namespace is null ? meta.Name ?? "" : meta.Namespace + "/" + meta.Name;
            if (_previous is not null && string.CompareOrdinal(key, _previous) <= 0)
            {
                if (_resumed)
                    throw new InvalidDataException(
                        $"The list of {type} was resumed after {Returned} objects, but the server does not return objects in key order, so the rest of the list could repeat or miss objects. List again.");
                Ordered = false;
            }
            _previous = key;
            if (_resumed && _lastReturned is not null && string.CompareOrdinal(key, _lastReturned) <= 0)
                return false;
            _lastReturned = key;
            Returned++;
            return true;
        }

        /// <summary>The next response starts a new run of keys (the list from the start, or a page again).</summary>
        public void Resume()
        {
            _resumed = true;
            _previous = null;
        }
    }

    /// <summary>Every page gathered into one list (Items plus the list's ResourceVersion).</summary>
    public async Task<KubeList<T>> ListAllAsync<T>(ResourceType<T> type, string? ns, ListOptions? options = null,
        CancellationToken cancellationToken = default) where T : class
    {
        var all = new KubeList<T>();
        await foreach (var page in ListPagesAsync(type, ns, options, cancellationToken).ConfigureAwait(false))
        {
            all.ApiVersion = page.ApiVersion;
            all.Kind = page.Kind;
            all.Metadata.ResourceVersion = page.Metadata.ResourceVersion;
            all.Items.AddRange(page.Items);
        }
        return all;
    }

    /// <summary>POST a new object. <paramref name="ns"/> null takes the object's metadata.namespace.</summary>
    public async Task<T> CreateAsync<T>(ResourceType<T> type, string? ns, T obj, WriteOptions? options = null,
        CancellationToken cancellationToken = default) where T : class
    {
        options ??= new WriteOptions();
        var meta = MetaOf(obj);
        var path = CollectionPath(type, ns ?? meta.Namespace, requireNamespace: true) + WriteQuery(options, null);
        var bytes = await SendTypedAsync(type, new Request(HttpMethod.Post, path, Serialize(obj, type.ItemInfo), "application/json"),
            cancellationToken).ConfigureAwait(false);
        return DeserializeObject(type, bytes);
    }

    /// <summary>
    /// PUT (replace) an object read earlier. metadata.resourceVersion is required and acts as the precondition: if
    /// the object changed since it was read, the server answers 409 Conflict (KubeApiException.IsConflict): read again,
    /// re-apply the change, retry. Unknown fields read earlier are written back unchanged.
    /// </summary>
    public async Task<T> UpdateAsync<T>(ResourceType<T> type, string? ns, T obj, WriteOptions? options = null,
        CancellationToken cancellationToken = default) where T : class
    {
        options ??= new WriteOptions();
        var meta = MetaOf(obj);
        if (string.IsNullOrEmpty(meta.Name))
            throw new ArgumentException("UpdateAsync needs metadata.name.", nameof(obj));
        if (string.IsNullOrEmpty(meta.ResourceVersion))
            throw new ArgumentException(
                "UpdateAsync needs metadata.resourceVersion (the version that was read), so a concurrent change is detected instead of overwritten. Use PatchAsync for a change that does not depend on the current state.",
                nameof(obj));
        var path = ObjectPath(type, ns ?? meta.Namespace, meta.Name, options.Subresource) + WriteQuery(options, null);
        var bytes = await SendTypedAsync(type, new Request(HttpMethod.Put, path, Serialize(obj, type.ItemInfo), "application/json"),
            cancellationToken).ConfigureAwait(false);
        return DeserializeObject(type, bytes);
    }

    /// <summary>
    /// Read-modify-write with optimistic concurrency: GET the object, let <paramref name="mutate"/> change it (return
    /// false to leave it alone), PUT it with its resourceVersion, and on 409 Conflict start again from a fresh read
    /// (up to <paramref name="maxAttempts"/> times). Returns the stored object. Unknown fields are carried through.
    /// </summary>
    public async Task<T> ModifyAsync<T>(ResourceType<T> type, string? ns, string name, Func<T, bool> mutate, WriteOptions? options = null,
        int maxAttempts = 5, CancellationToken cancellationToken = default) where T : class
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await GetAsync(type, ns, name, cancellationToken).ConfigureAwait(false);
            if (!mutate(current))
                return current;
            try
            {
                return await UpdateAsync(type, ns, current, options, cancellationToken).ConfigureAwait(false);
            }
            catch (KubeApiException ex) when (ex.IsConflict && attempt < maxAttempts)
            {
                Log.Verbose($"{type} {name} changed while it was being updated; reading it again (attempt {attempt + 1} of {maxAttempts}).");
            }
        }
    }

    /// <summary>PATCH an object (merge, JSON, strategic-merge or server-side apply; see <see cref="KubePatch"/>).</summary>
    public async Task<T> PatchAsync<T>(ResourceType<T> type, string? ns, string name, KubePatch patch, WriteOptions? options = null,
        CancellationToken cancellationToken = default) where T : class
    {
        options ??= new WriteOptions();
        var path = ObjectPath(type, ns, name, options.Subresource) + WriteQuery(options, patch);
        var body = JsonSerializer.SerializeToUtf8Bytes(patch.Body, KubeJsonContext.Default.JsonNode);
        var bytes = await SendTypedAsync(type, new Request(HttpMethod.Patch, path, body, patch.ContentType), cancellationToken).ConfigureAwait(false);
        return DeserializeObject(type, bytes);
    }

    /// <summary>
    /// DELETE an object. Returns the object when the server keeps it for finalizers / foreground deletion
    /// (metadata.deletionTimestamp set), null when it is gone. Throws KubeApiException (IsNotFound) if absent.
    /// </summary>
    public async Task<T?> DeleteAsync<T>(ResourceType<T> type, string? ns, string name, DeleteOptions? options = null,
        CancellationToken cancellationToken = default) where T : class
    {
        options ??= new DeleteOptions();
        var body = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "DeleteOptions" };
        if (options.PropagationPolicy is not null)
            body["propagationPolicy"] = options.PropagationPolicy;
        if (options.DryRun)
            body["dryRun"] = new JsonArray("All");
        if (options.GracePeriodSeconds is long grace)
            body["gracePeriodSeconds"] = grace;
        if (options.PreconditionResourceVersion is not null || options.PreconditionUid is not null)
        {
            var pre = new JsonObject();
            if (options.PreconditionResourceVersion is not null)
                pre["resourceVersion"] = options.PreconditionResourceVersion;
            if (options.PreconditionUid is not null)
                pre["uid"] = options.PreconditionUid;
            body["preconditions"] = pre;
        }
        var bytes = await SendTypedAsync(type, new Request(HttpMethod.Delete, ObjectPath(type, ns, name),
            JsonSerializer.SerializeToUtf8Bytes(body, KubeJsonContext.Default.JsonObject), "application/json"), cancellationToken).ConfigureAwait(false);
        if (KubeApiErrors.TryParseStatus(bytes) is not null)
            return null;
        return bytes.Length == 0 ? null : DeserializeObject(type, bytes);
    }

    /// <summary>GET the /scale subresource (deployments, statefulsets, replicasets, scalable custom resources).</summary>
    public async Task<Scale> GetScaleAsync<T>(ResourceType<T> type, string ns, string name, CancellationToken cancellationToken = default) where T : class
    {
        var bytes = await SendTypedAsync(type, new Request(HttpMethod.Get, ObjectPath(type, ns, name, "scale")), cancellationToken).ConfigureAwait(false);
        return Deserialize(bytes, KubeJsonContext.Default.Scale);
    }

    /// <summary>Set spec.replicas through the /scale subresource (a merge patch: nothing else is touched).</summary>
    public async Task<Scale> ScaleAsync<T>(ResourceType<T> type, string ns, string name, int replicas, WriteOptions? options = null,
        CancellationToken cancellationToken = default) where T : class
    {
        options ??= new WriteOptions();
        var patch = KubePatch.Merge(new JsonObject { ["spec"] = new JsonObject { ["replicas"] = replicas } });
        var body = JsonSerializer.SerializeToUtf8Bytes(patch.Body, KubeJsonContext.Default.JsonNode);
        var path = ObjectPath(type, ns, name, "scale") + WriteQuery(options, patch);
        var bytes = await SendTypedAsync(type, new Request(HttpMethod.Patch, path, body, patch.ContentType), cancellationToken).ConfigureAwait(false);
        return Deserialize(bytes, KubeJsonContext.Default.Scale);
    }

    /// <summary>GET /version.</summary>
    public async Task<VersionInfo> GetVersionAsync(CancellationToken cancellationToken = default)
    {
        var bytes = await SendAsync(new Request(HttpMethod.Get, "/version"), cancellationToken).ConfigureAwait(false);
        return Deserialize(bytes, KubeJsonContext.Default.VersionInfo);
    }

    /// <summary>Who the server thinks we are (POST selfsubjectreviews: v1, else v1beta1 on older servers).</summary>
    public async Task<UserInfo?> WhoAmIAsync(CancellationToken cancellationToken = default)
    {
        foreach (var version in new[] { "v1", "v1beta1" })
        {
            var review = new JsonObject { ["apiVersion"] = $"authentication.k8s.io/{version}", ["kind"] = "SelfSubjectReview" };
            try
            {
                var bytes = await SendAsync(new Request(HttpMethod.Post, $"/apis/authentication.k8s.io/{version}/selfsubjectreviews",
                    JsonSerializer.SerializeToUtf8Bytes(review, KubeJsonContext.Default.JsonObject), "application/json"), cancellationToken).ConfigureAwait(false);
                return Deserialize(bytes, KubeJsonContext.Default.SelfSubjectReview).Status?.UserInfo;
            }
            catch (KubeApiException ex) when (ex.IsNotFound)
            {
            }
        }
        return null;
    }

    /// <summary>Any other request, as JSON. <paramref name="path"/> is relative to the server, with query.</summary>
    public async Task<JsonNode?> SendJsonAsync(HttpMethod method, string path, JsonNode? body = null, string? contentType = null,
        CancellationToken cancellationToken = default)
    {
        var bytes = await SendAsync(new Request(method, path,
            body is null ? null : JsonSerializer.SerializeToUtf8Bytes(body, KubeJsonContext.Default.JsonNode), contentType ?? "application/json"),
            cancellationToken).ConfigureAwait(false);
        return bytes.Length == 0 ? null : JsonNode.Parse(bytes);
    }

    /// <summary>As <see cref="SendTypedAsync{T}"/>, returning the open response for the caller to read and dispose.</summary>
    private async Task<HttpResponseMessage> SendTypedStreamingAsync<T>(ResourceType<T> type, Request request, CancellationToken cancellationToken) where T : class
    {
        try
        {
            return await SendStreamingAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound && string.IsNullOrEmpty(ex.DetailsName) && type.Group.Length > 0)
        {
            await Discovery.EnsureResourceAsync(type.Group, type.Version, type.Plural, cancellationToken).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Send; a 404 for a route of a non-core group is checked against discovery, so a missing CRD says so.</summary>
    private async Task<byte[]> SendTypedAsync<T>(ResourceType<T> type, Request request, CancellationToken cancellationToken) where T : class
    {
        try
        {
            return await SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound && string.IsNullOrEmpty(ex.DetailsName) && type.Group.Length > 0)
        {
            await Discovery.EnsureResourceAsync(type.Group, type.Version, type.Plural, cancellationToken).ConfigureAwait(false);
            throw;
        }
    }

    internal static string CollectionPath<T>(ResourceType<T> type, string? ns, bool requireNamespace = false) where T : class
    {
        if (!type.Namespaced || (ns is null && !requireNamespace))
            return $"{type.GroupVersionPath}/{type.Plural}";
        if (string.IsNullOrEmpty(ns))
            throw new ArgumentException($"{type} is namespaced: a namespace is required.", nameof(ns));
        KubeNames.EnsureNamespace(ns, nameof(ns));
        return $"{type.GroupVersionPath}/namespaces/{Uri.EscapeDataString(ns)}/{type.Plural}";
    }

    /// <summary>
    /// The path of one object. The name is checked as a path segment first: "." or ".." would be normalised away and
    /// the request would address the whole collection.
    /// </summary>
    internal static string ObjectPath<T>(ResourceType<T> type, string? ns, string name, string? subresource = null) where T : class
    {
        KubeNames.EnsurePathSegment(name, type.Kind + " name", nameof(name));
        var path = CollectionPath(type, ns, requireNamespace: true) + "/" + Uri.EscapeDataString(name);
        return subresource is null ? path : path + "/" + subresource;
    }

    private static string WriteQuery(WriteOptions options, KubePatch? patch) => Query(
        ("dryRun", options.DryRun ? "All" : null),
        ("fieldManager", patch?.FieldManager ?? options.FieldManager),
        ("force", patch is { Force: true } ? "true" : null));

    /// <summary>
    /// Read the answer to a request for one object. A list where one object was asked means the request reached a
    /// collection: refuse it rather than take the list for the object.
    /// </summary>
    private static T DeserializeObject<T>(ResourceType<T> type, byte[] bytes) where T : class
    {
        if (TopLevelKind(bytes) is { } kind && kind.EndsWith("List", StringComparison.Ordinal) && !type.Kind.EndsWith("List", StringComparison.Ordinal))
            throw new InvalidDataException($"The server answered a request for one {type.Kind} with a {kind}; the answer was refused.");
        return Deserialize(bytes, type.ItemInfo);
    }

    /// <summary>The top-level "kind" of a JSON object, without parsing the rest of it; null when absent or not JSON.</summary>
    private static string? TopLevelKind(ReadOnlySpan<byte> bytes)
    {
        var reader = new Utf8JsonReader(bytes);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("kind"u8))
                    return reader.Read() && reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                if (!reader.Read() || !reader.TrySkip())
                    return null;
            }
        }
        catch (JsonException)
        {
        }
        return null;
    }

    private static T Deserialize<T>(byte[] bytes, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info)
    {
        try
        {
            return JsonSerializer.Deserialize(bytes, info) ?? throw new JsonException("null");
        }
        catch (JsonException ex)
        {
            // Never include the body: it may be a Secret.
            throw new InvalidDataException($"The server's answer is not a valid {typeof(T).Name}: {ex.Path} (line {ex.LineNumber}).");
        }
    }

    private static byte[] Serialize<T>(T obj, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info) =>
        JsonSerializer.SerializeToUtf8Bytes(obj, info);

    internal readonly record struct Meta(string? Namespace, string? Name, string? ResourceVersion, string? Uid);

    internal static Meta MetaOf<T>(T obj) => obj switch
    {
        IKubeObject k => new(k.Metadata.Namespace, k.Metadata.Name, k.Metadata.ResourceVersion, k.Metadata.Uid),
        JsonObject j => new(Str(j["metadata"]?["namespace"]), Str(j["metadata"]?["name"]), Str(j["metadata"]?["resourceVersion"]), Str(j["metadata"]?["uid"])),
        _ => throw new ArgumentException($"{typeof(T).Name} is neither an IKubeObject nor a JsonObject."),
    };

    private static string? Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
