using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ClusterOps.Sandbox;

namespace ClusterOps.Tests.Sandbox;

/// <summary>
/// One sandbox API server shared by a test class (IClassFixture&lt;SandboxFixture&gt;). Other areas can reuse it, or
/// derive and override <see cref="CreateOptions"/> to start a scenario. Tests that need isolation from each other use
/// their own namespace (<see cref="NewNamespaceAsync"/>) or start a private server with <see cref="StartAsync"/>.
/// </summary>
public class SandboxFixture : IAsyncLifetime
{
    private SandboxServer? _server;

    public SandboxServer Server => _server ?? throw new InvalidOperationException("the sandbox has not started");

    public string KubeConfigPath => Server.KubeConfigPath;

    protected virtual SandboxOptions CreateOptions() => new() { ReadyDelay = TimeSpan.FromMilliseconds(200) };

    public async Task InitializeAsync() => _server = await SandboxServer.StartAsync(CreateOptions());

    public async Task DisposeAsync()
    {
        if (_server != null) await _server.DisposeAsync();
    }

    /// <summary>Starts a private sandbox (dispose it); for tests that change global state such as compaction.</summary>
    public static Task<SandboxServer> StartAsync(SandboxOptions? options = null) =>
        SandboxServer.StartAsync(options ?? new SandboxOptions { ReadyDelay = TimeSpan.FromMilliseconds(200) });

    /// <summary>Creates a uniquely named namespace so tests sharing the fixture do not see each other's objects.</summary>
    public string NewNamespace(string prefix = "t")
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(40, prefix.Length + 33)];
        Server.Create(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = name } });
        return name;
    }

    public Task<string> NewNamespaceAsync(string prefix = "t") => Task.FromResult(NewNamespace(prefix));
}

/// <summary>A sandbox seeded with the tml scenario (namespace tml, all workloads Running).</summary>
public sealed class TmlSandboxFixture : SandboxFixture
{
    protected override SandboxOptions CreateOptions() => new() { Scenario = "tml", ReadyDelay = TimeSpan.FromMilliseconds(200) };
}

/// <summary>A sandbox seeded with the stork scenario (namespace mysql, default policies, two ClusterPairs).</summary>
public sealed class StorkSandboxFixture : SandboxFixture
{
    protected override SandboxOptions CreateOptions() => new() { Scenario = "stork", ReadyDelay = TimeSpan.FromMilliseconds(200) };
}

/// <summary>A sandbox seeded with the 3scale scenario (namespace 3scale, one APIManager, system-storage).</summary>
public sealed class ThreeScaleSandboxFixture : SandboxFixture
{
    protected override SandboxOptions CreateOptions() => new() { Scenario = "3scale", ReadyDelay = TimeSpan.FromMilliseconds(200) };
}

/// <summary>Tiny HTTP helpers for talking to the sandbox like a Kubernetes client.</summary>
public static class SandboxHttp
{
    public sealed record Reply(HttpStatusCode Status, JsonNode? Body, HttpResponseHeaders Headers, string Text)
    {
        public JsonObject Object => Body as JsonObject ?? throw new Xunit.Sdk.XunitException($"expected a JSON object, got: {Text}");
    }

    public static async Task<Reply> SendAsync(this HttpClient http, string method, string path, object? body = null,
        string contentType = "application/json", string? accept = null)
    {
        using var req = new HttpRequestMessage(new HttpMethod(method), path);
        if (body != null)
        {
            var text = body is string s ? s : body is JsonNode n ? n.ToJsonString() : throw new ArgumentException("body");
            req.Content = new StringContent(text, Encoding.UTF8);
            req.Content.Headers.ContentType = contentType.Length == 0 ? null : MediaTypeHeaderValue.Parse(contentType);
        }
        if (accept != null) req.Headers.TryAddWithoutValidation("Accept", accept);
        using var resp = await http.SendAsync(req);
        var textBody = await resp.Content.ReadAsStringAsync();
        JsonNode? json = null;
        if (textBody.Length > 0 && (textBody[0] == '{' || textBody[0] == '['))
            json = JsonNode.Parse(textBody);
        return new Reply(resp.StatusCode, json, resp.Headers, textBody);
    }

    public static Task<Reply> GetJsonAsync(this HttpClient http, string path, string? accept = null) => http.SendAsync("GET", path, accept: accept);

    public static Task<Reply> PostJsonAsync(this HttpClient http, string path, JsonNode body) => http.SendAsync("POST", path, body);

    public static JsonObject Obj(string json) => JsonNode.Parse(json)!.AsObject();

    public static JsonObject Pvc(string name, string? ns = null, string size = "1Gi", string? storageClass = null, JsonObject? labels = null)
    {
        var meta = new JsonObject { ["name"] = name };
        if (ns != null) meta["namespace"] = ns;
        if (labels != null) meta["labels"] = labels;
        var spec = new JsonObject
        {
            ["accessModes"] = new JsonArray("ReadWriteOnce"),
            ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = size } },
        };
        if (storageClass != null) spec["storageClassName"] = storageClass;
        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "PersistentVolumeClaim", ["metadata"] = meta, ["spec"] = spec };
    }

    public static JsonObject ConfigMap(string name, string ns, JsonObject? labels = null, JsonObject? data = null)
    {
        var meta = new JsonObject { ["name"] = name, ["namespace"] = ns };
        if (labels != null) meta["labels"] = labels;
        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = meta, ["data"] = data ?? new JsonObject() };
    }

    public static string? Str(this JsonNode? node, params string[] path)
    {
        foreach (var p in path) node = node is JsonObject o ? o[p] : null;
        return node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToJsonString();
    }
}
