using ClusterOps.Kubernetes.Config;

namespace ClusterOps.Cmdlets.Infrastructure;

/// <summary>Tab-completion of context names (pure: the completer wraps it and never throws).</summary>
public static class KubeContextNames
{
    /// <summary>Context names starting with <paramref name="word"/> (case-insensitive, quotes stripped), in file order.</summary>
    public static IReadOnlyList<string> Complete(KubeConfig config, string? word)
    {
        var prefix = (word ?? "").Trim('\'', '"');
        return config.ContextsInOrder
            .Select(c => c.Name)
            .Where(n => n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .ToList();
    }

    /// <summary>Quote a name for the command line when it contains characters PowerShell would split on.</summary>
    public static string Quote(string name) =>
        name.Length > 0 && name.All(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' or '@' or '/' or ':')
            ? name
            : "'" + name.Replace("'", "''", StringComparison.Ordinal) + "'";
}
