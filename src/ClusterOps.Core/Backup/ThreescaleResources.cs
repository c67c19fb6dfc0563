using System.Text.Json.Nodes;
using ClusterOps.Core.Common;
using ClusterOps.Kubernetes.Errors;
using ClusterOps.Kubernetes.Http;
using ClusterOps.Kubernetes.Resources;

namespace ClusterOps.Core.Backup;

/// <summary>The resources backup and restore read, all as JsonObject so no field is ever dropped.</summary>
internal static class ThreescaleResources
{
    public static readonly ResourceType<JsonObject> ApiManagers =
        ResourceType.Custom(ThreescaleApi.Group, ThreescaleApi.Version, ThreescaleApi.ApiManagerPlural, ThreescaleApi.ApiManagerKind, true);
    public static readonly ResourceType<JsonObject> Backups =
        ResourceType.Custom(ThreescaleApi.Group, ThreescaleApi.Version, ThreescaleApi.BackupPlural, ThreescaleApi.BackupKind, true);
    public static readonly ResourceType<JsonObject> Restores =
        ResourceType.Custom(ThreescaleApi.Group, ThreescaleApi.Version, ThreescaleApi.RestorePlural, ThreescaleApi.RestoreKind, true);
    public static readonly ResourceType<JsonObject> Claims =
        ResourceType.Custom("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", true);
    public static readonly ResourceType<JsonObject> Jobs = ResourceType.Custom("batch", "v1", "jobs", "Job", true);
    public static readonly ResourceType<JsonObject> Pods = ResourceType.Custom("", "v1", "pods", "Pod", true);

    /// <summary>Fails with a friendly, stable error when the 3scale operator's CRDs are not installed.</summary>
    public static async Task EnsureInstalledAsync(KubeClient client, string plural, CancellationToken cancellationToken)
    {
        try
        {
            await client.Discovery.EnsureResourceAsync(ThreescaleApi.Group, ThreescaleApi.Version, plural, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiGroupNotInstalledException ex)
        {
            throw new OperationException(BackupErrorIds.CrdsNotInstalled, FailureKind.NotInstalled,
                $"The 3scale operator's CRDs ({plural}.{ThreescaleApi.Group}/{ThreescaleApi.Version}) are not installed in this cluster: {ex.Message}",
                plural)
            {
                RecommendedAction = "Install the 3scale operator (it provides APIManager, APIManagerBackup and APIManagerRestore), or select the right cluster with -Context.",
            };
        }
    }

    /// <summary>Names of the objects of a kind in a namespace (the objects themselves are dropped at once).</summary>
    public static async Task<IReadOnlySet<string>> NamesAsync<T>(KubeClient client, ResourceType<T> type, string ns, CancellationToken ct)
        where T : class, IKubeObject
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var item in client.ListAsync(type, ns, null, ct).ConfigureAwait(false))
            names.Add(item.Metadata.Name ?? "");
        return names;
    }
}

/// <summary>PowerShell-style wildcards (* ? [abc]) for -Name, without System.Management.Automation.</summary>
internal static class NamePattern
{
    public static bool HasWildcard(string pattern) => pattern.IndexOfAny(new[] { '*', '?', '[' }) >= 0;

    public static bool Matches(string name, IReadOnlyList<string>? patterns) =>
        patterns is null || patterns.Count == 0 || patterns.Any(p => Matches(name, p));

    public static bool Matches(string name, string pattern)
    {
        if (!HasWildcard(pattern))
            return string.Equals(name, pattern, StringComparison.OrdinalIgnoreCase);
        var regex = new System.Text.StringBuilder("^");
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            switch (c)
            {
                case '*': regex.Append(".*"); break;
                case '?': regex.Append('.'); break;
                case '[':
                    int close = pattern.IndexOf(']', i + 1);
                    if (close < 0) { regex.Append("\\["); break; }
                    regex.Append('[').Append(pattern[(i + 1)..close].Replace("\\", "\\\\", StringComparison.Ordinal)).Append(']');
                    i = close;
                    break;
                case '`' when i + 1 < pattern.Length:
                    regex.Append(System.Text.RegularExpressions.Regex.Escape(pattern[++i].ToString()));
                    break;
                default: regex.Append(System.Text.RegularExpressions.Regex.Escape(c.ToString())); break;
            }
        }
        return System.Text.RegularExpressions.Regex.IsMatch(name, regex.Append('$').ToString(),
            System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);
    }
}
