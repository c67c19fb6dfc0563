using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using ClusterOps.Sandbox.Controllers;
using ClusterOps.Sandbox.Scenarios;
using ClusterOps.Sandbox.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ClusterOps.Sandbox;

/// <summary>
/// An in-memory Kubernetes API server on 127.0.0.1 over HTTPS, which the real kubectl and our client accept unchanged.
/// Start one per test class (or per test); it writes a kubeconfig for itself.
/// </summary>
public sealed class SandboxServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CertificateAuthority _ca;
    private readonly Authenticator _auth;
    private readonly ControllerManager? _controllers;
    private int _stopped;

    private SandboxServer(WebApplication app, CertificateAuthority ca, Authenticator auth, ObjectStore store, SandboxFaults faults,
        ControllerManager? controllers, SandboxOptions options)
    {
        _app = app;
        _ca = ca;
        _auth = auth;
        Store = store;
        Faults = faults;
        _controllers = controllers;
        Options = options;
    }

    public SandboxOptions Options { get; }
    public string KubeConfigPath { get; private set; } = "";
    public Uri BaseAddress { get; private set; } = new("https://127.0.0.1/");
    public string CaCertificatePem => _ca.CertificatePem;
    public X509Certificate2 CaCertificate => _ca.Certificate;

    /// <summary>Full-access bearer token of user "sandbox-admin".</summary>
    public string Token { get; private set; } = "";

    /// <summary>Bearer token of user "sandbox-viewer": reads succeed, writes get 403.</summary>
    public string ReadOnlyToken { get; private set; } = "";

    /// <summary>Guards /sandbox/admin/* (faults, clock, tokens over HTTP). Not a Kubernetes credential.</summary>
    public string AdminToken { get; private set; } = "";

    /// <summary>Client certificate of user "sandbox-admin" (O=system:masters), signed by the sandbox CA.</summary>
    public string ClientCertificatePem { get; private set; } = "";
    public string ClientKeyPem { get; private set; } = "";

    public SandboxClock Clock => Store.Clock;
    public SandboxFaults Faults { get; }
    public string DefaultNamespace { get; private set; } = "default";
    public long ResourceVersion => Store.CurrentResourceVersion;

    internal ObjectStore Store { get; }

    public static async Task<SandboxServer> StartAsync(SandboxOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new SandboxOptions();
        var scenario = ScenarioCatalog.Normalize(options.Scenario);
        var ca = new CertificateAuthority();
        var serverCert = ca.IssueServer(options.ServerCertificateDnsNames, options.IncludeIpAddressSan);
        var auth = new Authenticator(ca);
        var clock = new SandboxClock();
        var registry = new ResourceRegistry();
        var store = new ObjectStore(registry, clock, options.WatchHistory);
        var faults = new SandboxFaults(store);
        var token = NewSecret();
        var readOnly = NewSecret();
        var admin = options.AdminToken ?? NewSecret();
        auth.AddToken(token, options.AdminUser, false, ["system:masters"]);
        auth.AddToken(readOnly, "sandbox-viewer", true, null);
        var client = ca.IssueClient(options.AdminUser, ["system:masters"]);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(SandboxServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, QuietLifetime>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = 64 * 1024 * 1024;
            k.Limits.Http2.MaxStreamsPerConnection = 1000;
            k.Listen(IPAddress.Loopback, options.Port, lo =>
            {
                lo.Protocols = HttpProtocols.Http1AndHttp2;
                lo.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = serverCert,
                    ClientCertificateMode = ClientCertificateMode.AllowCertificate,
                    // Accept any presented certificate in the handshake; the handler answers 401 for foreign ones, as kube-apiserver does.
                    ClientCertificateValidation = (_, _, _) => true,
                    CheckCertificateRevocation = false,
                });
            });
        });
        var app = builder.Build();

        ControllerManager? controllers = options.EnableControllers ? new ControllerManager(store, options) : null;
        var ns = ScenarioCatalog.DefaultNamespace(scenario);
        string? tempDir = null;
        var server = new SandboxServer(app, ca, auth, store, faults, controllers, options);
        var handler = new ApiHandler(store, auth, faults, options, admin, clock.Advance);
        app.Run(handler.HandleAsync);

        store.Create(store.NamespaceDef, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "default" } }, null);
        store.Create(store.NamespaceDef, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "kube-system" } }, null);
        store.Create(store.NamespaceDef, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "kube-public" } }, null);
        store.Create(store.NamespaceDef, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "kube-node-lease" } }, null);
        store.Create(registry.Find("", "v1", "nodes")!, Scenarios.NodeSeed.Node(clock.Timestamp()), null);
        ScenarioCatalog.Seed(scenario, store);
        if (options.Pvcs > 0) BulkSeeder.SeedBoundPvcs(store, options.Pvcs, Math.Max(1, options.Namespaces));
        // Controllers start once the seed is in place (their queue already holds its events), so they never race it.
        controllers?.Start();

        await app.StartAsync(cancellationToken);
        if (controllers != null && scenario != "empty")
            await controllers.WaitUntilAsync(() => ScenarioCatalog.IsReady(scenario, store), TimeSpan.FromSeconds(30));
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;

        var kubeconfig = options.KubeConfigPath;
        if (string.IsNullOrEmpty(kubeconfig))
        {
            tempDir = Directory.CreateTempSubdirectory("clusterops-sandbox-").FullName;
            kubeconfig = Path.Combine(tempDir, "kubeconfig");
        }
        var baseAddress = new Uri($"https://127.0.0.1:{port}/");
        KubeConfigWriter.Write(kubeconfig, baseAddress, ca.CertificatePem, ns,
            options.Auth == SandboxAuthMode.Token ? token : null,
            options.Auth == SandboxAuthMode.Cert ? client : null);

        server.KubeConfigPath = Path.GetFullPath(kubeconfig);
        server.BaseAddress = baseAddress;
        server.Token = token;
        server.ReadOnlyToken = readOnly;
        server.AdminToken = admin;
        server.ClientCertificatePem = client.CertPem;
        server.ClientKeyPem = client.KeyPem;
        server.DefaultNamespace = ns;
        server._tempDir = tempDir;
        return server;
    }

    private string? _tempDir;

    /// <summary>This server's context in a kubeconfig that names several sandboxes (--clusters N).</summary>
    internal KubeConfigEntry KubeConfigEntry(string context) => new(context, BaseAddress, CaCertificatePem, DefaultNamespace,
        Options.Auth == SandboxAuthMode.Token ? Token : null,
        Options.Auth == SandboxAuthMode.Cert ? (ClientCertificatePem, ClientKeyPem) : null);

    private static string NewSecret() => Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();

    // ---------------------------------------------------------------- credentials

    public void AddToken(string token, string user, bool readOnly = false) => _auth.AddToken(token, user, readOnly, null);

    public void AddToken(string token, string user, bool readOnly, IEnumerable<string> groups) => _auth.AddToken(token, user, readOnly, groups);

    public bool RemoveToken(string token) => _auth.RemoveToken(token);

    /// <summary>A client certificate signed by the sandbox CA: CN = user, O = each group.</summary>
    public (string CertificatePem, string KeyPem) IssueClientCertificate(string user, params string[] groups) => _ca.IssueClient(user, groups);

    /// <summary>An HttpClient that trusts the sandbox CA and sends the given bearer token (default: the admin token).</summary>
    public HttpClient CreateHttpClient(string? token = null, bool http2 = false)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, cert, _, errors) => ValidateServerCertificate(cert, errors),
            },
        };
        var http = new HttpClient(handler) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (http2) http.DefaultRequestVersion = HttpVersion.Version20;
        if (token != "") http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token ?? Token);
        return http;
    }

    /// <summary>Chain validation against the sandbox CA only (for clients that do not read the kubeconfig).</summary>
    public bool ValidateServerCertificate(X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate == null) return false;
        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_ca.Certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var c2 = new X509Certificate2(certificate);
        return chain.Build(c2);
    }

    // ---------------------------------------------------------------- seeding

    /// <summary>Stores an object as given (status included), like an API create without status reset.</summary>
    public JsonObject Create(JsonObject obj)
    {
        var def = DefOf(obj);
        return Store.Create(def, (JsonObject)obj.DeepClone(), null).Parse();
    }

    /// <summary>Creates or merges every document of a YAML or JSON text (like kubectl apply, without the annotation).</summary>
    public IReadOnlyList<JsonObject> Apply(string yamlOrJson)
    {
        var result = new List<JsonObject>();
        foreach (var doc in Yaml.ParseDocuments(yamlOrJson))
        {
            var def = DefOf(doc);
            var ns = def.Namespaced ? Json.Str(doc, "metadata", "namespace") ?? "default" : null;
            var name = Json.Str(doc, "metadata", "name") ?? "";
            if (name.Length > 0 && Store.Get(def, ns, name) != null)
                result.Add(Store.Mutate(def, ns, name, cur => (JsonObject)Patches.Strategic(cur, doc)!, null).Parse());
            else
                result.Add(Store.Create(def, doc, ns).Parse());
        }
        return result;
    }

    /// <summary>Gets an object; resource is a plural, singular, short name, kind or "plural.group".</summary>
    public JsonObject? Get(string resource, string? ns, string name)
    {
        var def = Resolve(resource);
        return Store.Get(def, def.Namespaced ? ns ?? "default" : null, name)?.Parse();
    }

    public IReadOnlyList<JsonObject> List(string resource, string? ns = null) =>
        Store.Snapshot(Resolve(resource), ns).Select(o => o.Parse()).ToList();

    /// <summary>Applies an RFC 7386 merge patch.</summary>
    public JsonObject Patch(string resource, string? ns, string name, JsonObject mergePatch, bool status = false)
    {
        var def = Resolve(resource);
        return Store.Mutate(def, def.Namespaced ? ns ?? "default" : null, name, cur => (JsonObject)Patches.Merge(cur, mergePatch)!, status ? "status" : null).Parse();
    }

    /// <summary>Deletes like the API (finalizers and GC apply); false when it did not exist.</summary>
    public bool Delete(string resource, string? ns, string name, string? propagationPolicy = null)
    {
        var def = Resolve(resource);
        try
        {
            Store.Delete(def, def.Namespaced ? ns ?? "default" : null, name, propagationPolicy);
            return true;
        }
        catch (ApiException e) when (e.Code == 404)
        {
            return false;
        }
    }

    private ResourceDef Resolve(string resource) =>
        Store.Registry.Resolve(resource) ?? throw new ArgumentException($"the sandbox does not serve a resource named '{resource}'", nameof(resource));

    private ResourceDef DefOf(JsonObject obj)
    {
        var apiVersion = Json.Str(obj, "apiVersion") ?? throw new ArgumentException("apiVersion is required");
        var kind = Json.Str(obj, "kind") ?? throw new ArgumentException("kind is required");
        return Store.Registry.FindByKind(apiVersion, kind) ?? throw new ArgumentException($"the sandbox does not serve {kind} in {apiVersion}");
    }

    // ---------------------------------------------------------------- lifetime

    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
        Store.CloseAllWatches();
        if (_controllers != null) await _controllers.DisposeAsync();
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _app.StopAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
        }
        await _app.DisposeAsync();
        _ca.Dispose();
        var dir = _tempDir;
        if (dir != null)
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    /// <summary>The library never hooks Ctrl+C or SIGTERM; the command line does that itself.</summary>
    private sealed class QuietLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
