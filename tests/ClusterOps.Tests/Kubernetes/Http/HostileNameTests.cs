using System.Text.Json.Nodes;
using ClusterOps.Kubernetes.Errors;
using ClusterOps.Kubernetes.Http;
using ClusterOps.Kubernetes.Resources;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.AspNetCore.Http;

namespace ClusterOps.Tests.Kubernetes.Http;

/// <summary>
/// A name or namespace that is not one safe path segment never leaves the client: "." and ".." would be normalised
/// away by the URL and turn a request for one object into one for the whole collection (a DELETE of every object).
/// Every verb, every kind, hostile names and namespaces; the server must see no request at all.
/// </summary>
public sealed class HostileNameTests : HttpTestBase
{
    public static readonly string[] HostileNames =
    [
        ".", "..", "a/b", "/", "../secrets", "%2e", "%2E%2E", "%2F", "a%2Fb", "", " ", "\t", "a b", " web-0", "web-0 ",
        new string('a', 300), "ünïcödé", "名前", "web\r\n0", "web\n", "\r\n", "a?b", "a#b", "a\\b", "\0",
    ];

    /// <summary>Marks a verb on a namespace's collection: no name in its path, so only the namespace can be hostile.</summary>
    private const string CollectionVerb = "collection ";

    /// <summary>Every client verb that addresses one object, or a namespace's collection.</summary>
    private static IEnumerable<(string Verb, Func<KubeClient, string?, string, Task> Call)> Verbs<T>(ResourceType<T> type, T sample) where T : class
    {
        yield return ("GET", (c, ns, n) => c.GetAsync(type, ns, n));
        yield return ("TryGet", (c, ns, n) => c.TryGetAsync(type, ns, n));
        yield return ("PATCH", (c, ns, n) => c.PatchAsync(type, ns, n, KubePatch.Merge(new JsonObject { ["metadata"] = new JsonObject() })));
        yield return ("DELETE", (c, ns, n) => c.DeleteAsync(type, ns, n));
        yield return ("GET scale", (c, ns, n) => c.GetScaleAsync(type, ns ?? "default", n));
        yield return ("PATCH scale", (c, ns, n) => c.ScaleAsync(type, ns ?? "default", n, 0));
        yield return ("Modify", (c, ns, n) => c.ModifyAsync(type, ns, n, _ => true));
        yield return ("PUT", (c, ns, n) => c.UpdateAsync(type, ns, WithName(type, sample, n)));
        if (type.Namespaced)
        {
            // The name is not in these paths; the namespace is, so the namespace is the hostile part.
            yield return (CollectionVerb + "POST", (c, ns, _) => c.CreateAsync(type, ns, sample));
            yield return (CollectionVerb + "LIST", async (c, ns, _) => { await foreach (var item in c.ListAsync(type, ns)) { } });
            yield return (CollectionVerb + "WATCH", async (c, ns, _) => { await foreach (var e in c.WatchAsync(type, ns, new WatchOptions())) { } });
        }
    }

    private static T WithName<T>(ResourceType<T> type, T sample, string name) where T : class
    {
        var node = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(sample, type.ItemInfo))!.AsObject();
        node["metadata"] = new JsonObject { ["name"] = name, ["resourceVersion"] = "1" };
        return (T)System.Text.Json.JsonSerializer.Deserialize(node.ToJsonString(), type.ItemInfo)!;
    }

    private static readonly ResourceType<JsonObject> ClusterScopedCustom =
        ResourceType.Custom("stork.libopenstorage.org", "v1alpha1", "schedulepolicies", "SchedulePolicy", namespaced: false);
    private static readonly ResourceType<JsonObject> NamespacedCustom =
        ResourceType.Custom("apps.3scale.net", "v1alpha1", "apimanagerbackups", "APIManagerBackup", namespaced: true);

    private static List<(string Kind, bool Namespaced, string Verb, Func<KubeClient, string?, string, Task> Call)> AllCalls()
    {
        var calls = new List<(string, bool, string, Func<KubeClient, string?, string, Task>)>();
        void Add<T>(ResourceType<T> type) where T : class
        {
            var sample = System.Text.Json.JsonSerializer.Deserialize("{}", type.ItemInfo)!;
            foreach (var (verb, call) in Verbs(type, sample))
                calls.Add((type.Kind, type.Namespaced, verb, call));
        }
        Add(KubeResources.Pods);
        Add(KubeResources.PersistentVolumeClaims);
        Add(KubeResources.PersistentVolumes);
        Add(KubeResources.Services);
        Add(KubeResources.Secrets);
        Add(KubeResources.ConfigMaps);
        Add(KubeResources.Namespaces);
        Add(KubeResources.Events);
        Add(KubeResources.Deployments);
        Add(KubeResources.StatefulSets);
        Add(KubeResources.Jobs);
        Add(ClusterScopedCustom);
        Add(NamespacedCustom);
        return calls;
    }

    [Fact]
    public async Task NoRequestLeavesTheClientForAHostileNameOrNamespace()
    {
        await using var server = await TestApiServer.StartAsync(c => TestApiServer.Json(c, 404, TestApiServer.StatusJson(404, "NotFound", "nothing here")));
        using var client = ClientFor(server.KubeConfig(server.CaDataLine, "token: t"));
        var tried = 0;
        foreach (var (kind, namespaced, verb, call) in AllCalls())
        {
            foreach (var hostile in HostileNames)
            {
                // As the object's name, in a valid namespace; and as the namespace, with a valid name.
                foreach (var (ns, name) in new[] { ((string?)"ns1", hostile), (hostile, "web-0") })
                {
                    // A cluster-scoped kind has no namespace in its path; an empty namespace means "none given".
                    if (ns == hostile && (!namespaced || ns.Length == 0))
                        continue;
                    if (name == hostile && verb.StartsWith(CollectionVerb, StringComparison.Ordinal))
                        continue;
                    tried++;
                    var ex = await Assert.ThrowsAnyAsync<ArgumentException>(() => call(client, ns, name));
                    // Empty values are refused as missing arguments before the name rules are reached.
                    Assert.True(ex is KubeNameException || (hostile.Length == 0 && ex.ParamName is "ns" or "obj"), $"{kind} {verb} ns={ns} name={name}: {ex.GetType().Name} {ex.Message}");
                }
            }
        }
        Assert.Empty(server.Requests);
        Assert.True(tried > 1000, $"only {tried} calls were tried");
    }

    [Fact]
    public async Task TheErrorSaysWhichValueWhyAndWhatIsAllowed()
    {
        await using var server = await TestApiServer.StartAsync(c => TestApiServer.Json(c, 404, "{}"));
        using var client = ClientFor(server.KubeConfig(server.CaDataLine, "token: t"));
        var dot = await Assert.ThrowsAsync<KubeNameException>(() => client.DeleteAsync(NamespacedCustom, "3scale", "."));
        Assert.Equal("The APIManagerBackup name '.' is not valid: it may not be '.'. A name is sent as one segment of the request URL, so it may not be '.' or '..' and may not contain '/' or '%'.", dot.Message[..dot.Message.IndexOf(" (Parameter", StringComparison.Ordinal)]);
        Assert.Equal(".", dot.Value);
        var ns = await Assert.ThrowsAsync<KubeNameException>(() => client.GetAsync(KubeResources.PersistentVolumeClaims, "..", "data"));
        Assert.Contains("The namespace '..' is not valid: it may not be '..'.", ns.Message);
        var crlf = await Assert.ThrowsAsync<KubeNameException>(() => client.GetAsync(KubeResources.Pods, "ns1", "web\r\n0"));
        Assert.Contains("'web\\u000d\\u000a0'", crlf.Message);
        Assert.Contains("a carriage return", crlf.Message);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public void EveryStringThatIsNotASafeSegmentIsRefusedAndEverySafeOneIsSentAsOneSegment()
    {
        var alphabet = ".-_:/%aZ9 \t\r\nü".ToCharArray();
        var names = Gen.Choose(0, 6).SelectMany(n => Gen.ArrayOf(Gen.Elements(alphabet), n)).Select(cs => new string(cs));
        Prop.ForAll(names.ToArbitrary(), name =>
        {
            var problem = KubeNames.PathSegmentProblem(name);
            string path;
            try
            {
                path = KubeClient.ObjectPath(KubeResources.Pods, "ns1", name);
            }
            catch (KubeNameException)
            {
                return problem is not null;
            }
            // Accepted: it is exactly one segment, which the URL keeps as it is.
            var uri = new Uri("https://127.0.0.1" + path);
            return problem is null
                && uri.AbsolutePath == path
                && uri.Segments.Length == "/api/v1/namespaces/ns1/pods/x".Split('/').Length;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public async Task AListAnsweredForOneObjectIsRefused()
    {
        // A server (or proxy) that answers a request for one object with the collection must not be taken at its word.
        await using var server = await TestApiServer.StartAsync(c => TestApiServer.Json(c, 200,
            """{"kind":"APIManagerBackupList","apiVersion":"apps.3scale.net/v1alpha1","metadata":{},"items":[{"metadata":{"name":"a"}}]}"""));
        using var client = ClientFor(server.KubeConfig(server.CaDataLine, "token: t"));
        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => client.GetAsync(NamespacedCustom, "3scale", "weekly"));
        Assert.Contains("answered a request for one APIManagerBackup with a APIManagerBackupList", ex.Message);
        await Assert.ThrowsAsync<InvalidDataException>(() => client.DeleteAsync(NamespacedCustom, "3scale", "weekly"));
    }

    [Theory]
    [InlineData("web-0", null)]
    [InlineData("db.example.com", null)]
    [InlineData("Web", "it contains the upper-case letter 'W'")]
    [InlineData("-web", "it must start and end with a letter or digit")]
    [InlineData("a..b", "it has an empty part between dots")]
    [InlineData(".", "it may not be '.'")]
    [InlineData("a_b", "it contains '_'")]
    public void SubdomainRule(string name, string? problem) => Assert.Equal(problem, KubeNames.SubdomainProblem(name));

    [Theory]
    [InlineData("tml", null)]
    [InlineData("a.b", "it contains '.'")]
    [InlineData("..", "it may not be '..'")]
    [InlineData("x23456789012345678901234567890123456789012345678901234567890123", null)]
    [InlineData("x234567890123456789012345678901234567890123456789012345678901234", "it is 64 characters long, and at most 63 are allowed")]
    public void NamespaceRule(string ns, string? problem) => Assert.Equal(problem, KubeNames.LabelProblem(ns));
}
