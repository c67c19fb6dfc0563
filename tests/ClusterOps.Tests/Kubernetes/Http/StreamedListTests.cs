using System.Text;
using System.Text.Json.Nodes;
using ClusterOps.Kubernetes.Errors;
using ClusterOps.Kubernetes.Http;
using ClusterOps.Kubernetes.Resources;
using Microsoft.AspNetCore.Http;

namespace ClusterOps.Tests.Kubernetes.Http;

/// <summary>Lists parsed from the response stream, and resumed (410, broken page) in constant memory by key order.</summary>
public sealed class StreamedListTests : HttpTestBase
{
    private static string Pod(string ns, string name, string rv = "1", string? extra = null) =>
        "{\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"" + ns + "\",\"uid\":\"uid-" + ns + "-" + name + "-" + rv +
        "\",\"resourceVersion\":\"" + rv + "\"" + (extra is null ? "" : ",\"annotations\":{\"note\":\"" + extra + "\"}") + "}}";

    private static string Page(string rv, string? cont, IEnumerable<string> items) =>
        "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"" + rv + "\"" +
        (cont is null ? "" : ",\"continue\":\"" + cont + "\"") + "},\"items\":[" + string.Join(",", items) + "]}";

    private static string Key(Pod p) => $"{p.Metadata.Namespace}/{p.Metadata.Name}";

    private static async Task WriteInChunksAsync(HttpContext c, string json, int chunk)
    {
        c.Response.StatusCode = 200;
        c.Response.ContentType = "application/json";
        var bytes = Encoding.UTF8.GetBytes(json);
        for (var i = 0; i < bytes.Length; i += chunk)
        {
            await c.Response.Body.WriteAsync(bytes.AsMemory(i, Math.Min(chunk, bytes.Length - i)));
            await c.Response.Body.FlushAsync();
        }
    }

    [Fact]
    public async Task PageArrivingInSmallChunksParsesLikeTheWholeBody()
    {
        // One item far larger than the reader's initial buffer, escapes and non-ASCII that a chunk edge may split,
        // and the list's metadata AFTER its items (the order of a list's fields is not guaranteed).
        var big = new string('x', 70_000);
        var first = "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"items\":[" + Pod("ns1", "a", extra: "caf\u00e9 \\\"q\\\" \\u00e9 \ud83d\ude80") + "," +
                    Pod("ns1", "b", extra: big) + "],\"metadata\":{\"resourceVersion\":\"10\",\"continue\":\"p2\",\"remainingItemCount\":1},\"extra\":{\"k\":[1,2]}}";
        var second = Page("10", null, new[] { Pod("ns1", "c") });
        await using var server = await TestApiServer.StartAsync(c => c.Request.Query["continue"].FirstOrDefault() is null
            ? WriteInChunksAsync(c, first, 7)
            : WriteInChunksAsync(c, second, 3));
        using var client = ClientFor(server.KubeConfig(server.CaDataLine, "token: t"));

        var pages = new List<KubeList<Pod>>();
        await foreach (var page in client.ListPagesAsync(KubeResources.Pods, "ns1", new ListOptions { PageSize = 2 }))
            pages.Add(page);

        Assert.Equal(2, pages.Count);
        Assert.Equal(new[] { "a", "b" }, pages[0].Items.Select(p => p.Metadata.Name));
        Assert.Equal("caf\u00e9 \"q\" \u00e9 \ud83d\ude80", pages[0].Items[0].Metadata.Annotations!["note"]);
        Assert.Equal(big, pages[0].Items[1].Metadata.Annotations!["note"]);
        Assert.Equal("p2", pages[0].Metadata.Continue);
        Assert.Equal(1, pages[0].Metadata.RemainingItemCount);
        Assert.Equal("PodList", pages[0].Kind);
        Assert.Equal("[1,2]", pages[0].ExtensionData!["extra"].GetProperty("k").GetRawText());
        Assert.Equal(new[] { "c" }, pages[1].Items.Select(p => p.Metadata.Name));
        Assert.Null(pages[1].Metadata.Continue);
        Assert.Equal("/api/v1/namespaces/ns1/pods?limit=2&continue=p2", server.Requests.Last().PathAndQuery);
    }

    [Fact]
    public async Task ItemsAreYieldedWhileTheRestOfThePageIsStillOnTheWire()
    {
        var firstReceived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestApiServer.StartAsync(async c =>
        {
            c.Response.StatusCode = 200;
            c.Response.ContentType = "application/json";
            await c.Response.WriteAsync("{\"kind\":\"PodList\",\"metadata\":{\"resourceVersion\":\"5\"},\"items\":[" + Pod("ns1", "a") + ",");
            await c.Response.Body.FlushAsync();
            // The rest of the page is only sent once the client has handed out the first object.
            await firstReceived.Task.WaitAsync(TimeSpan.FromSeconds(20));
            await c.Response.WriteAsync(Pod("ns1", "b") + "]}");
        });
        using var client = ClientFor(server.KubeConfig(server.CaDataLine, "token: t"));
        var names = new List<string>();
        await foreach (var pod in client.ListAsync(KubeResources.Pods, "ns1"))
        {
            names.Add(pod.Metadata.Name!);
            firstReceived.TrySetResult();
        }
        Assert.Equal(new[] { "a", "b" }, names);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task RestartAfterExpiredContinueSkipsByKeyWithoutDuplicatesOrLoss()
    {
        // Key order is byte order of "namespace/name" (as etcd stores it): "a-b/..." sorts before "a/...".
        var before = new[] { Pod("a-b", "y"), Pod("a", "m"), Pod("a", "x"), Pod("b", "k"), Pod("b", "z") };
        // Meanwhile: a/m deleted and a/x replaced (new uid; both already returned: not again), a-b/new created at a key
        // already passed (not returned, as if created after the first snapshot), b/k deleted (already returned),
        // b/l created after the point reached (returned), b/z modified (returned once, in its new version).
        var after = new[] { Pod("a-b", "new", "20"), Pod("a-b", "y"), Pod("a", "x", "21"), Pod("b", "l", "22"), Pod("b", "z", "23") };
        var listings = 0;
        await using var server = await TestApiServer.StartAsync(c =>
        {
            var cont = c.Request.Query["continue"].FirstOrDefault();
            return cont switch
            {
                null when Interlocked.Increment(ref listings) == 1 => TestApiServer.Json(c, 200, Page("10", "old1", before.Take(2))),
                "old1" => TestApiServer.Json(c, 200, Page("10", "old2", before.Skip(2).Take(2))),
                "old2" => TestApiServer.Json(c, 410, TestApiServer.StatusJson(410, "Expired", "too old")),
                null => TestApiServer.Json(c, 200, Page("30", "new1", after.Take(2))),
                "new1" => TestApiServer.Json(c, 200, Page("30", "new2", after.Skip(2).Take(2))),
                _ => TestApiServer.Json(c, 200, Page("30", null, after.Skip(4))),
            };
        });
        using var client = ClientFor(server.KubeConfig(server.CaDataLine, "token: t"));
        var got = new List<Pod>();
        await foreach (var pod in client.ListAsync(KubeResources.Pods, null, new ListOptions { PageSize = 2 }))
            got.Add(pod);

        Assert.Equal(new[] { "a-b/y", "a/m", "a/x", "b/k", "b/l", "b/z" }, got.Select(Key));
        Assert.Equal(got.Count, got.Select(Key).Distinct().Count());
        Assert.Equal("23", got.Last().Metadata.ResourceVersion);
        Assert.Contains(Verbose, v => v.Contains("expired after 4 objects", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RestartedPagesCarryOnlyTheObjectsNotYetReturned()
    {
        var listings = 0;
        await using var server = await TestApiServer.StartAsync(c => c.Request.Query["continue"].FirstOrDefault() switch
        {
            null when Interlocked.Increment(ref listings) == 1 => TestApiServer.Json(c, 200, Page("10", "old", new[] { Pod("ns1", "a"), Pod("ns1", "b") })),
            "old" => TestApiServer.Json(c, 410, TestApiServer.StatusJson(410, "Expired", "too old")),
            null => TestApiServer.Json(c, 200, Page("20", "n", new[] { Pod("ns1", "a"), Pod("ns1", "b") })),
            _ => TestApiServer.Json(c, 200, Page("20", null, new[] { Pod("ns1", "c") })),
        });
        using var client = ClientFor(server.KubeConfig(server.CaDataLine, "token: t"));
        var pages = new List<string[]>();
        await foreach (var page in client.ListPagesAsync(KubeResources.Pods, "ns1", new ListOptions { PageSize = 2 }))
            pages.Add(page.Items.Select(p => p.Metadata.Name!).ToArray());
        Assert.Equal(new[] { new[] { "a", "b" }, Array.Empty<string>(), new[] { "c" } }, pages);
    }

    [Fact]
    public async Task ExpiredListFromAServerWithoutKeyOrderFailsInsteadOfGuessing()
    {
        await using var server = await TestApiServer.StartAsync(c => c.Request.Query["continue"].FirstOrDefault() is null
            ? TestApiServer.Json(c, 200, Page("10", "stale", new[] { Pod("ns1", "b"), Pod("ns1", "a") }))
            : TestApiServer.Json(c, 410, TestApiServer.StatusJson(410, "Expired", "too old")));
        using var client = ClientFor(server.KubeConfig(server.CaDataLine, "token: t"));
        var names = new List<string>();
        var ex = await Assert.ThrowsAsync<KubeListExpiredException>(async () =>
        {
            await foreach (var pod in client.ListAsync(KubeResources.Pods, "ns1", new ListOptions { PageSize = 2 }))
                names.Add(pod.Metadata.Name!);
        });
        Assert.Equal(new[] { "b", "a" }, names);
        Assert.Equal(2, ex.ItemsReturned);
        Assert.Contains("key order", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PageBrokenOffMidwayIsRequestedAgainAndResumedAfterTheLastObject()
    {
        var attempts = 0;
        var bReceived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestApiServer.StartAsync(async c =>
        {
            var cont = c.Request.Query["continue"].FirstOrDefault();
            if (cont is null)
            {
                await TestApiServer.Json(c, 200, Page("10", "p2", new[] { Pod("ns1", "a") }));
                return;
            }
            var full = Page("10", null, new[] { Pod("ns1", "b"), Pod("ns1", "c"), Pod("ns1", "d") });
            if (Interlocked.Increment(ref attempts) == 1)
            {
                // Promise the whole page, send it up to the middle of "c", then drop the connection.
                var bytes = Encoding.UTF8.GetBytes(full);
                c.Response.StatusCode = 200;
                c.Response.ContentType = "application/json";
                c.Response.ContentLength = bytes.Length;
                await c.Response.Body.WriteAsync(bytes.AsMemory(0, full.IndexOf("\"c\"", StringComparison.Ordinal)));
                await c.Response.Body.FlushAsync();
                // Break the connection only once the client holds "b": the failure is then mid-body, not mid-headers.
                await bReceived.Task.WaitAsync(TimeSpan.FromSeconds(20));
                c.Abort();
                return;
            }
            await TestApiServer.Json(c, 200, full);
        });
        using var client = ClientFor(server.KubeConfig(server.CaDataLine, "token: t"));
        var names = new List<string>();
        await foreach (var pod in client.ListAsync(KubeResources.Pods, "ns1", new ListOptions { PageSize = 3 }))
        {
            names.Add(pod.Metadata.Name!);
            if (pod.Metadata.Name == "b")
                bReceived.TrySetResult();
        }
        Assert.Equal(new[] { "a", "b", "c", "d" }, names);
        Assert.Equal(2, attempts);
        Assert.Contains(Verbose, v => v.Contains("broke off after 2 objects", StringComparison.Ordinal));
        Assert.Equal(2, server.Requests.Count(r => r.PathAndQuery.Contains("continue=p2", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task TruncatedOrInvalidBodyFailsWithoutEchoingIt()
    {
        await using var server = await TestApiServer.StartAsync(c => c.Request.Query["continue"].FirstOrDefault() is null
            ? TestApiServer.Json(c, 200, "{\"kind\":\"SecretList\",\"metadata\":{},\"items\":[{\"metadata\":{\"name\":\"s\"},\"data\":{\"password\":\"c2VjcmV0\"}},{\"metadata\":")
            : TestApiServer.Json(c, 200, "{}"));
        using var client = ClientFor(server.KubeConfig(server.CaDataLine, "token: t"));
        var names = new List<string>();
        var ex = await Assert.ThrowsAsync<InvalidDataException>(async () =>
        {
            await foreach (var s in client.ListAsync(KubeResources.Secrets, "ns1"))
                names.Add(s.Metadata.Name!);
        });
        Assert.Equal(new[] { "s" }, names);
        Assert.DoesNotContain("c2VjcmV0", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CustomResourceListsStreamAsJsonObjects()
    {
        await using var server = await TestApiServer.StartAsync(c => WriteInChunksAsync(c,
            "{\"apiVersion\":\"stork.libopenstorage.org/v1alpha1\",\"kind\":\"SchedulePolicyList\",\"metadata\":{\"resourceVersion\":\"3\"},\"items\":[" +
            "{\"metadata\":{\"name\":\"daily\"},\"policy\":{\"daily\":{\"time\":\"10:14PM\",\"retain\":[1,{\"n\":null}]}}}]}", 5));
        using var client = ClientFor(server.KubeConfig(server.CaDataLine, "token: t"));
        var type = ResourceType.Custom("stork.libopenstorage.org", "v1alpha1", "schedulepolicies", "SchedulePolicy", namespaced: false);
        var all = await client.ListAllAsync(type, null);
        var policy = Assert.Single(all.Items);
        Assert.Equal("10:14PM", (string?)policy["policy"]!["daily"]!["time"]);
        Assert.Equal("[1,{\"n\":null}]", policy["policy"]!["daily"]!["retain"]!.ToJsonString());
        Assert.Equal("3", all.Metadata.ResourceVersion);
    }
    [Fact]
    public async Task NextPageIsRequestedWhileThisPagesObjectsAreConsumed()
    {
        var page2Requested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestApiServer.StartAsync(c =>
        {
            if (c.Request.Query["continue"].FirstOrDefault() is null)
                return TestApiServer.Json(c, 200, Page("10", "p2", new[] { Pod("ns1", "a"), Pod("ns1", "b"), Pod("ns1", "c") }));
            page2Requested.TrySetResult();
            return TestApiServer.Json(c, 200, Page("10", null, new[] { Pod("ns1", "d") }));
        });
        using var client = ClientFor(server.KubeConfig(server.CaDataLine, "token: t"));
        var names = new List<string>();
        await foreach (var pod in client.ListAsync(KubeResources.Pods, "ns1", new ListOptions { PageSize = 3 }))
        {
            if (names.Count == 0)
                Assert.Single(server.Requests); // still: the first object before the second page is requested
            names.Add(pod.Metadata.Name!);
            if (names.Count == 2)
                await page2Requested.Task.WaitAsync(TimeSpan.FromSeconds(20)); // requested while "c" is still unread
        }
        Assert.Equal(new[] { "a", "b", "c", "d" }, names);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task StoppingEarlyDropsThePageRequestedAhead()
    {
        var page2Aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestApiServer.StartAsync(async c =>
        {
            if (c.Request.Query["continue"].FirstOrDefault() is null)
            {
                await TestApiServer.Json(c, 200, Page("10", "p2", new[] { Pod("ns1", "a"), Pod("ns1", "b") }));
                return;
            }
            c.Response.StatusCode = 200;
            c.Response.ContentType = "application/json";
            await c.Response.WriteAsync("{\"metadata\":{\"resourceVersion\":\"10\"},\"items\":[");
            await c.Response.Body.FlushAsync();
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(30), c.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                page2Aborted.TrySetResult();
            }
        });
        using var client = ClientFor(server.KubeConfig(server.CaDataLine, "token: t"));
        var names = new List<string>();
        await foreach (var pod in client.ListAsync(KubeResources.Pods, "ns1", new ListOptions { PageSize = 2 }))
        {
            names.Add(pod.Metadata.Name!);
            if (names.Count == 2)
                break;
        }
        Assert.Equal(new[] { "a", "b" }, names);
        // The request made ahead for page 2 is cancelled and its connection released, not left streaming.
        await page2Aborted.Task.WaitAsync(TimeSpan.FromSeconds(20));
    }
    [Fact]
    public async Task EveryPageMayBreakOffOnceWithoutFailingALongList()
    {
        // More broken pages than the retry policy's attempts (4): the budget is per page, not per list.
        const int pages = 6;
        var broken = new System.Collections.Concurrent.ConcurrentDictionary<int, bool>();
        var firstReceived = Enumerable.Range(0, pages).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        await using var server = await TestApiServer.StartAsync(async c =>
        {
            var n = int.Parse(c.Request.Query["continue"].FirstOrDefault() ?? "0", System.Globalization.CultureInfo.InvariantCulture);
            var full = Page("10", n + 1 < pages ? (n + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
                new[] { Pod("ns1", $"p{n}-a"), Pod("ns1", $"p{n}-b") });
            if (!broken.TryAdd(n, true))
            {
                await TestApiServer.Json(c, 200, full);
                return;
            }
            var bytes = Encoding.UTF8.GetBytes(full);
            c.Response.StatusCode = 200;
            c.Response.ContentLength = bytes.Length;
            await c.Response.Body.WriteAsync(bytes.AsMemory(0, full.IndexOf("-b\"", StringComparison.Ordinal)));
            await c.Response.Body.FlushAsync();
            await firstReceived[n].Task.WaitAsync(TimeSpan.FromSeconds(20)); // mid-body, once the client holds "-a"
            c.Abort();
        });
        using var client = ClientFor(server.KubeConfig(server.CaDataLine, "token: t"));
        var names = new List<string>();
        await foreach (var pod in client.ListAsync(KubeResources.Pods, "ns1", new ListOptions { PageSize = 2 }))
        {
            names.Add(pod.Metadata.Name!);
            if (pod.Metadata.Name!.EndsWith("-a", StringComparison.Ordinal))
                firstReceived[int.Parse(pod.Metadata.Name[1..^2], System.Globalization.CultureInfo.InvariantCulture)].TrySetResult();
        }
        Assert.Equal(Enumerable.Range(0, pages).SelectMany(n => new[] { $"p{n}-a", $"p{n}-b" }), names);
        Assert.Equal(pages, Verbose.Count(v => v.Contains("broke off", StringComparison.Ordinal)));
    }
}
