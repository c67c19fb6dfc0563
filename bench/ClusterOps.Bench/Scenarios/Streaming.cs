using System.Diagnostics;
using System.Text.Json.Nodes;
using ClusterOps.Bench.Infrastructure;
using ClusterOps.Core.Storage;
using ClusterOps.Kubernetes.Config;
using ClusterOps.Kubernetes.Http;
using ClusterOps.Sandbox;

namespace ClusterOps.Bench.Scenarios;

/// <summary>
/// Scenario 2: the same listing in a child process per size (clean peak working set), through the counting relay,
/// recording when the first object arrived and how many requests had been sent by then.
/// </summary>
public static class Streaming
{
    public static async Task<JsonObject> MeasureAsync(SandboxServer server, int size) =>
        await ChildProcess.RunAsync(TimeSpan.FromMinutes(3), "list", server.KubeConfigPath, size.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static void Report(IReadOnlyDictionary<int, JsonObject> bySize, ResultTable table)
    {
        foreach (var (size, r) in bySize.OrderBy(p => p.Key))
        {
            var ttfo = r["ttfoMs"]!.GetValue<double>();
            var atFirst = r["requestsAtFirstObject"]!.GetValue<int>();
            var total = r["requests"]!.GetValue<int>();
            var secondAfterFirst = r["secondRequestAfterFirstObjectMs"]?.GetValue<double>();
            var ordered = atFirst == 1 && total > 1 && secondAfterFirst is >= 0;
            table.Add(new ResultRow($"2 first object {size / 1000}k", Stats.Ms(ttfo), $"list {Stats.Ms(r["totalMs"]!.GetValue<double>())}",
                Stats.Ratio(ttfo, r["totalMs"]!.GetValue<double>()), Stats.Mb(r["peakWorkingSet"]!.GetValue<long>()),
                "before page 2 requested", ordered ? Verdict.Pass : Verdict.Miss,
                $"requests sent when the first object arrived: {atFirst} of {total} ({r["firstRequest"]}); page 2 was requested {Stats.F(secondAfterFirst ?? double.NaN, "0.0")} ms after it"));
        }
        if (bySize.Count == 2)
        {
            var sizes = bySize.Keys.Order().ToArray();
            var small = bySize[sizes[0]]["peakWorkingSet"]!.GetValue<long>();
            var large = bySize[sizes[1]]["peakWorkingSet"]!.GetValue<long>();
            var growth = (large - small) / (double)small;
            table.Add(new ResultRow($"2 peak WS {sizes[0] / 1000}k->{sizes[1] / 1000}k", Stats.Mb(large), Stats.Mb(small), Stats.Ratio(large, small),
                $"+{Stats.F(growth * 100)} %", "growth <= 10 %", growth <= 0.10 ? Verdict.Pass : Verdict.Miss,
                $"whole child process VmHWM; before listing {Stats.Mb(bySize[sizes[0]]["baselineWorkingSet"]!.GetValue<long>())} / {Stats.Mb(bySize[sizes[1]]["baselineWorkingSet"]!.GetValue<long>())}; GC heap after: {Stats.Mb(bySize[sizes[0]]["heapAfter"]!.GetValue<long>())} / {Stats.Mb(bySize[sizes[1]]["heapAfter"]!.GetValue<long>())}; allocated {Stats.Mb(bySize[sizes[0]]["allocated"]!.GetValue<long>())} / {Stats.Mb(bySize[sizes[1]]["allocated"]!.GetValue<long>())} in {bySize[sizes[0]]["gen0"]} / {bySize[sizes[1]]["gen0"]} gen0 and {bySize[sizes[0]]["gen2"]} / {bySize[sizes[1]]["gen2"]} gen2 collections"));
        }
    }

    /// <summary>The child: list through the relay, print timings, request order and peak memory.</summary>
    public static async Task<int> ChildAsync(string kubeconfig, int expected)
    {
        var resolved = KubeConfigLoader.Load(kubeconfig).Resolve();
        var upstream = new Uri(resolved.Cluster.Server!);
        var trust = TlsTrust.For(resolved.Cluster, upstream);
        var dir = KubeConfigFiles.PrivateDirectory();
        try
        {
            await using var relay = new CountingRelay(upstream, trust);
            var relayConfig = KubeConfigFiles.WriteTokenConfig(dir, "relay.kubeconfig", relay.Address, resolved.User.Token!, resolved.Namespace);
            using var client = KubeClient.Create(KubeConfigLoader.Load(relayConfig).Resolve());
            var baseline = Memory.PeakWorkingSet();

            var ctx = new CountingContext();
            var sw = Stopwatch.StartNew();
            double ttfo = -1;
            var atFirst = -1;
            long firstTimestamp = 0;
            await foreach (var info in new StorageQueries(client).ListClaimsAsync(new ClaimQuery(null), ctx, ctx.CancellationToken))
            {
                if (ttfo < 0)
                {
                    firstTimestamp = Stopwatch.GetTimestamp();
                    ttfo = sw.Elapsed.TotalMilliseconds;
                    atFirst = relay.RequestCount;
                }
                ctx.WriteObject(info);
            }
            var totalMs = sw.Elapsed.TotalMilliseconds;
            if (ctx.Objects != expected)
                throw new InvalidOperationException($"listed {ctx.Objects} claims, expected {expected}");
            var requests = relay.Requests;
            double? second = requests.Count > 1 ? Stopwatch.GetElapsedTime(firstTimestamp, requests[1].Timestamp).TotalMilliseconds : null;
            ChildProcess.Report(new JsonObject
            {
                ["count"] = ctx.Objects,
                ["ttfoMs"] = ttfo,
                ["totalMs"] = totalMs,
                ["requestsAtFirstObject"] = atFirst,
                ["requests"] = requests.Count,
                ["firstRequest"] = Redact(requests.FirstOrDefault().RequestLine),
                ["secondRequestAfterFirstObjectMs"] = second,
                ["baselineWorkingSet"] = baseline,
                ["peakWorkingSet"] = Memory.PeakWorkingSet(),
                ["heapAfter"] = GC.GetTotalMemory(false),
                ["allocated"] = GC.GetTotalAllocatedBytes(),
                ["gen0"] = GC.CollectionCount(0),
                ["gen2"] = GC.CollectionCount(2),
                ["lohAfter"] = GC.GetGCMemoryInfo(GCKind.Any).GenerationInfo[3].SizeAfterBytes,
            });
            return 0;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The request line without the (long, opaque) continue token.</summary>
    private static string Redact(string? line) =>
        line is null ? "" : System.Text.RegularExpressions.Regex.Replace(line, "continue=[^& ]+", "continue=…");
}
