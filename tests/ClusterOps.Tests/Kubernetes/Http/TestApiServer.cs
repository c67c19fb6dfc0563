using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;

namespace ClusterOps.Tests.Kubernetes.Http;

/// <summary>
/// A scriptable HTTPS endpoint on 127.0.0.1 for transport tests (TLS, retries, paging, watch framing). Each test
/// supplies the handler; every request is recorded (method, path+query, selected headers, SNI, client cert).
/// </summary>
public sealed class TestApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    public sealed record Seen(string Method, string PathAndQuery, string? Authorization, string? Host, string? AcceptEncoding,
        IReadOnlyDictionary<string, string[]> Impersonation, string? ClientCertificateSubject, string? Body);

    private TestApiServer(WebApplication app, TestCertificates pki, ConcurrentQueue<string?> serverNames)
    {
        _app = app;
        Pki = pki;
        ServerNames = serverNames;
    }

    public TestCertificates Pki { get; }
    public int Port { get; private set; }
    public string BaseUrl => $"https://127.0.0.1:{Port}";
    public ConcurrentQueue<Seen> Requests { get; } = new();
    /// <summary>The SNI name of every TLS handshake (null when the client sent none, as for IP addresses).</summary>
    public ConcurrentQueue<string?> ServerNames { get; }

    public static async Task<TestApiServer> StartAsync(Func<HttpContext, Task> handler, IEnumerable<string>? dnsNames = null,
        bool includeLoopbackIp = true, TestCertificates? pki = null)
    {
        pki ??= TestCertificates.Create();
        var cert = pki.Server(dnsNames ?? new[] { "localhost" }, includeLoopbackIp ? new[] { IPAddress.Loopback } : Array.Empty<IPAddress>());
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        TestApiServer? self = null;
        var names = new ConcurrentQueue<string?>();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(new HttpsConnectionAdapterOptions
        {
            ServerCertificateSelector = (_, name) => { names.Enqueue(name); return cert; },
            ClientCertificateMode = ClientCertificateMode.AllowCertificate,
            ClientCertificateValidation = (_, _, _) => true,
        })));
        var app = builder.Build();
        app.Run(async context =>
        {
            string? body = null;
            if (context.Request.ContentLength > 0 || context.Request.Headers.ContainsKey("Transfer-Encoding"))
                body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            var imp = context.Request.Headers.Where(h => h.Key.StartsWith("Impersonate-", StringComparison.OrdinalIgnoreCase))
                .ToDictionary(h => h.Key, h => h.Value.Select(v => v ?? "").ToArray(), StringComparer.OrdinalIgnoreCase);
            var clientCert = context.Connection.ClientCertificate;
            self!.Requests.Enqueue(new Seen(context.Request.Method, context.Request.Path + context.Request.QueryString,
                context.Request.Headers.Authorization.FirstOrDefault(), context.Request.Headers.Host.FirstOrDefault(),
                context.Request.Headers.AcceptEncoding.FirstOrDefault(), imp, clientCert?.Subject, body));
            await handler(context);
        });
        await app.StartAsync();
        var address = app.Urls.First();
        self = new TestApiServer(app, pki, names) { Port = new Uri(address).Port };
        return self;
    }

    /// <summary>A kubeconfig for this server; <paramref name="cluster"/> and <paramref name="user"/> are YAML bodies.</summary>
    public string KubeConfig(string cluster, string user, string? server = null) => $"""
        current-context: test
        clusters:
        - name: test
          cluster:
            server: {server ?? BaseUrl}
        {Indent(cluster, 4)}
        users:
        - name: tester
          user:
        {Indent(user, 4)}
        contexts:
        - name: test
          context: {"{"}cluster: test, user: tester, namespace: ns1{"}"}
        """;

    private static string Indent(string body, int spaces) =>
        string.Join("\n", body.Split('\n').Select(l => new string(' ', spaces) + l));

    public string CaDataLine => $"certificate-authority-data: {Pki.CaBase64}";

    public static Task Json(HttpContext context, int status, string json, params (string, string)[] headers)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        foreach (var (k, v) in headers)
            context.Response.Headers[k] = v;
        return context.Response.WriteAsync(json);
    }

    public static string StatusJson(int code, string reason, string message, string? name = null) =>
        $$"""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"{{message}}","reason":"{{reason}}","details":{{(name is null ? "{}" : $$"""{"name":"{{name}}","kind":"pods"}""")}},"code":{{code}}}""";

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
