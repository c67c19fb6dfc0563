using ClusterOps.Core.Common;
using ClusterOps.Kubernetes.Config;

namespace ClusterOps.Core.Connection;

/// <summary>Lists the contexts of a merged kubeconfig for Get-KubeContext.</summary>
public static class KubeContextQuery
{
    /// <param name="config">The merged kubeconfig.</param>
    /// <param name="names">Wildcard patterns (none = all).</param>
    /// <param name="effectiveContext">The context cmdlets use by default (session default, else current-context).</param>
    /// <param name="sessionNamespace">The session default namespace for <paramref name="effectiveContext"/>, if any.</param>
    public static IEnumerable<KubeContextInfo> List(KubeConfig config, IEnumerable<string>? names, string? effectiveContext,
        string? sessionNamespace = null)
    {
        var patterns = NamePattern.From(names);
        foreach (var context in config.ContextsInOrder)
        {
            if (!NamePattern.MatchesAny(patterns, context.Name))
                continue;
            config.Clusters.TryGetValue(context.Cluster ?? "", out var cluster);
            config.Users.TryGetValue(context.User ?? "", out var user);
            var isCurrent = string.Equals(context.Name, effectiveContext, StringComparison.Ordinal);
            yield return new KubeContextInfo
            {
                Name = context.Name,
                Cluster = context.Cluster,
                Server = cluster?.Server,
                User = context.User,
                Namespace = isCurrent && !string.IsNullOrEmpty(sessionNamespace) ? sessionNamespace
                    : string.IsNullOrEmpty(context.Namespace) ? "default" : context.Namespace,
                IsCurrent = isCurrent,
                AuthMethod = (user is null ? AuthMethod.None : ResolvedContext.AuthMethodOf(user)).ToString(),
                SourceFile = context.SourceFile,
            };
        }
    }

    /// <summary>Names given without wildcards that matched nothing (reported as per-name errors).</summary>
    public static IEnumerable<string> Unmatched(KubeConfig config, IEnumerable<string>? names) =>
        NamePattern.From(names).Where(p => !p.HasWildcards && !config.Contexts.Keys.Any(p.IsMatch)).Select(p => p.Pattern);
}
