using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using ClusterOps.Bench.Infrastructure;
using ClusterOps.Kubernetes.Config;
using ClusterOps.Kubernetes.Http;
using ClusterOps.Kubernetes.Resources;
using ClusterOps.Sandbox;

namespace ClusterOps.Bench.Scenarios;

/// <summary>
/// Scenario 6: one PVC is changed 1,000 times, one change at a time, in the sandbox (in-process, so the clock is
/// shared); each latency runs from just before the change until our watch stream yields its MODIFIED event.
/// </summary>
public static class WatchLatency
{
    private const string Name = "watched";

    public static async Task RunAsync(SandboxServer server, BenchSettings settings, ResultTable table)
    {
        var ns = server.DefaultNamespace;
        server.Create(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "PersistentVolumeClaim",
            ["metadata"] = new JsonObject { ["name"] = Name, ["namespace"] = ns },
            ["spec"] = new JsonObject
            {
                ["accessModes"] = new JsonArray("ReadWriteOnce"),
                ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = "1Gi" } },
            },
        });
        using var client = KubeClient.Create(KubeConfigLoader.Load(server.KubeConfigPath).Resolve());
        var list = await client.ListAllAsync(KubeResources.PersistentVolumeClaims, ns);

        var seen = new ConcurrentDictionary<string, TaskCompletionSource<long>>();
        TaskCompletionSource<long> Waiter(string rv) => seen.GetOrAdd(rv, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
        using var stop = new CancellationTokenSource();
        var watching = Task.Run(async () =>
        {
            try
            {
                await foreach (var ev in client.WatchAsync(KubeResources.PersistentVolumeClaims, ns,
                                   new WatchOptions { ResourceVersion = list.Metadata.ResourceVersion }, stop.Token))
                {
                    var now = Stopwatch.GetTimestamp();
                    if (ev.Type == WatchEventType.Modified && ev.ResourceVersion is { } rv) Waiter(rv).TrySetResult(now);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
        });

        var latencies = new List<double>();
        const int warmup = 50;
        for (var i = 0; i < warmup + settings.WatchChanges; i++)
        {
            var before = Stopwatch.GetTimestamp();
            var changed = server.Patch("persistentvolumeclaims", ns, Name,
                new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["seq"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) } } });
            var rv = changed["metadata"]!["resourceVersion"]!.GetValue<string>();
            var arrived = await Waiter(rv).Task.WaitAsync(TimeSpan.FromSeconds(10));
            seen.TryRemove(rv, out _);
            if (i >= warmup) latencies.Add(Stopwatch.GetElapsedTime(before, arrived).TotalMilliseconds);
        }
        stop.Cancel();
        await watching;

        var median = Stats.Median(latencies);
        var p99 = Stats.Percentile(latencies, 99);
        table.Add(new ResultRow($"6 watch latency x{latencies.Count}", $"p50 {Stats.Ms(median)}", $"p99 {Stats.Ms(p99)}", "-", "-", "(report)", Verdict.Info,
            $"change in the sandbox -> event out of KubeClient.WatchAsync; max {Stats.Ms(latencies.Max())}, after {warmup} warm-up changes"));
    }
}
