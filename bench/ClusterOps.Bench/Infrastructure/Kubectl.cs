using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace ClusterOps.Bench.Infrastructure;

/// <summary>The real kubectl, run as users run it: a fresh process, here with a fresh --cache-dir each time.</summary>
public static class Kubectl
{
    public sealed record Run(double Ms, long Bytes, int Items, long? PeakRssBytes);

    public static string? Find()
    {
        if (File.Exists("/usr/bin/kubectl")) return "/usr/bin/kubectl";
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            var candidate = Path.Combine(dir, "kubectl");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>`kubectl get pvc -A -o json`, stdout counted (bytes and items) instead of written anywhere.</summary>
    public static Task<Run> GetAllPvcsAsync(string kubectl, string kubeconfig) =>
        RunAsync(kubectl, kubeconfig, ["get", "pvc", "-A", "-o", "json"], "\"kind\": \"PersistentVolumeClaim\"");

    public static async Task<Run> RunAsync(string kubectl, string kubeconfig, IReadOnlyList<string> args, string? countPattern = null)
    {
        var cache = Directory.CreateTempSubdirectory("clusterops-bench-kubectl-cache-").FullName;
        var rssFile = Path.Combine(cache, "maxrss");
        try
        {
            // GNU time reports kubectl's peak RSS without wrapping it in a shell; its own cost is negligible.
            var useTime = File.Exists("/usr/bin/time");
            var psi = new ProcessStartInfo(useTime ? "/usr/bin/time" : kubectl)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            if (useTime)
            {
                foreach (var a in new[] { "-f", "%M", "-o", rssFile, kubectl }) psi.ArgumentList.Add(a);
            }
            foreach (var a in new[] { "--kubeconfig", kubeconfig, "--cache-dir", cache }) psi.ArgumentList.Add(a);
            foreach (var a in args) psi.ArgumentList.Add(a);

            var sw = Stopwatch.StartNew();
            using var process = Process.Start(psi) ?? throw new InvalidOperationException("kubectl did not start");
            var errors = process.StandardError.ReadToEndAsync();
            var (bytes, items) = await CountAsync(process.StandardOutput.BaseStream, countPattern);
            await process.WaitForExitAsync();
            var ms = sw.Elapsed.TotalMilliseconds;
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"kubectl {string.Join(' ', args)} failed (exit {process.ExitCode}): {(await errors).Trim()}");
            long? rss = null;
            if (useTime && File.Exists(rssFile) && long.TryParse(File.ReadAllText(rssFile).Trim().Split('\n')[^1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var kb))
                rss = kb * 1024;
            return new Run(ms, bytes, items, rss);
        }
        finally
        {
            try { Directory.Delete(cache, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>Counts bytes and occurrences of a pattern across buffer boundaries.</summary>
    private static async Task<(long Bytes, int Matches)> CountAsync(Stream stream, string? pattern)
    {
        var needle = pattern is null ? [] : Encoding.UTF8.GetBytes(pattern);
        var buffer = new byte[64 * 1024];
        long bytes = 0;
        var matches = 0;
        var matched = 0;
        int n;
        while ((n = await stream.ReadAsync(buffer)) > 0)
        {
            bytes += n;
            if (needle.Length == 0) continue;
            for (var i = 0; i < n; i++)
            {
                var b = buffer[i];
                if (b == needle[matched])
                {
                    if (++matched == needle.Length) { matches++; matched = 0; }
                }
                else matched = b == needle[0] ? 1 : 0;
            }
        }
        return (bytes, matches);
    }
}
