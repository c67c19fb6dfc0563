namespace ClusterOps.Sandbox;

/// <summary>Which user the written kubeconfig authenticates as. The server always accepts both.</summary>
public enum SandboxAuthMode
{
    Token,
    Cert,
}

/// <summary>How a sandbox API server is started.</summary>
public sealed class SandboxOptions
{
    /// <summary>Loopback port; 0 picks a free one.</summary>
    public int Port { get; set; }

    /// <summary>Where to write the kubeconfig; null writes one into a fresh private temp directory.</summary>
    public string? KubeConfigPath { get; set; }

    /// <summary>empty, tml, stork, 3scale or all.</summary>
    public string Scenario { get; set; } = "empty";

    public SandboxAuthMode Auth { get; set; } = SandboxAuthMode.Token;

    /// <summary>How long a pod stays Pending before it is Running and Ready.</summary>
    public TimeSpan ReadyDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Bound PVCs (each with its PV) to seed for benchmarks.</summary>
    public int Pvcs { get; set; }

    /// <summary>Namespaces the seeded PVCs are spread over.</summary>
    public int Namespaces { get; set; } = 1;

    /// <summary>DNS names in the server certificate's SAN.</summary>
    public IList<string> ServerCertificateDnsNames { get; set; } = new List<string> { "localhost" };

    /// <summary>Whether the server certificate also names IP 127.0.0.1 (turn off to test tls-server-name).</summary>
    public bool IncludeIpAddressSan { get; set; } = true;

    /// <summary>How often an idle watch that asked for bookmarks receives one.</summary>
    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How many watch events are kept for watches resuming from an older resourceVersion.</summary>
    public int WatchHistory { get; set; } = 20_000;

    /// <summary>The full-access user the kubeconfig authenticates as (token and client certificate).</summary>
    public string AdminUser { get; set; } = "sandbox-admin";

    /// <summary>The /sandbox/admin/* token; null makes a random one. A fleet (--clusters N) shares one.</summary>
    public string? AdminToken { get; set; }

    /// <summary>Whether the simulated controllers (pods, PVC binding, jobs, ...) run.</summary>
    public bool EnableControllers { get; set; } = true;
}
