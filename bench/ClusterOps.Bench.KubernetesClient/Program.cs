using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

// The KubernetesClient 21.0.8 side of bench/ClusterOps.Bench, started by it as a child process; prints one
// `RESULT {json}` line, as the bench's own children do.
//   list <kubeconfig> <count> <reps> <pageSize>      typed V1PersistentVolumeClaim list of all namespaces, limit/continue
//   connect <kubeconfig> <other-kubeconfig>           load + merge both files, client, first authenticated GET /api
return args[0] switch
{
    "list" => await ListAsync(args[1], int.Parse(args[2]), int.Parse(args[3]), int.Parse(args[4])),
    "connect" => await ConnectAsync(args[1], args[2]),
    _ => 2,
};

// Same shape as ListThroughput.ChildAsync: 3 untimed warm-ups, then the median of reps; the raw bytes of the same
// pages are timed in the same process, interleaved, so that the ratio to raw can be set beside ours.
// The page URLs are collected during the first warm-up.
static async Task<int> ListAsync(string kubeconfig, int expected, int reps, int pageSize)
{
    var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig);
    using var client = new Kubernetes(config);
    using var http = BareHttpClient(config);
    var urls = new List<string>();
    for (var i = 0; i < 3; i++)
    {
        await ListOnceAsync(client, expected, pageSize, i == 0 ? urls : null);
        await RawAsync(http, urls);
    }
    var times = new List<double>();
    var firsts = new List<double>();
    var raw = new List<double>();
    var pages = 0;
    for (var rep = 0; rep < reps; rep++)
    {
        var (ms, first, p) = await ListOnceAsync(client, expected, pageSize, null);
        times.Add(ms);
        firsts.Add(first);
        pages = p;
        raw.Add(await RawAsync(http, urls));
    }
    Report(new JsonObject
    {
        ["listMs"] = Median(times),
        ["firstMs"] = Median(firsts),
        ["rawMs"] = Median(raw),
        ["pages"] = pages,
        ["runs"] = new JsonArray(times.Select(t => (JsonNode)Math.Round(t, 1)).ToArray()),
    });
    return 0;
}

// The bench's raw reference again, in this process: the same page URLs, bytes read and nothing parsed, with the CA
// and token that KubernetesClient loaded. ours/raw beside KubernetesClient/raw is the comparison a noisy neighbour
// cannot skew, as each is taken in one process with its own raw interleaved.
static HttpClient BareHttpClient(KubernetesClientConfiguration config)
{
    var trust = new System.Security.Cryptography.X509Certificates.X509ChainPolicy
    {
        TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust,
        RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
    };
    trust.CustomTrustStore.AddRange(config.SslCaCerts);
    var handler = new SocketsHttpHandler
    {
        SslOptions = new System.Net.Security.SslClientAuthenticationOptions { CertificateChainPolicy = trust },
    };
    var http = new HttpClient(handler) { BaseAddress = new Uri(config.Host) };
    http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", config.AccessToken);
    return http;
}

static async Task<double> RawAsync(HttpClient http, List<string> urls)
{
    var buffer = new byte[64 * 1024];
    var sw = Stopwatch.StartNew();
    foreach (var url in urls)
    {
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        while (await body.ReadAsync(buffer) > 0) { }
    }
    return sw.Elapsed.TotalMilliseconds;
}

static async Task<(double Ms, double FirstPageMs, int Pages)> ListOnceAsync(Kubernetes client, int expected, int pageSize, List<string>? urls)
{
    var count = 0;
    var pages = 0;
    var first = -1.0;
    string? token = null;
    var sw = Stopwatch.StartNew();
    do
    {
        urls?.Add($"/api/v1/persistentvolumeclaims?limit={pageSize}" + (token is null ? "" : "&continue=" + Uri.EscapeDataString(token)));
        V1PersistentVolumeClaimList page = await client.CoreV1.ListPersistentVolumeClaimForAllNamespacesAsync(
            limit: pageSize, continueParameter: token);
        if (first < 0) first = sw.Elapsed.TotalMilliseconds;
        pages++;
        foreach (var claim in page.Items)
        {
            // Touch what Get-PersistentVolumeClaim shows, so nothing is left to lazy evaluation.
            if (claim.Metadata.Name is not null && claim.Spec is not null) count++;
        }
        token = page.Metadata?.ContinueProperty;
    }
    while (!string.IsNullOrEmpty(token));
    var ms = sw.Elapsed.TotalMilliseconds;
    if (count != expected) throw new InvalidOperationException($"KubernetesClient listed {count} claims, expected {expected}");
    return (ms, first, pages);
}

// Same as ConnectionCost.OnceAsync: cold is the first time in this fresh process, warm the median of 20 repeats.
static async Task<int> ConnectAsync(string kubeconfig, string others)
{
    var (cold, coldReady) = await ConnectOnceAsync(kubeconfig, others);
    var warm = new List<double>();
    var warmReady = new List<double>();
    for (var i = 0; i < 20; i++)
    {
        var (total, ready) = await ConnectOnceAsync(kubeconfig, others);
        warm.Add(total);
        warmReady.Add(ready);
    }
    Report(new JsonObject
    {
        ["coldMs"] = cold,
        ["coldReadyMs"] = coldReady,
        ["warmMs"] = Median(warm),
        ["warmReadyMs"] = Median(warmReady),
    });
    return 0;
}

static async Task<(double Total, double Ready)> ConnectOnceAsync(string kubeconfig, string others)
{
    var sw = Stopwatch.StartNew();
    // The merge of a KUBECONFIG chain, the way KubernetesClient offers it to a program: LoadKubeConfig(FileInfo[])
    // is not public in 21.0.8, BuildDefaultConfig reads KUBECONFIG (first occurrence wins, so the sandbox's
    // current-context is used; the other file's servers do not resolve, so a wrong pick fails the GET).
    Environment.SetEnvironmentVariable("KUBECONFIG", kubeconfig + Path.PathSeparator + others);
    var config = KubernetesClientConfiguration.BuildDefaultConfig();
    using var client = new Kubernetes(config);
    var ready = sw.Elapsed.TotalMilliseconds;
    var versions = await client.Core.GetAPIVersionsAsync() ?? throw new InvalidOperationException("empty /api");
    if (versions.Versions is not { Count: > 0 }) throw new InvalidOperationException("GET /api returned no versions");
    return (sw.Elapsed.TotalMilliseconds, ready);
}

static double Median(List<double> values)
{
    var sorted = values.OrderBy(v => v).ToArray();
    return sorted[(int)Math.Ceiling(sorted.Length / 2.0) - 1];
}

static void Report(JsonObject result) => Console.WriteLine("RESULT " + result.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
