using System.Globalization;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Text.Json;
using ClusterOps.Kubernetes.Errors;
using ClusterOps.Kubernetes.Resources;

namespace ClusterOps.Kubernetes.Http;

public sealed partial class KubeClient
{
    /// <summary>
    /// Watch a resource as an endless stream (end it with the CancellationToken or by breaking out).
    /// <list type="bullet">
    /// <item>Starts from <see cref="WatchOptions.ResourceVersion"/> (normally a list's version) and always asks for
    /// bookmarks, so the last seen version stays fresh.</item>
    /// <item>When the server ends a watch (its timeout, a restart, a dropped connection) the client reconnects from the
    /// last version it saw: nothing is lost and nothing is repeated.</item>
    /// <item>When that version is too old (410 Gone) the client lists again and yields <see cref="WatchEventType.Reset"/>
    /// followed by an Added event per object that exists now, then goes on watching (or throws if
    /// <see cref="WatchOptions.RelistOnExpired"/> is false).</item>
    /// </list>
    /// </summary>
    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(ResourceType<T> type, string? ns, WatchOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default) where T : class
    {
        options ??= new WatchOptions();
        var resourceVersion = options.ResourceVersion;
        var failures = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var path = CollectionPath(type, ns) + Query(
                ("watch", "true"),
                ("allowWatchBookmarks", "true"),
                ("labelSelector", options.LabelSelector),
                ("fieldSelector", options.FieldSelector),
                ("resourceVersion", resourceVersion),
                ("timeoutSeconds", ((int)options.RequestDuration.TotalSeconds).ToString(CultureInfo.InvariantCulture)));

            var expired = false;
            HttpResponseMessage? response = null;
            try
            {
                response = await SendStreamingAsync(new Request(HttpMethod.Get, path), cancellationToken).ConfigureAwait(false);
            }
            catch (KubeApiException ex) when (ex.IsGone)
            {
                expired = true;
            }

            if (response is not null)
            {
                using (response)
                {
                    var reader = new WatchStreamReader<T>(response, type, options.RequestDuration + TimeSpan.FromSeconds(30));
                    var received = 0;
                    while (true)
                    {
                        WatchStreamReader<T>.Line line;
                        try
                        {
                            line = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                        }
                        catch (Exception ex) when (ex is IOException or HttpRequestException or TimeoutException or JsonException && !cancellationToken.IsCancellationRequested)
                        {
                            failures++;
                            Log.Verbose($"The watch of {type} broke ({ex.Message}); reconnecting from version {resourceVersion ?? "(none)"}.");
                            break;
                        }
                        if (line.EndOfStream)
                        {
                            // A server (or proxy) that ends watches without sending anything must not cause a busy loop.
                            if (received == 0)
                                failures++;
                            break;
                        }
                        received++;
                        if (line.Error is { } status)
                        {
                            if (status.Code == 410 || status.Reason is "Expired" or "Gone")
                            {
                                expired = true;
                                break;
                            }
                            throw KubeApiErrors.FromStatus(status, System.Net.HttpStatusCode.InternalServerError, "WATCH", path);
                        }
                        failures = 0;
                        if (line.ResourceVersion is not null)
                            resourceVersion = line.ResourceVersion;
                        if (line.Event!.Type != WatchEventType.Bookmark || options.IncludeBookmarks)
                            yield return line.Event;
                    }
                }
            }

            if (expired)
            {
                if (!options.RelistOnExpired)
                    throw new KubeApiException(System.Net.HttpStatusCode.Gone, "Expired",
                        $"The watch of {type} cannot resume: version {resourceVersion} is too old (410 Gone). List again and watch from the list's version.",
                        "WATCH", path);
                Log.Verbose($"The watch of {type} expired at version {resourceVersion}; listing again.");
                var list = await ListAllAsync(type, ns, new ListOptions { LabelSelector = options.LabelSelector, FieldSelector = options.FieldSelector },
                    cancellationToken).ConfigureAwait(false);
                resourceVersion = list.Metadata.ResourceVersion;
                yield return new WatchEvent<T>(WatchEventType.Reset, null, resourceVersion);
                foreach (var item in list.Items)
                    yield return new WatchEvent<T>(WatchEventType.Added, item, MetaOf(item).ResourceVersion);
                continue;
            }

            // Normal end of a watch request (server timeout) reconnects at once; repeated breaks back off.
            if (failures > 0)
                await Task.Delay(_options.Retry.Delay(Math.Min(failures, 6), null), cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>Reads newline-delimited watch events from one response.</summary>
internal sealed class WatchStreamReader<T> where T : class
{
    private readonly HttpResponseMessage _response;
    private readonly ResourceType<T> _type;
    private readonly TimeSpan _idleLimit;
    private StreamReader? _reader;

    public WatchStreamReader(HttpResponseMessage response, ResourceType<T> type, TimeSpan idleLimit)
    {
        _response = response;
        _type = type;
        _idleLimit = idleLimit;
    }

    public readonly record struct Line(bool EndOfStream, WatchEvent<T>? Event, string? ResourceVersion, Status? Error);

    public async Task<Line> ReadAsync(CancellationToken cancellationToken)
    {
        _reader ??= new StreamReader(await _response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
        while (true)
        {
            string? text;
            using (var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                // A silent connection (half-open TCP) is detected by the absence of data, including bookmarks.
                idle.CancelAfter(_idleLimit);
                try
                {
                    text = await _reader.ReadLineAsync(idle.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new TimeoutException("no data within the watch's idle limit");
                }
            }
            if (text is null)
                return new Line(true, null, null, null);
            if (string.IsNullOrWhiteSpace(text))
                continue;
            return Parse(text);
        }
    }

    private Line Parse(string text)
    {
        using var doc = JsonDocument.Parse(text);
        var root = doc.RootElement;
        var typeName = root.TryGetProperty("type", out var t) ? t.GetString() : null;
        if (!root.TryGetProperty("object", out var obj))
            throw new IOException("A watch event without object was received.");
        if (typeName == "ERROR")
            return new Line(false, null, null, obj.Deserialize(KubeJsonContext.Default.Status) ?? new Status { Code = 500 });
        var kind = typeName switch
        {
            "ADDED" => WatchEventType.Added,
            "MODIFIED" => WatchEventType.Modified,
            "DELETED" => WatchEventType.Deleted,
            "BOOKMARK" => WatchEventType.Bookmark,
            _ => throw new IOException($"Unknown watch event type '{typeName}'."),
        };
        string? rv = null;
        if (obj.TryGetProperty("metadata", out var meta) && meta.TryGetProperty("resourceVersion", out var rvElement))
            rv = rvElement.GetString();
        var item = kind == WatchEventType.Bookmark ? null : obj.Deserialize(_type.ItemInfo);
        return new Line(false, new WatchEvent<T>(kind, item, rv), rv, null);
    }
}
