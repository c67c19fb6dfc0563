using ClusterOps.Sandbox.Server;

namespace ClusterOps.Sandbox;

/// <summary>
/// Several independent sandbox clusters in one process (--clusters N), for fleet tests and benchmarks: each has its
/// own store, port, CA and admin user (sandbox-admin-1 ...) and runs the same scenario; one kubeconfig names them all
/// as contexts sandbox-1 ... sandbox-N. The admin API (faults, latency, unreachable) is served by each cluster on its
/// own port with one shared admin token, so a test can make exactly one of them slow, failing or unreachable.
/// </summary>
public sealed class SandboxFleet : IAsyncDisposable
{
    private SandboxFleet(IReadOnlyList<SandboxServer> clusters, string kubeConfigPath, string adminToken)
    {
        Clusters = clusters;
        KubeConfigPath = kubeConfigPath;
        AdminToken = adminToken;
    }

    public IReadOnlyList<SandboxServer> Clusters { get; }
    public string KubeConfigPath { get; }
    public string AdminToken { get; }

    /// <summary>The context name of cluster <paramref name="index"/> (0-based).</summary>
    public static string ContextName(int index) => $"sandbox-{index + 1}";

    public static async Task<SandboxFleet> StartAsync(SandboxOptions options, int count, CancellationToken cancellationToken = default)
    {
        if (count < 1)
            throw new ArgumentException($"--clusters must be at least 1, not {count}");
        if (count > 1 && options.Port != 0)
            throw new ArgumentException("--port cannot be combined with --clusters: each cluster listens on a free port of its own");
        var adminToken = options.AdminToken ?? Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        var clusters = new List<SandboxServer>();
        try
        {
            // One at a time: seeding and controller warm-up are CPU-bound, and the machine may be small.
            for (var i = 0; i < count; i++)
            {
                clusters.Add(await SandboxServer.StartAsync(new SandboxOptions
                {
                    Scenario = options.Scenario,
                    Auth = options.Auth,
                    ReadyDelay = options.ReadyDelay,
                    Pvcs = options.Pvcs,
                    Namespaces = options.Namespaces,
                    AdminUser = $"{options.AdminUser}-{i + 1}",
                    AdminToken = adminToken,
                    // Each cluster writes its own file into a private temp directory (removed when it stops).
                    KubeConfigPath = null,
                }, cancellationToken));
            }
        }
        catch
        {
            foreach (var started in clusters)
                await started.DisposeAsync();
            throw;
        }
        var path = options.KubeConfigPath ?? Path.Combine(Directory.CreateTempSubdirectory("clusterops-fleet-").FullName, "kubeconfig");
        KubeConfigWriter.Write(path, clusters.Select((c, i) => c.KubeConfigEntry(ContextName(i))).ToList());
        return new SandboxFleet(clusters, Path.GetFullPath(path), adminToken);
    }

    /// <summary>
    /// A kubeconfig with <paramref name="contexts"/> contexts (sandbox-1 ... sandbox-N) over this fleet's clusters in
    /// turn, each context with a cluster and user entry of its own: more contexts than clusters, for measuring what
    /// a client keeps per context.
    /// </summary>
    public void WriteKubeConfig(string path, int contexts) =>
        KubeConfigWriter.Write(path, Enumerable.Range(0, contexts).Select(i => Clusters[i % Clusters.Count].KubeConfigEntry(ContextName(i))).ToList());

    public async ValueTask DisposeAsync()
    {
        foreach (var cluster in Clusters)
            await cluster.DisposeAsync();
    }
}
