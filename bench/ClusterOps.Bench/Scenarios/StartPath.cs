using System.Diagnostics;
using ClusterOps.Bench.Infrastructure;
using ClusterOps.Core.Lifecycle;
using ClusterOps.Kubernetes.Config;
using ClusterOps.Kubernetes.Http;
using ClusterOps.Sandbox;

namespace ClusterOps.Bench.Scenarios;

/// <summary>
/// Scenario 3: Start-TmlCluster's operation on the tml scenario, pods Ready after d = 300 ms. Six components start
/// one after the other, each waiting for Ready, so 6·d is the floor; the rest is our overhead.
/// </summary>
public static class StartPath
{
    public static readonly TimeSpan ReadyDelay = TimeSpan.FromMilliseconds(300);

    public static async Task RunAsync(BenchSettings settings, ResultTable table)
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { Scenario = "tml", ReadyDelay = ReadyDelay });
        using var client = KubeClient.Create(KubeConfigLoader.Load(server.KubeConfigPath).Resolve());
        var lifecycle = new ClusterLifecycle(new KubeClusterApi(client));
        var ns = server.DefaultNamespace;
        var timeout = TimeSpan.FromSeconds(60);

        // The scenario's pods turn Ready after d; a start on the running cluster waits for that and warms the JIT.
        await lifecycle.StartAsync(new StartRequest(ns, TimeoutPerComponent: timeout), new CountingContext());

        var totals = new List<double>();
        var steps = 0;
        for (var rep = 0; rep < settings.StartReps; rep++)
        {
            await lifecycle.StopAsync(new StopRequest(ns, Timeout: timeout), new CountingContext());
            var ctx = new CountingContext();
            var sw = Stopwatch.StartNew();
            await lifecycle.StartAsync(new StartRequest(ns, TimeoutPerComponent: timeout), ctx);
            totals.Add(sw.Elapsed.TotalMilliseconds);
            steps = ctx.Objects;
            if (ctx.Errors.Count > 0) throw new InvalidOperationException("start reported errors: " + string.Join("; ", ctx.Errors));
        }

        var d = ReadyDelay.TotalMilliseconds;
        var floor = 6 * d;
        var target = floor * 1.05 + 200;
        var median = Stats.Median(totals);
        table.Add(new ResultRow("3 Start-TmlCluster d=300ms", $"{Stats.Ms(median)} (+{Stats.Ms(median - floor)})", $"6*d {Stats.Ms(floor)}", Stats.Ratio(median, floor), "-",
            $"<= {Stats.Ms(target)}", median <= target ? Verdict.Pass : Verdict.Miss,
            $"overhead over 6*d: {Stats.Ms(median - floor)} (median of {totals.Count}; runs {string.Join(", ", totals.Select(Stats.Ms))}); {steps} step records"));
    }
}
