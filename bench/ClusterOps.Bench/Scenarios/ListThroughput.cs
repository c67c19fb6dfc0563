using System.Diagnostics;
using System.Text.Json;
using ClusterOps.Bench.Infrastructure;
using ClusterOps.Core.Storage;
using ClusterOps.Kubernetes.Config;
using ClusterOps.Kubernetes.Http;
using ClusterOps.Sandbox;

namespace ClusterOps.Bench.Scenarios;

/// <summary>
/// Scenario 1: list every PVC across 50 namespaces, pages of 500. Ours is Get-PersistentVolumeClaim's operation
/// (StorageQueries.ListClaimsAsync) materialising PersistentVolumeClaimInfo; references, against the same sandbox in
/// the same run, are kubectl get pvc -A -o json and the raw bytes of the same pages.
/// </summary>
public static class ListThroughput
{
    public const int PageSize = 500;
    public const string PageQuery = "/api/v1/persistentvolumeclaims?limit=500";
    private const int WarmUps = 3;

    public static async Task RunAsync(SandboxServer server, int size, BenchSettings settings, ResultTable table)
    {
        var label = $"1 list {size / 1000}k PVCs";
        var reps = settings.ListReps(size);

        // Ours and raw run in a child process: in this one, every gen2 collection would also have to walk the
        // sandbox's heap (hundreds of MB of seeded objects), which a real client never pays for.
        var gen2Before = GC.CollectionCount(2);
        var child = await ChildProcess.RunAsync(TimeSpan.FromMinutes(5), "throughput", server.KubeConfigPath,
            size.ToString(System.Globalization.CultureInfo.InvariantCulture), reps.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var sandboxGen2 = GC.CollectionCount(2) - gen2Before;

        // Reference: KubernetesClient 21.0.8, typed V1PersistentVolumeClaim, the same page size and continue tokens,
        // in its own child process (same warm-ups and repetitions; raw measured again there as a noise check).
        JsonNodeResult kc;
        try
        {
            kc = new(await ChildProcess.RunKubernetesClientAsync(TimeSpan.FromMinutes(10), "list", server.KubeConfigPath,
                size.ToString(System.Globalization.CultureInfo.InvariantCulture), reps.ToString(System.Globalization.CultureInfo.InvariantCulture),
                PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture)), null);
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or FileNotFoundException)
        {
            kc = new(null, ex.Message);
        }

        var kubectl = Kubectl.Find();
        var kube = new List<double>();
        long kubectlRss = 0;
        string? kubectlProblem = kubectl is null ? "kubectl not found on PATH" : null;
        for (var rep = 0; kubectl is not null && rep < reps; rep++)
        {
            var k = await Kubectl.GetAllPvcsAsync(kubectl, server.KubeConfigPath);
            if (k.Items != size) kubectlProblem = $"kubectl printed {k.Items} PVCs, expected {size}";
            kube.Add(k.Ms);
            kubectlRss = Math.Max(kubectlRss, k.PeakRssBytes ?? 0);
        }

        var o = child["oursMs"]!.GetValue<double>();
        var r = child["rawMs"]!.GetValue<double>();
        var f = child["floorMs"]!.GetValue<double>();
        var note = $"ours: median of {reps} after {WarmUps} warm-ups, {Stats.Rate(size, o)}, raw {Stats.Rate(size, r)} over {child["pages"]} pages, {Stats.Mb(child["rawBytes"]!.GetValue<long>())} on the wire";
        if (kube.Count > 0 && kubectlProblem is null)
        {
            var kb = Stats.Median(kube);
            table.Add(new ResultRow($"{label} vs kubectl", Stats.Ms(o), $"kubectl {Stats.Ms(kb)}", Stats.Ratio(o, kb),
                kubectlRss > 0 ? $"kubectl {Stats.Mb(kubectlRss)}" : "-", "<= 0.50x",
                o / kb <= 0.5 ? Verdict.Pass : Verdict.Miss, $"kubectl get pvc -A -o json with a fresh --cache-dir, median of {kube.Count} runs; {note}"));
        }
        else
        {
            table.Add(new ResultRow($"{label} vs kubectl", Stats.Ms(o), "-", "-", "-", "<= 0.50x", Verdict.Failed, kubectlProblem));
        }
        if (kc.Result is { } kcr)
        {
            var km = kcr["listMs"]!.GetValue<double>();
            var kraw = kcr["rawMs"]!.GetValue<double>();
            table.Add(new ResultRow($"{label} vs KubernetesClient", Stats.Ms(o), $"KubernetesClient 21.0.8 typed list {Stats.Ms(km)}",
                Stats.Ratio(o, km), "-", "(reference)", Verdict.Info,
                $"KubernetesClient: CoreV1.ListPersistentVolumeClaimForAllNamespacesAsync(limit: {PageSize}, continue), items counted, {kcr["pages"]} pages, median of {reps} after {WarmUps} warm-ups in its own process (runs {kcr["runs"]!.ToJsonString()} ms), {Stats.Rate(size, km)}; first page after {Stats.Ms(kcr["firstMs"]!.GetValue<double>())}; it is {Stats.Ratio(km, o)} ours; against the raw pages in its own process (raw {Stats.Ms(kraw)}) it is {Stats.Ratio(km, kraw)} raw, ours {Stats.Ratio(o, r)} raw"));
        }
        else
        {
            table.Add(new ResultRow($"{label} vs KubernetesClient", Stats.Ms(o), "-", "-", "-", "(reference)", Verdict.Failed, kc.Problem));
        }
        table.Add(new ResultRow($"{label} vs raw", Stats.Ms(o), $"raw {Stats.Ms(r)}", Stats.Ratio(o, r), "-", "<= 1.50x",
            o / r <= 1.5 ? Verdict.Pass : Verdict.Miss,
            $"warm first object after {Stats.Ms(child["firstMs"]!.GetValue<double>())}; raw + JsonDocument.Parse of each page (tokenising only, no objects) takes {Stats.Ms(f)} = {Stats.Ratio(f, r)} raw; the sandbox process ran {sandboxGen2} gen2 GCs while serving"));
    }

    private sealed record JsonNodeResult(System.Text.Json.Nodes.JsonObject? Result, string? Problem);

    /// <summary>The child: warm up, then ours / tokenise floor / raw interleaved, medians out.</summary>
    public static async Task<int> ChildAsync(string kubeconfig, int size, int reps)
    {
        var resolved = KubeConfigLoader.Load(kubeconfig).Resolve();
        using var client = KubeClient.Create(resolved);
        using var http = BareHttpClient(resolved);
        var pages = await PageUrlsAsync(http);

        // Warm-up (untimed) until tiered JIT has settled, plus connection pools and TLS sessions. kubectl gets none:
        // each of its runs is a fresh process, as for users.
        for (var i = 0; i < WarmUps; i++)
        {
            await OursAsync(client, size);
            await RawAsync(http, pages);
            await RawAndTokenizeAsync(http, pages);
        }
        var ours = new List<double>();
        var first = new List<double>();
        var raw = new List<double>();
        var floor = new List<double>();
        long bytes = 0;
        for (var rep = 0; rep < reps; rep++)
        {
            // Interleaved so that a noisy neighbour hurts all three alike.
            var (oursMs, firstMs) = await OursTimedAsync(client, size);
            ours.Add(oursMs);
            first.Add(firstMs);
            floor.Add(await RawAndTokenizeAsync(http, pages));
            (var ms, bytes) = await RawAsync(http, pages);
            raw.Add(ms);
        }
        ChildProcess.Report(new System.Text.Json.Nodes.JsonObject
        {
            ["oursMs"] = Stats.Median(ours),
            ["firstMs"] = Stats.Median(first),
            ["rawMs"] = Stats.Median(raw),
            ["floorMs"] = Stats.Median(floor),
            ["rawBytes"] = bytes,
            ["pages"] = pages.Count,
        });
        return 0;
    }

    /// <summary>HttpClient with the kubeconfig's trust and token, nothing else of ours.</summary>
    private static HttpClient BareHttpClient(ResolvedContext context)
    {
        var server = new Uri(context.Cluster.Server!);
        var trust = TlsTrust.For(context.Cluster, server);
        var handler = new SocketsHttpHandler
        {
            SslOptions = new System.Net.Security.SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, cert, chain, errors) => trust.Check(cert, chain, errors) is null,
            },
        };
        var http = new HttpClient(handler) { BaseAddress = server };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", context.User.Token);
        return http;
    }

    public static async Task<double> OursAsync(KubeClient client, int expected) => (await OursTimedAsync(client, expected)).Total;

    public static async Task<(double Total, double FirstObject)> OursTimedAsync(KubeClient client, int expected)
    {
        var ctx = new CountingContext();
        var first = -1.0;
        var sw = Stopwatch.StartNew();
        await foreach (var info in new StorageQueries(client).ListClaimsAsync(new ClaimQuery(null), ctx, ctx.CancellationToken))
        {
            if (first < 0) first = sw.Elapsed.TotalMilliseconds;
            ctx.WriteObject(info);
        }
        var ms = sw.Elapsed.TotalMilliseconds;
        if (ctx.Objects != expected)
            throw new InvalidOperationException($"our listing returned {ctx.Objects} claims, expected {expected}");
        return (ms, first);
    }

    /// <summary>The floor of any client that reads the JSON at all: the same pages, each tokenised once.</summary>
    public static async Task<double> RawAndTokenizeAsync(HttpClient http, IReadOnlyList<string> urls)
    {
        var sw = Stopwatch.StartNew();
        foreach (var url in urls)
        {
            var bytes = await http.GetByteArrayAsync(url);
            using var doc = JsonDocument.Parse(bytes);
        }
        return sw.Elapsed.TotalMilliseconds;
    }

    /// <summary>The URLs of every page, continue tokens included (collected untimed, so the raw pass parses nothing).</summary>
    public static async Task<List<string>> PageUrlsAsync(HttpClient http)
    {
        var urls = new List<string> { PageQuery };
        while (true)
        {
            var bytes = await http.GetByteArrayAsync(urls[^1]);
            using var doc = JsonDocument.Parse(bytes);
            if (!doc.RootElement.GetProperty("metadata").TryGetProperty("continue", out var c) || c.GetString() is not { Length: > 0 } token)
                return urls;
            urls.Add(PageQuery + "&continue=" + Uri.EscapeDataString(token));
        }
    }

    public static async Task<(double Ms, long Bytes)> RawAsync(HttpClient http, IReadOnlyList<string> urls)
    {
        var buffer = new byte[64 * 1024];
        long total = 0;
        var sw = Stopwatch.StartNew();
        foreach (var url in urls)
        {
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            await using var body = await response.Content.ReadAsStreamAsync();
            int n;
            while ((n = await body.ReadAsync(buffer)) > 0) total += n;
        }
        return (sw.Elapsed.TotalMilliseconds, total);
    }
}
