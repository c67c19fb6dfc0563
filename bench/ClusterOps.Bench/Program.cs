using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using ClusterOps.Bench;
using ClusterOps.Bench.Infrastructure;
using ClusterOps.Bench.Scenarios;
using ClusterOps.Sandbox;

// dotnet run -c Release --project bench/ClusterOps.Bench -- [--quick] [--only 1,2,...] [--module-dir out/ClusterOps]
// Children: --child list <kubeconfig> <count> | throughput <kubeconfig> <count> <reps> | connect <kubeconfig> <other> | connect-bare <server> <ca> <tokenfile> | moduleload <folder>
if (args.Length > 0 && args[0] == "--child")
{
    return args[1] switch
    {
        "list" => await Streaming.ChildAsync(args[2], int.Parse(args[3], CultureInfo.InvariantCulture)),
        "throughput" => await ListThroughput.ChildAsync(args[2], int.Parse(args[3], CultureInfo.InvariantCulture), int.Parse(args[4], CultureInfo.InvariantCulture)),
        "connect" => await ConnectionCost.ChildAsync(args[2], args[3]),
        "connect-bare" => await ConnectionCost.BareChildAsync(args[2], args[3], args[4]),
        "moduleload" => ModuleLoad.Child(args[2]),
        _ => 2,
    };
}

var quick = args.Contains("--quick");
var only = new HashSet<string>();
string? moduleDir = null;
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--only" && i + 1 < args.Length) foreach (var s in args[++i].Split(',')) only.Add(s.Trim());
    else if (args[i] == "--module-dir" && i + 1 < args.Length) moduleDir = Path.GetFullPath(args[++i]);
    else if (args[i] is not "--quick") { Console.Error.WriteLine($"unknown argument '{args[i]}'"); return 2; }
}
var settings = new BenchSettings(quick, only, moduleDir);
var table = new ResultTable();
var total = Stopwatch.StartNew();

Console.WriteLine($"ClusterOps.Bench {(quick ? "--quick" : "full")} run, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC");
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.ProcessArchitecture}");
Console.WriteLine();

async Task Scenario(string id, string title, Func<Task> run)
{
    if (!settings.Runs(id)) return;
    Console.Error.WriteLine($"[{total.Elapsed:mm\\:ss}] scenario {id}: {title}");
    try
    {
        await run();
    }
    catch (Exception ex)
    {
        table.Add(new ResultRow($"{id} {title}", "-", "-", "-", "-", "-", Verdict.Failed, $"{ex.GetType().Name}: {ex.Message}"));
    }
}

// 1 + 2: one sandbox per size, controllers off (the data is static and a controller reacting to 100k seeded
// objects would compete for the same two cores).
var streaming = new Dictionary<int, JsonObject>();
foreach (var size in settings.ListSizes)
{
    if (!settings.Runs("1") && !settings.Runs("2")) break;
    Console.Error.WriteLine($"[{total.Elapsed:mm\\:ss}] seeding {size} PVCs over {BenchSettings.Namespaces} namespaces");
    await using var server = await SandboxServer.StartAsync(new SandboxOptions
    {
        Pvcs = size,
        Namespaces = BenchSettings.Namespaces,
        EnableControllers = false,
    });
    // Quick runs compare throughput at 10k only; memory growth needs both sizes in any run.
    if (!(quick && size > settings.ListSizes[0]))
        await Scenario("1", $"list {size / 1000}k", () => ListThroughput.RunAsync(server, size, settings, table));
    await Scenario("2", $"streaming {size / 1000}k", async () => streaming[size] = await Streaming.MeasureAsync(server, size));
}
if (streaming.Count > 0) Streaming.Report(streaming, table);

await Scenario("3", "start critical path", () => StartPath.RunAsync(settings, table));

if (settings.Runs("4") || settings.Runs("6"))
{
    await using var server = await SandboxServer.StartAsync(new SandboxOptions { EnableControllers = false });
    await Scenario("4", "connection", () => ConnectionCost.RunAsync(server, settings, table));
    await Scenario("6", "watch latency", () => WatchLatency.RunAsync(server, settings, table));
}

await Scenario("5", "module load", () => ModuleLoad.RunAsync(settings, table));

await Scenario("7", "fleet fan-out", () => FleetFanOut.RunAsync(settings, table));

Console.WriteLine(table.Render());
Console.WriteLine($"total {total.Elapsed.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s");
return table.Rows.Any(r => r.Verdict == Verdict.Failed) ? 1 : 0;
