using System.Diagnostics;

namespace ClusterOps.Tests.Sandbox;

/// <summary>The command line other tools (Pester helpers, the demo) start: one kubeconfig line, then serve until stdin closes.</summary>
public sealed class SandboxCommandLineTests
{
    private static Process Start(params string[] args)
    {
        var dll = typeof(ClusterOps.Sandbox.SandboxServer).Assembly.Location;
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        return Process.Start(psi)!;
    }

    [Fact]
    public async Task Prints_one_kubeconfig_line_serves_kubectl_and_stops_when_stdin_closes()
    {
        var dir = Directory.CreateTempSubdirectory("sandbox-cli-").FullName;
        var kubeconfig = Path.Combine(dir, "config");
        using var p = Start("--port", "0", "--kubeconfig", kubeconfig, "--scenario", "tml", "--ready-delay", "100ms");
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var line = await p.StandardOutput.ReadLineAsync(cts.Token);
            Assert.Equal($"kubeconfig: {kubeconfig}", line);
            Assert.True(File.Exists(kubeconfig));
            using (var k = new Kubectl(kubeconfig))
            {
                var r = (await k.RunAsync("get", "statefulsets")).ShouldSucceed();
                Assert.Contains(r.Lines, l => l.StartsWith("cass-set-0 ", StringComparison.Ordinal));
            }
            p.StandardInput.Close();
            await p.WaitForExitAsync(cts.Token);
            Assert.Equal(0, p.ExitCode);
            Assert.Equal("", (await p.StandardOutput.ReadToEndAsync(cts.Token)).Trim());
        }
        finally
        {
            if (!p.HasExited) p.Kill(entireProcessTree: true);
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Rejects_an_unknown_argument_with_exit_code_2()
    {
        using var p = Start("--bogus");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var err = await p.StandardError.ReadToEndAsync(cts.Token);
        await p.WaitForExitAsync(cts.Token);
        Assert.Equal(2, p.ExitCode);
        Assert.Contains("unknown argument '--bogus'", err);
    }
}
