using System.Net;
using System.Net.Sockets;
using ClusterOps.Kubernetes.Errors;
using ClusterOps.Kubernetes.Input;

namespace ClusterOps.Kubernetes.Config;

/// <summary>
/// Chooses and loads kubeconfig files exactly as kubectl: an explicit path alone (it must exist); else every
/// existing file named by KUBECONFIG (split on the platform path separator, empty entries ignored, missing files
/// skipped); else ~/.kube/config; else the in-cluster service account.
/// </summary>
public static class KubeConfigLoader
{
    public const string InClusterName = "in-cluster";

    /// <summary>The files that will be merged, in precedence order. Empty when none exists (in-cluster or nothing).</summary>
    public static IReadOnlyList<string> SelectFiles(string? explicitPath, KubeEnvironment? environment = null)
    {
        var env = environment ?? KubeEnvironment.Process;
        if (!string.IsNullOrEmpty(explicitPath))
        {
            var full = Path.GetFullPath(explicitPath);
            if (!File.Exists(full))
                throw new KubeConfigNotFoundException($"The kubeconfig file '{full}' does not exist.", full);
            return new[] { full };
        }
        var variable = env.GetVariable("KUBECONFIG");
        if (!string.IsNullOrEmpty(variable))
        {
            var seen = new HashSet<string>(OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
            var files = new List<string>();
            foreach (var entry in variable.Split(Path.PathSeparator))
            {
                if (string.IsNullOrWhiteSpace(entry))
                    continue;
                var full = Path.GetFullPath(entry);
                // A file listed twice is read once, at its first position (client-go deduplicates the chain).
                if (File.Exists(full) && seen.Add(full))
                    files.Add(full);
            }
            return files;
        }
        var home = env.DefaultKubeConfigPath;
        return home is not null && File.Exists(home) ? new[] { Path.GetFullPath(home) } : Array.Empty<string>();
    }

    /// <summary>Load and merge the selected files, falling back to in-cluster, else an empty configuration.</summary>
    public static KubeConfig Load(string? explicitPath = null, KubeEnvironment? environment = null)
    {
        var env = environment ?? KubeEnvironment.Process;
        var files = SelectFiles(explicitPath, env);
        if (files.Count > 0)
            return LoadFiles(files);
        return LoadInCluster(env) ?? KubeConfig.Merge(Array.Empty<KubeConfigFile>());
    }

    public static KubeConfig LoadFiles(IEnumerable<string> files) =>
        KubeConfig.Merge(files.Select(KubeConfigFile.Load));

    /// <summary>
    /// The pod's service-account configuration (KUBERNETES_SERVICE_HOST/PORT, token, ca.crt, namespace), as a
    /// one-context config named "in-cluster" whose token is a tokenFile (so rotation is picked up). Null when the
    /// process does not run in a pod.
    /// </summary>
    public static KubeConfig? LoadInCluster(KubeEnvironment env)
    {
        var host = env.GetVariable("KUBERNETES_SERVICE_HOST");
        var port = env.GetVariable("KUBERNETES_SERVICE_PORT");
        var tokenFile = Path.Combine(env.ServiceAccountRoot, "token");
        if (string.IsNullOrEmpty(host) || string.IsNullOrEmpty(port) || !File.Exists(tokenFile))
            return null;
        if (IPAddress.TryParse(host, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6)
            host = "[" + host + "]";
        var caFile = Path.Combine(env.ServiceAccountRoot, "ca.crt");
        var nsFile = Path.Combine(env.ServiceAccountRoot, "namespace");
        var ns = File.Exists(nsFile) ? ReadNamespace(nsFile) : null;
        return KubeConfig.InCluster(
            new ClusterEntry { Name = InClusterName, Server = $"https://{host}:{port}", CertificateAuthority = File.Exists(caFile) ? caFile : null },
            new UserEntry { Name = InClusterName, TokenFile = tokenFile },
            new ContextEntry { Name = InClusterName, Cluster = InClusterName, User = InClusterName, Namespace = string.IsNullOrEmpty(ns) ? null : ns });
    }

    private static string ReadNamespace(string nsFile)
    {
        try
        {
            return BoundedFile.ReadText(nsFile, InputLimits.MaxCredentialFileBytes, "service-account namespace file").Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InputLimitException)
        {
            throw new KubeConfigException($"Cannot read the service-account namespace file '{nsFile}': {ex.Message}", nsFile, inner: ex);
        }
    }
}
