using System.Diagnostics;

namespace ClusterOps.Tests.Sandbox;

/// <summary>Runs the machine's real kubectl against a sandbox with a private discovery cache.</summary>
public sealed class Kubectl : IDisposable
{
    private const string Binary = "/usr/bin/kubectl";
    private readonly string _kubeconfig;
    private readonly string _cacheDir;

    public Kubectl(string kubeconfig)
    {
        if (!File.Exists(Binary))
            throw new Xunit.Sdk.XunitException($"kubectl is required for the sandbox conformance tests but {Binary} does not exist; install kubectl 1.32 (it is on the CI machine).");
        _kubeconfig = kubeconfig;
        _cacheDir = Directory.CreateTempSubdirectory("kubectl-cache-").FullName;
    }

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public Result ShouldSucceed()
        {
            if (ExitCode != 0) throw new Xunit.Sdk.XunitException($"kubectl failed ({ExitCode}):\n{Stderr}\n{Stdout}");
            return this;
        }

        public string[] Lines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    public async Task<Result> RunWithInputAsync(string input, params string[] args) => await RunCoreAsync(input, TimeSpan.FromSeconds(60), args);

    public Task<Result> RunAsync(params string[] args) => RunCoreAsync(null, TimeSpan.FromSeconds(60), args);

    private async Task<Result> RunCoreAsync(string? stdin, TimeSpan timeout, string[] args)
    {
        var psi = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin != null,
            UseShellExecute = false,
        };
        // The dispatcher wants the command before any flag.
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.ArgumentList.Add("--kubeconfig");
        psi.ArgumentList.Add(_kubeconfig);
        psi.ArgumentList.Add("--cache-dir");
        psi.ArgumentList.Add(_cacheDir);
        psi.Environment.Remove("KUBECONFIG");
        psi.Environment["HOME"] = _cacheDir;
        using var p = Process.Start(psi)!;
        if (stdin != null)
        {
            await p.StandardInput.WriteAsync(stdin);
            p.StandardInput.Close();
        }
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"kubectl {string.Join(' ', args)} did not finish within {timeout}");
        }
        return new Result(p.ExitCode, await stdout, await stderr);
    }

    public void Dispose()
    {
        try { Directory.Delete(_cacheDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
