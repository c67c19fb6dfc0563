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
