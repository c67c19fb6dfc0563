using System.Diagnostics;
using System.Text.Json.Nodes;
using ClusterOps.Bench.Infrastructure;
using ClusterOps.Kubernetes.Config;
using ClusterOps.Kubernetes.Http;
using ClusterOps.Sandbox;

namespace ClusterOps.Bench.Scenarios;

/// <summary>
/// Scenario 4: kubeconfig load + merge (the sandbox's file and one with 25 other contexts) + client creation + the
/// first authenticated request (GET /api, which includes the TLS handshake). Cold is the first time in a fresh
/// child process; warm repeats the whole thing in the same process (files read again, new client, new connection),
/// which is more than a cmdlet pays with the per-process connection cache.
/// </summary>
public static class ConnectionCost
{
    private const int WarmRuns = 20;

    public static async Task RunAsync(SandboxServer server, BenchSettings settings, ResultTable table)
    {
        var dir = KubeConfigFiles.PrivateDirectory();
        try
        {
            var others = KubeConfigFiles.WriteOtherContexts(dir, 25);
            var caFile = Path.Combine(dir, "ca.pem");
            File.WriteAllText(caFile, server.CaCertificatePem);
            var tokenFile = KubeConfigFiles.WritePrivateFile(dir, "token", server.Token);
            var results = new List<JsonObject>();
            var bareCold = new List<double>();
            var kcResults = new List<JsonObject>();
            string? kcProblem = null;
            for (var i = 0; i < settings.ConnectionChildren; i++)
            {
                results.Add(await ChildProcess.RunAsync(TimeSpan.FromMinutes(1), "connect", server.KubeConfigPath, others));
                // Reference: KubernetesClient 21.0.8 doing the same in its own fresh process (KUBECONFIG = both files).
                try
                {
                    kcResults.Add(await ChildProcess.RunKubernetesClientAsync(TimeSpan.FromMinutes(1), "connect", server.KubeConfigPath, others));
                }
                catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or FileNotFoundException)
                {
                    kcProblem = ex.Message;
                }
                bareCold.Add((await ChildProcess.RunAsync(TimeSpan.FromMinutes(1), "connect-bare", server.BaseAddress.ToString(), caFile, tokenFile))["coldMs"]!.GetValue<double>());
            }
            var cold = Stats.Median(results.Select(r => r["coldMs"]!.GetValue<double>()).ToList());
            var coldReady = Stats.Median(results.Select(r => r["coldReadyMs"]!.GetValue<double>()).ToList());
            var warm = Stats.Median(results.Select(r => r["warmMs"]!.GetValue<double>()).ToList());
            var warmReady = Stats.Median(results.Select(r => r["warmReadyMs"]!.GetValue<double>()).ToList());

            // References: kubectl doing the same (load, merge, one authenticated GET) in its own process, and a
            // bare HttpClient (new handler, TLS handshake, GET /api) without any kubeconfig work.
            var kubectl = Kubectl.Find();
            double? kubectlMs = null;
            if (kubectl is not null)
            {
                var runs = new List<double>();
                for (var i = 0; i < settings.ConnectionChildren; i++)
                    runs.Add((await Kubectl.RunAsync(kubectl, server.KubeConfigPath, ["get", "--raw", "/api"])).Ms);
                kubectlMs = Stats.Median(runs);
            }
            var bare = new List<double>();
            for (var i = 0; i < WarmRuns; i++)
            {
                var sw = Stopwatch.StartNew();
                using var http = server.CreateHttpClient();
                (await http.GetAsync("/api")).EnsureSuccessStatusCode();
                bare.Add(sw.Elapsed.TotalMilliseconds);
            }
            var bareMs = Stats.Median(bare.Skip(1).ToList());

            table.Add(new ResultRow("4 connection cold", Stats.Ms(cold), kubectlMs is { } k ? $"kubectl {Stats.Ms(k)}" : "-",
                kubectlMs is { } k2 ? Stats.Ratio(cold, k2) : "-", "-", "(no target)", Verdict.Info,
                $"first in a fresh process, median of {results.Count}; of which load+merge+client {Stats.Ms(coldReady)}; a bare HttpClient's first GET /api in a fresh process (no kubeconfig) takes {Stats.Ms(Stats.Median(bareCold))}; kubectl = whole `kubectl get --raw /api` process"));
            if (kcProblem is null && kcResults.Count > 0)
            {
                var kcCold = Stats.Median(kcResults.Select(r => r["coldMs"]!.GetValue<double>()).ToList());
                var kcReady = Stats.Median(kcResults.Select(r => r["coldReadyMs"]!.GetValue<double>()).ToList());
                var kcWarm = Stats.Median(kcResults.Select(r => r["warmMs"]!.GetValue<double>()).ToList());
                table.Add(new ResultRow("4 connection cold vs KubernetesClient", Stats.Ms(cold), $"KubernetesClient 21.0.8 {Stats.Ms(kcCold)}",
                    Stats.Ratio(cold, kcCold), "-", "(reference)", Verdict.Info,
                    $"first in a fresh process, median of {kcResults.Count}: KUBECONFIG=<sandbox>:<25 other contexts>, BuildDefaultConfig, new Kubernetes, Core.GetAPIVersionsAsync (GET /api); of which load+merge+client {Stats.Ms(kcReady)} (ours {Stats.Ms(coldReady)}); warm full repeat {Stats.Ms(kcWarm)} (ours {Stats.Ms(warm)}); it is {Stats.Ratio(kcCold, cold)} ours"));
            }
            else
            {
                table.Add(new ResultRow("4 connection cold vs KubernetesClient", Stats.Ms(cold), "-", "-", "-", "(reference)", Verdict.Failed, kcProblem ?? "no run"));
            }
            table.Add(new ResultRow("4 connection warm", Stats.Ms(warm), $"bare HttpClient {Stats.Ms(bareMs)}", Stats.Ratio(warm, bareMs), "-",
                "<= 20 ms", warm <= 20 ? Verdict.Pass : Verdict.Miss,
                $"median of {WarmRuns} full repeats (new client + TLS handshake + GET /api); load+merge+client alone {Stats.Ms(warmReady)}"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    public static async Task<int> ChildAsync(string kubeconfig, string others)
    {
        var (cold, coldReady) = await OnceAsync(kubeconfig, others);
        var warm = new List<double>();
        var warmReady = new List<double>();
        for (var i = 0; i < WarmRuns; i++)
        {
            var (total, ready) = await OnceAsync(kubeconfig, others);
            warm.Add(total);
            warmReady.Add(ready);
        }
        ChildProcess.Report(new JsonObject
        {
            ["coldMs"] = cold,
            ["coldReadyMs"] = coldReady,
            ["warmMs"] = Stats.Median(warm),
            ["warmReadyMs"] = Stats.Median(warmReady),
        });
        return 0;
    }

    /// <summary>The .NET floor for a cold first request: HttpClient, TLS with the CA, bearer token, GET /api.</summary>
    public static async Task<int> BareChildAsync(string server, string caFile, string tokenFile)
    {
        var sw = Stopwatch.StartNew();
        using var ca = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(caFile));
        var handler = new SocketsHttpHandler
        {
            SslOptions = new System.Net.Security.SslClientAuthenticationOptions
            {
                CertificateChainPolicy = new System.Security.Cryptography.X509Certificates.X509ChainPolicy
                {
                    TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust,
                    RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
                    CustomTrustStore = { ca },
                },
            },
        };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(server) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", File.ReadAllText(tokenFile).Trim());
        (await http.GetAsync("/api")).EnsureSuccessStatusCode();
        ChildProcess.Report(new JsonObject { ["coldMs"] = sw.Elapsed.TotalMilliseconds });
        return 0;
    }

    private static async Task<(double Total, double Ready)> OnceAsync(string kubeconfig, string others)
    {
        var sw = Stopwatch.StartNew();
        var context = KubeConfigLoader.LoadFiles([kubeconfig, others]).Resolve();
        using var client = KubeClient.Create(context);
        var ready = sw.Elapsed.TotalMilliseconds;
        _ = await client.SendJsonAsync(HttpMethod.Get, "/api") ?? throw new InvalidOperationException("empty /api");
        return (sw.Elapsed.TotalMilliseconds, ready);
    }
}
