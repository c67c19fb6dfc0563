using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using ClusterOps.Bench.Infrastructure;
using ClusterOps.Sandbox;

namespace ClusterOps.Bench.Scenarios;

/// <summary>
/// Scenario 7 (issue 15): one cmdlet across a fleet. Ten sandbox `tml` clusters in one process, every API request
/// delayed 100 ms. The cmdlets run for real, in pwsh (the repository's `dotnet pwsh` tool) as a child process:
/// `Get-TmlCluster -Context *` and `Test-KubeConnection -Context *` against one cluster (target: the fleet takes at
/// most 1.5x) and against a sequential loop of the same cmdlet over the contexts (target: at most 0.2x), with
/// kubectl in a shell loop over the ten contexts as the reference row. Memory: a fresh pwsh holds the sessions of 50
/// contexts (five per cluster) and of one; the difference must stay within 50 MB.
/// </summary>
public static class FleetFanOut
{
    public const int Clusters = 10;
    public const int MemoryContexts = 50;
    public static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(100);

    public static async Task RunAsync(BenchSettings settings, ResultTable table)
    {
        var repo = RepoRoot();
        var module = Path.Combine(settings.ModuleDirectory ?? Path.Combine(repo, "out", "ClusterOps"), "ClusterOps.psd1");
        if (!File.Exists(module))
            throw new FileNotFoundException($"scenario 7 runs the published module: {module} is missing (dotnet publish src/ClusterOps.Cmdlets -c Release -o out/ClusterOps)");
        await using var fleet = await SandboxFleet.StartAsync(new SandboxOptions { Scenario = "tml", ReadyDelay = TimeSpan.FromMilliseconds(200) }, Clusters);
        foreach (var cluster in fleet.Clusters)
            cluster.Faults.AddLatency(Latency);
        var dir = Directory.CreateTempSubdirectory("clusterops-bench-fleet-").FullName;
        try
        {
            var fifty = Path.Combine(dir, "kubeconfig-50");
            fleet.WriteKubeConfig(fifty, MemoryContexts);
            var reps = settings.Quick ? 1 : 3;
            var times = await PwshAsync(repo, Script, dir, TimeSpan.FromMinutes(10), module, fleet.KubeConfigPath, reps.ToString(CultureInfo.InvariantCulture));
            var memory = await PwshAsync(repo, MemoryScript, dir, TimeSpan.FromMinutes(5), module, fifty);
            foreach (var cmd in new[] { "Get-TmlCluster", "Test-KubeConnection" })
                Report(table, cmd, times[cmd]!.AsObject(), reps);
            var kubectl = Kubectl.Find();
            if (kubectl is not null)
            {
                table.Add(await KubectlLoopAsync(kubectl, fleet.KubeConfigPath, "7 kubectl loop: get sts,deploy,pods,pvc", times["Get-TmlCluster"]!["fleetMs"]!.GetValue<double>(),
                    "get statefulsets,deployments,pods,persistentvolumeclaims -n tml"));
                table.Add(await KubectlLoopAsync(kubectl, fleet.KubeConfigPath, "7 kubectl loop: version", times["Test-KubeConnection"]!["fleetMs"]!.GetValue<double>(),
                    "version"));
            }
            var delta = memory["fleetWorkingSet"]!.GetValue<long>() - memory["oneWorkingSet"]!.GetValue<long>();
            var heapDelta = memory["fleetHeap"]!.GetValue<long>() - memory["oneHeap"]!.GetValue<long>();
            table.Add(new ResultRow($"7 sessions of {MemoryContexts} contexts", $"+{Stats.Mb(delta)}", $"1 context {Stats.Mb(memory["oneWorkingSet"]!.GetValue<long>())}",
                "-", $"heap +{Stats.Mb(heapDelta)}", "<= +50 MB", delta <= 50L * 1024 * 1024 ? Verdict.Pass : Verdict.Miss,
                $"working set of a fresh pwsh after Test-KubeConnection in 1 context, then in all {MemoryContexts} (-ThrottleLimit {MemoryContexts}, {memory["rows"]} rows; " +
                $"five contexts per cluster, each with its own cluster and user entry); GC heap after a full collection"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void Report(ResultTable table, string cmd, JsonObject t, int reps)
    {
        double one = t["oneMs"]!.GetValue<double>(), fleet = t["fleetMs"]!.GetValue<double>(), fleet10 = t["fleet10Ms"]!.GetValue<double>(), seq = t["sequentialMs"]!.GetValue<double>();
        var note = $"median of {reps} after a warm-up; {t["rows"]} rows from {t["contexts"]} contexts; {Latency.TotalMilliseconds} ms per request on every cluster";
        table.Add(new ResultRow($"7 {cmd} -Context * vs one", Stats.Ms(fleet), $"one {Stats.Ms(one)}", Stats.Ratio(fleet, one), "-", "<= 1.50x",
            fleet <= one * 1.5 ? Verdict.Pass : Verdict.Miss, note + "; default -ThrottleLimit (16), so all 10 contexts run in one wave"));
        table.Add(new ResultRow($"7 {cmd} -ThrottleLimit 10 vs one", Stats.Ms(fleet10), $"one {Stats.Ms(one)}", Stats.Ratio(fleet10, one), "-", "<= 1.50x",
            fleet10 <= one * 1.5 ? Verdict.Pass : Verdict.Miss, note + "; every context at once"));
        table.Add(new ResultRow($"7 {cmd} -Context * vs loop", Stats.Ms(fleet), $"loop {Stats.Ms(seq)}", Stats.Ratio(fleet, seq), "-", "<= 0.20x",
            fleet <= seq * 0.2 ? Verdict.Pass : Verdict.Miss, note + "; loop = foreach context: the same cmdlet with -Context <one>"));
        table.Add(new ResultRow($"7 {cmd} -ThrottleLimit 10 vs loop", Stats.Ms(fleet10), $"loop {Stats.Ms(seq)}", Stats.Ratio(fleet10, seq), "-", "<= 0.20x",
            fleet10 <= seq * 0.2 ? Verdict.Pass : Verdict.Miss, note + "; every context at once"));
    }

    private static async Task<ResultRow> KubectlLoopAsync(string kubectl, string kubeconfig, string title, double oursMs, string command)
    {
        // As a runbook writes it today: one kubectl process per context, one after the other, fresh discovery cache.
        var cache = Directory.CreateTempSubdirectory("clusterops-bench-kubectl-").FullName;
        try
        {
            var loop = $"for i in $(seq 1 {Clusters}); do \"{kubectl}\" --kubeconfig \"{kubeconfig}\" --context sandbox-$i --cache-dir \"{cache}/$i\" {command} >/dev/null || exit 1; done";
            var psi = new ProcessStartInfo("/bin/bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add(loop);
            var sw = Stopwatch.StartNew();
            using var process = Process.Start(psi)!;
            var stderr = process.StandardError.ReadToEndAsync();
            await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            sw.Stop();
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"kubectl loop failed: {await stderr}");
            return new ResultRow(title, Stats.Ms(oursMs), $"kubectl {Stats.Ms(sw.Elapsed.TotalMilliseconds)}", Stats.Ratio(oursMs, sw.Elapsed.TotalMilliseconds), "-",
                "(reference)", Verdict.Info, $"kubectl {command} for each of the {Clusters} contexts in a bash loop (fresh --cache-dir each), one run; ours = the -Context * row");
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
        }
    }

    private static async Task<JsonObject> PwshAsync(string repo, string script, string dir, TimeSpan timeout, params string[] args)
    {
        var file = Path.Combine(dir, $"fleet-{Guid.NewGuid():N}.ps1");
        await File.WriteAllTextAsync(file, script);
        // The repository's tool manifest pins pwsh 7.6.10: `dotnet pwsh` from the repository root runs it.
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = repo, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "pwsh", "-NoProfile", "-NonInteractive", "-File", file }.Concat(args))
            psi.ArgumentList.Add(a);
        return await ChildProcess.RunAsync(psi, timeout, ["pwsh", Path.GetFileName(file)]);
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ClusterOps.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("scenario 7 runs from the repository (ClusterOps.sln not found above the bench)");
    }

    private const string Script = """
        param($Module, $KubeConfig, [int] $Reps)
        $ErrorActionPreference = 'Stop'
        $ProgressPreference = 'SilentlyContinue'
        Import-Module $Module
        $contexts = @((Get-KubeContext -KubeConfig $KubeConfig).Name)
        function Measure-Median([scriptblock] $Call) {
            $runs = foreach ($i in 1..$Reps) { $sw = [Diagnostics.Stopwatch]::StartNew(); $null = & $Call; $sw.Elapsed.TotalMilliseconds }
            $sorted = @($runs | Sort-Object); $sorted[[int][Math]::Floor(($sorted.Count - 1) / 2)]
        }
        $result = [ordered]@{}
        foreach ($cmd in 'Get-TmlCluster', 'Test-KubeConnection') {
            $common = @{ KubeConfig = $KubeConfig }
            if ($cmd -eq 'Get-TmlCluster') { $common.Namespace = 'tml' }
            $rows = @(& $cmd @common -Context *)   # warm-up: connections to every cluster, JIT
            $result[$cmd] = [ordered]@{
                contexts = $contexts.Count
                rows = $rows.Count
                oneMs = Measure-Median { & $cmd @common -Context $contexts[0] }
                fleetMs = Measure-Median { & $cmd @common -Context * }
                fleet10Ms = Measure-Median { & $cmd @common -Context * -ThrottleLimit $contexts.Count }
                sequentialMs = Measure-Median { foreach ($c in $contexts) { & $cmd @common -Context $c } }
            }
        }
        'RESULT ' + ($result | ConvertTo-Json -Compress -Depth 5)
        """;

    private const string MemoryScript = """
        param($Module, $KubeConfig)
        $ErrorActionPreference = 'Stop'
        $ProgressPreference = 'SilentlyContinue'
        Import-Module $Module
        function Get-Figures {
            [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
            $p = [Diagnostics.Process]::GetCurrentProcess(); $p.Refresh()
            @{ WorkingSet = $p.WorkingSet64; Heap = [GC]::GetTotalMemory($true) }
        }
        $null = Test-KubeConnection -KubeConfig $KubeConfig -Context sandbox-1
        $null = Test-KubeConnection -KubeConfig $KubeConfig -Context sandbox-1
        $one = Get-Figures
        $rows = @(Test-KubeConnection -KubeConfig $KubeConfig -Context * -ThrottleLimit 50)
        $fleet = Get-Figures
        'RESULT ' + (@{ oneWorkingSet = $one.WorkingSet; oneHeap = $one.Heap; fleetWorkingSet = $fleet.WorkingSet; fleetHeap = $fleet.Heap; rows = $rows.Count } | ConvertTo-Json -Compress)
        """;
}
