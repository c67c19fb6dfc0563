using System.Globalization;
using System.Runtime.InteropServices;
using ClusterOps.Sandbox;

// The sandbox API server's command line: start, print the kubeconfig path, serve until stdin closes or a signal.
var options = new SandboxOptions();
string? adminTokenFile = null;
var clusters = 0;
try
{
    for (var i = 0; i < args.Length; i++)
    {
        string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
        switch (args[i])
        {
            case "--port": options.Port = int.Parse(Next(), CultureInfo.InvariantCulture); break;
            case "--kubeconfig": options.KubeConfigPath = Next(); break;
            case "--scenario": options.Scenario = Next(); break;
            case "--auth":
                options.Auth = Next().ToLowerInvariant() switch
                {
                    "token" => SandboxAuthMode.Token,
                    "cert" => SandboxAuthMode.Cert,
                    var other => throw new ArgumentException($"--auth must be token or cert, not '{other}'"),
                };
                break;
            case "--ready-delay": options.ReadyDelay = ParseDuration(Next()); break;
            case "--pvcs": options.Pvcs = int.Parse(Next(), CultureInfo.InvariantCulture); break;
            case "--namespaces": options.Namespaces = int.Parse(Next(), CultureInfo.InvariantCulture); break;
            case "--admin-token-file": adminTokenFile = Next(); break;
            case "--clusters": clusters = int.Parse(Next(), CultureInfo.InvariantCulture); break;
            case "-h" or "--help":
                Console.WriteLine("usage: ClusterOps.Sandbox [--port 0] [--kubeconfig PATH] [--scenario empty|tml|stork|3scale|all] [--auth token|cert] [--ready-delay 500ms] [--pvcs N --namespaces M] [--admin-token-file PATH] [--clusters N]");
                Console.WriteLine("  --clusters N  serve N independent clusters (contexts sandbox-1 ... sandbox-N in one kubeconfig), each on its own port");
                return 0;
            default: throw new ArgumentException($"unknown argument '{args[i]}'");
        }
    }
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine($"ClusterOps.Sandbox: {e.Message}");
    return 2;
}

SandboxServer? server = null;
SandboxFleet? fleet = null;
try
{
    if (clusters > 0)
        fleet = await SandboxFleet.StartAsync(options, clusters);
    else
        server = await SandboxServer.StartAsync(options);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"ClusterOps.Sandbox: {e.Message}");
    return 2;
}
await using var serverLifetime = (IAsyncDisposable?)server ?? fleet!;
var adminToken = server?.AdminToken ?? fleet!.AdminToken;
var kubeConfigPath = server?.KubeConfigPath ?? fleet!.KubeConfigPath;
if (adminTokenFile is not null)
{
    // The fault/clock API's token, for rehearsing a runbook against faults from the command line; owner-only, as a
    // kubeconfig is, and never printed.
    var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    File.Delete(adminTokenFile);
    using var stream = OperatingSystem.IsWindows()
        ? new FileStream(adminTokenFile, FileMode.CreateNew)
        : new FileStream(adminTokenFile, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = mode });
    using var writer = new StreamWriter(stream);
    writer.Write(adminToken);
}
Console.Out.WriteLine($"kubeconfig: {kubeConfigPath}");
Console.Out.Flush();
if (server is not null)
    Console.Error.WriteLine($"ClusterOps.Sandbox serving {server.BaseAddress} (scenario {options.Scenario}); close stdin, Ctrl+C or SIGTERM to stop");
else
    Console.Error.WriteLine($"ClusterOps.Sandbox serving {fleet!.Clusters.Count} clusters (scenario {options.Scenario}): " +
        string.Join(", ", fleet.Clusters.Select((c, i) => $"{SandboxFleet.ContextName(i)} {c.BaseAddress}")) + "; close stdin, Ctrl+C or SIGTERM to stop");

var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.TrySetResult(); });
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.TrySetResult(); });
_ = Task.Run(() =>
{
    using var stdin = Console.OpenStandardInput();
    var buffer = new byte[256];
    while (stdin.Read(buffer, 0, buffer.Length) > 0) { }
    stop.TrySetResult();
});
await stop.Task;
if (server is not null)
    await server.StopAsync();
return 0;

static TimeSpan ParseDuration(string text)
{
    var t = text.Trim();
    if (t.EndsWith("ms", StringComparison.Ordinal)) return TimeSpan.FromMilliseconds(double.Parse(t[..^2], CultureInfo.InvariantCulture));
    if (t.EndsWith('s')) return TimeSpan.FromSeconds(double.Parse(t[..^1], CultureInfo.InvariantCulture));
    if (t.EndsWith('m')) return TimeSpan.FromMinutes(double.Parse(t[..^1], CultureInfo.InvariantCulture));
    return TimeSpan.FromMilliseconds(double.Parse(t, CultureInfo.InvariantCulture));
}
