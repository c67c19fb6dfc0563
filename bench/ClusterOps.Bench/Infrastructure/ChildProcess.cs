using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ClusterOps.Bench.Infrastructure;

/// <summary>
/// Runs this bench again as a child process (`--child mode args...`) so that cold-start and peak-memory figures
/// are not polluted by the parent's sandbox, JIT state or heap. The child prints one `RESULT {json}` line.
/// </summary>
public static class ChildProcess
{
    public const string ResultPrefix = "RESULT ";

    public static async Task<JsonObject> RunAsync(TimeSpan timeout, params string[] args)
    {
        var psi = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            psi.FileName = self;
            psi.ArgumentList.Add(typeof(ChildProcess).Assembly.Location);
        }
        else
        {
            psi.FileName = self;
        }
        psi.ArgumentList.Add("--child");
        foreach (var a in args) psi.ArgumentList.Add(a);
        return await RunAsync(psi, timeout, args);
    }

    /// <summary>
    /// The KubernetesClient reference program (bench/ClusterOps.Bench.KubernetesClient), built beside this one but
    /// run from its own output so that its YamlDotNet 18 never loads here. Same `RESULT {json}` protocol.
    /// </summary>
    public static Task<JsonObject> RunKubernetesClientAsync(TimeSpan timeout, params string[] args)
    {
        var path = typeof(ChildProcess).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>().Single(a => a.Key == "KubernetesClientReference").Value!;
        path = Path.GetFullPath(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"the KubernetesClient reference program is not built: {path}");
        // Its apphost where there is one (as this bench's own children start), else `dotnet x.dll`.
        var apphost = Path.ChangeExtension(path, OperatingSystem.IsWindows() ? ".exe" : null);
        var psi = new ProcessStartInfo
        {
            FileName = File.Exists(apphost) ? apphost : "dotnet",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (!File.Exists(apphost)) psi.ArgumentList.Add(path);
        foreach (var a in args) psi.ArgumentList.Add(a);
        return RunAsync(psi, timeout, args);
    }

    /// <summary>Any child that follows the `RESULT {json}` protocol (scenario 7 runs pwsh scripts).</summary>
    public static async Task<JsonObject> RunAsync(ProcessStartInfo psi, TimeSpan timeout, string[] args)
    {
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("the child did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"child '{string.Join(' ', args)}' did not finish within {timeout.TotalSeconds} s");
        }
        var output = await stdout;
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith(ResultPrefix, StringComparison.Ordinal));
        if (process.ExitCode != 0 || line is null)
            throw new InvalidOperationException($"child '{string.Join(' ', args)}' failed (exit {process.ExitCode}): {(await stderr).Trim()}");
        return JsonNode.Parse(line[ResultPrefix.Length..])!.AsObject();
    }

    /// <summary>What a child prints as its last line.</summary>
    public static void Report(JsonObject result) => Console.WriteLine(ResultPrefix + result.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
}
