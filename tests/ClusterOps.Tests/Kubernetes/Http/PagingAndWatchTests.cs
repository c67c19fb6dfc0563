using System.Text.Json.Nodes;
using ClusterOps.Kubernetes.Errors;
using ClusterOps.Kubernetes.Http;
using ClusterOps.Kubernetes.Resources;
using Microsoft.AspNetCore.Http;

namespace ClusterOps.Tests.Kubernetes.Http;

public sealed class PagingAndWatchTests : HttpTestBase
{
    private static string PodItem(string name, string rv = "1") =>
        "{\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"ns1\",\"uid\":\"uid-" + name + "\",\"resourceVersion\":\"" + rv + "\"}}";

    private static string Page(string rv, string? cont, params string[] names) =>
        $$"""{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"{{rv}}"{{(cont is null ? "" : $",\"continue\":\"{cont}\"")}}},"items":[{{string.Join(",", names.Select(n => PodItem(n)))}}]}""";

    [Fact]
    public async Task FirstObjectIsYieldedBeforeTheSecondPageIsRequested()
    {
        await using var server = await TestApiServer.StartAsync(c => c.Request.Query["continue"].FirstOrDefault() switch
        {
            null => TestApiServer.Json(c, 200, Page("10", "p2", "a", "b")),
            "p2" => TestApiServer.Json(c, 200, Page("10", "p3", "c")),
            _ => TestApiServer.Json(c, 200, Page("10", null, "d")),
        });
        using var client = ClientFor(server.KubeConfig(server.CaDataLine, "token: t"));
        var names = new List<string>();
        await foreach (var pod in client.ListAsync(KubeResources.Pods, "ns1", new ListOptions { PageSize = 2, LabelSelector = "app=web" }))
        {
            if (names.Count == 0)
                Assert.Single(server.Requests);
            names.Add(pod.Metadata.Name!);
        }
        Assert.Equal(new[] { "a", "b", "c", "d" }, names);
        var paths = server.Requests.Select(r => r.PathAndQuery).ToArray();
        Assert.Equal("/api/v1/namespaces/ns1/pods?labelSelector=app%3Dweb&limit=2", paths[0]);
        Assert.Equal("/api/v1/namespaces/ns1/pods?labelSelector=app%3Dweb&limit=2&continue=p2", paths[1]);
    }

    [Fact]
    public async Task ExpiredContinueRestartsWithoutDuplicates()
    {
        var restarted = 0;
        await using var server = await TestApiServer.StartAsync(c =>
        {
            var cont = c.Request.Query["continue"].FirstOrDefault();
            if (cont == "stale")
                return TestApiServer.Json(c, 410, TestApiServer.StatusJson(410, "Expired", "The provided continue parameter is too old"));
            if (cont is null && Interlocked.Increment(ref restarted) == 1)
                return TestApiServer.Json(c, 200, Page("10", "stale", "a", "b"));
            if (cont is null)
                return TestApiServer.Json(c, 200, Page("20", "fresh", "a", "b"));
            return TestApiServer.Json(c, 200, Page("20", null, "c", "new"));
        });
        using var client = ClientFor(server.KubeConfig(server.CaDataLine, "token: t"));
        var names = new List<string>();
        await foreach (var pod in client.ListAsync(KubeResources.Pods, "ns1", new ListOptions { PageSize = 2 }))
            names.Add(pod.Metadata.Name!);
        Assert.Equal(new[] { "a", "b", "c", "new" }, names);
        Assert.Contains(Verbose, v => v.Contains("expired after 2 objects", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ExpiredContinueCanFailClearly()
    {
        await using var server = await TestApiServer.StartAsync(c => c.Request.Query["continue"].FirstOrDefault() is null
            ? TestApiServer.Json(c, 200, Page("10", "stale", "a"))
            : TestApiServer.Json(c, 410, TestApiServer.StatusJson(410, "Expired", "too old")));
        using var client = ClientFor(server.KubeConfig(server.CaDataLine, "token: t"));
        var names = new List<string>();
        var ex = await Assert.ThrowsAsync<KubeListExpiredException>(async () =>
        {
            await foreach (var pod in client.ListAsync(KubeResources.Pods, "ns1", new ListOptions { PageSize = 1, OnExpired = ListExpiredBehavior.Fail }))
                names.Add(pod.Metadata.Name!);
        });
        Assert.Equal(new[] { "a" }, names);
        Assert.Equal(1, ex.ItemsReturned);
    }

    [Fact]
    public async Task WatchReconnectsFromLastVersionAndRelistsOnGone()
    {
        var watchCalls = 0;
        await using var server = await TestApiServer.StartAsync(async c =>
        {
            if (c.Request.Query["watch"].FirstOrDefault() != "true")
            {
                await TestApiServer.Json(c, 200, Page("50", null, "fresh"));
                return;
            }
            c.Response.ContentType = "application/json";
            switch (Interlocked.Increment(ref watchCalls))
            {
                case 1:
                    await c.Response.WriteAsync("{\"type\":\"ADDED\",\"object\":" + PodItem("a", "11") + "}" + "\n");
                    await c.Response.WriteAsync("""{"type":"BOOKMARK","object":{"kind":"Pod","apiVersion":"v1","metadata":{"resourceVersion":"15"}}}""" + "\n");
                    return; // server ends the watch (timeout)
                case 2:
                    await c.Response.WriteAsync("{\"type\":\"MODIFIED\",\"object\":" + PodItem("a", "16") + "}" + "\n");
                    await c.Response.WriteAsync("{\"type\":\"ERROR\",\"object\":" + TestApiServer.StatusJson(410, "Expired", "too old resource version: 16 (40)") + "}" + "\n");
                    return;
                default:
                    await c.Response.WriteAsync("{\"type\":\"DELETED\",\"object\":" + PodItem("fresh", "51") + "}" + "\n");
                    await Task.Delay(TimeSpan.FromSeconds(30), c.RequestAborted);
                    return;
            }
        });
        using var client = ClientFor(server.KubeConfig(server.CaDataLine, "token: t"));
        var events = new List<string>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await foreach (var e in client.WatchAsync(KubeResources.Pods, "ns1", new WatchOptions { ResourceVersion = "10" }, cts.Token))
        {
            events.Add($"{e.Type}:{e.Object?.Metadata.Name}:{e.ResourceVersion}");
            if (e.Type == WatchEventType.Deleted)
                break;
        }
        Assert.Equal(new[] { "Added:a:11", "Modified:a:16", "Reset::50", "Added:fresh:1", "Deleted:fresh:51" }, events);
        var watches = server.Requests.Where(r => r.PathAndQuery.Contains("watch=true", StringComparison.Ordinal)).Select(r => r.PathAndQuery).ToArray();
        Assert.Contains("resourceVersion=10", watches[0]);
        Assert.Contains("allowWatchBookmarks=true", watches[0]);
        Assert.Contains("resourceVersion=15", watches[1]); // resumed from the bookmark, not the last object
        Assert.Contains("resourceVersion=50", watches[2]); // resumed from the re-list
    }

    [Fact]
    public async Task WatchWithoutRelistThrowsGone()
    {
        await using var server = await TestApiServer.StartAsync(c => TestApiServer.Json(c, 410, TestApiServer.StatusJson(410, "Expired", "too old")));
        using var client = ClientFor(server.KubeConfig(server.CaDataLine, "token: t"));
        var ex = await Assert.ThrowsAsync<KubeApiException>(async () =>
        {
            await foreach (var _ in client.WatchAsync(KubeResources.Pods, "ns1", new WatchOptions { ResourceVersion = "1", RelistOnExpired = false }))
            {
            }
        });
        Assert.True(ex.IsGone);
    }

    [Fact]
    public async Task CustomResourcesRoundTripAsJsonObject()
    {
        await using var server = await TestApiServer.StartAsync(c => TestApiServer.Json(c, 200,
            """{"apiVersion":"stork.libopenstorage.org/v1alpha1","kind":"SchedulePolicy","metadata":{"name":"daily","resourceVersion":"3"},"policy":{"daily":{"time":"10:14PM","retain":7}}}"""));
        using var client = ClientFor(server.KubeConfig(server.CaDataLine, "token: t"));
        var type = ResourceType.Custom("stork.libopenstorage.org", "v1alpha1", "schedulepolicies", "SchedulePolicy", namespaced: false);
        var policy = await client.GetAsync(type, null, "daily");
        Assert.Equal("10:14PM", (string?)policy["policy"]!["daily"]!["time"]);
        Assert.Equal("/apis/stork.libopenstorage.org/v1alpha1/schedulepolicies/daily", server.Requests.Single().PathAndQuery);
        policy["policy"]!["daily"]!["retain"] = 9;
        await client.UpdateAsync(type, null, policy);
        Assert.Contains("\"retain\":9", server.Requests.Last().Body);
        Assert.Equal("PUT", server.Requests.Last().Method);
    }

    [Fact]
    public async Task MissingCrdGroupIsExplained()
    {
        await using var server = await TestApiServer.StartAsync(c => TestApiServer.Json(c, 404,
            TestApiServer.StatusJson(404, "NotFound", "the server could not find the requested resource")));
        using var client = ClientFor(server.KubeConfig(server.CaDataLine, "token: t"));
        var type = ResourceType.Custom("stork.libopenstorage.org", "v1alpha1", "migrationschedules", "MigrationSchedule", namespaced: true);
        var ex = await Assert.ThrowsAsync<KubeApiGroupNotInstalledException>(() => client.GetAsync(type, "ns1", "x"));
        Assert.Equal("The Stork CRDs (stork.libopenstorage.org/v1alpha1) are not installed in this cluster.", ex.Message);
        await Assert.ThrowsAsync<KubeApiGroupNotInstalledException>(() => client.Discovery.EnsureApiGroupAsync("apps.3scale.net", "v1alpha1"));
    }

    [Fact]
    public async Task ObjectNotFoundStaysA404()
    {
        await using var server = await TestApiServer.StartAsync(c => TestApiServer.Json(c, 404,
            TestApiServer.StatusJson(404, "NotFound", "pods \\\"x\\\" not found", "x")));
        using var client = ClientFor(server.KubeConfig(server.CaDataLine, "token: t"));
        Assert.Null(await client.TryGetAsync(KubeResources.Pods, "ns1", "x"));
        var ex = await Assert.ThrowsAsync<KubeApiException>(() => client.GetAsync(KubeResources.Pods, "ns1", "x"));
        Assert.True(ex.IsNotFound);
    }
}
