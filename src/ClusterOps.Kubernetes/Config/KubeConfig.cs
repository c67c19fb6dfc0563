using ClusterOps.Kubernetes.Errors;

namespace ClusterOps.Kubernetes.Config;

/// <summary>
/// The merged view of one or more kubeconfig files, following kubectl's rules: for each named cluster, user and
/// context the first file that defines the name wins the whole stanza (no field-level merge); the first non-empty
/// current-context wins; names are case-sensitive.
/// </summary>
public sealed class KubeConfig
{
    private readonly Dictionary<string, ClusterEntry> _clusters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, UserEntry> _users = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ContextEntry> _contexts = new(StringComparer.Ordinal);
    private readonly List<ContextEntry> _contextOrder = new();

    private KubeConfig(IReadOnlyList<string> files, bool isInCluster)
    {
        Files = files;
        IsInCluster = isInCluster;
    }

    /// <summary>The files that were read, in precedence order (missing ones are not listed).</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>True when synthesized from the pod's service account (no kubeconfig file was found).</summary>
    public bool IsInCluster { get; }

    public string? CurrentContext { get; private set; }
    public IReadOnlyDictionary<string, ClusterEntry> Clusters => _clusters;
    public IReadOnlyDictionary<string, UserEntry> Users => _users;
    public IReadOnlyDictionary<string, ContextEntry> Contexts => _contexts;

    /// <summary>Contexts in the order they were first defined across files.</summary>
    public IReadOnlyList<ContextEntry> ContextsInOrder => _contextOrder;

    /// <summary>Merge parsed files in precedence order.</summary>
    public static KubeConfig Merge(IEnumerable<KubeConfigFile> files, bool isInCluster = false)
    {
        var list = files.ToList();
        var config = new KubeConfig(list.Select(f => f.Path).ToArray(), isInCluster);
        foreach (var file in list)
        {
            if (string.IsNullOrEmpty(config.CurrentContext) && !string.IsNullOrEmpty(file.CurrentContext))
                config.CurrentContext = file.CurrentContext;
            foreach (var c in file.Clusters)
                config._clusters.TryAdd(c.Name, c);
            foreach (var u in file.Users)
                config._users.TryAdd(u.Name, u);
            foreach (var c in file.Contexts)
            {
                if (config._contexts.TryAdd(c.Name, c))
                    config._contextOrder.Add(c);
            }
        }
        return config;
    }

    internal static KubeConfig InCluster(ClusterEntry cluster, UserEntry user, ContextEntry context)
    {
        var config = new KubeConfig(Array.Empty<string>(), isInCluster: true) { CurrentContext = context.Name };
        config._clusters[cluster.Name] = cluster;
        config._users[user.Name] = user;
        config._contexts[context.Name] = context;
        config._contextOrder.Add(context);
        return config;
    }

    /// <summary>
    /// Pick the context (<paramref name="contextName"/> beats current-context) and its cluster and user, and the
    /// effective namespace (<paramref name="namespaceOverride"/>, else the context's, else "default").
    /// </summary>
    public ResolvedContext Resolve(string? contextName = null, string? namespaceOverride = null)
    {
        var name = string.IsNullOrEmpty(contextName) ? CurrentContext : contextName;
        if (string.IsNullOrEmpty(name) && Files.Count == 0 && !IsInCluster)
            throw new KubeConfigNotFoundException(
                "No kubeconfig was found: set KUBECONFIG, pass -KubeConfig, or create ~/.kube/config.");
        if (string.IsNullOrEmpty(name))
            throw new KubeConfigException(
                $"No context is selected: {Describe()} has no current-context. Pass -Context, or run Use-KubeContext.",
                Files.FirstOrDefault());
        if (!_contexts.TryGetValue(name, out var context))
            throw new KubeContextNotFoundException(name,
                $"The context '{name}' does not exist in {Describe()}. Known contexts: {KnownNames(_contexts.Keys)}.",
                Files.FirstOrDefault());
        if (string.IsNullOrEmpty(context.Cluster) || !_clusters.TryGetValue(context.Cluster, out var cluster))
            throw new KubeConfigException(
                $"The context '{name}' refers to the cluster '{context.Cluster}', which is not defined in {Describe()}.",
                context.SourceFile);
        if (string.IsNullOrEmpty(cluster.Server))
            throw new KubeConfigException(
                $"The cluster '{cluster.Name}' (context '{name}') has no server address.", cluster.SourceFile);
        UserEntry user;
        if (string.IsNullOrEmpty(context.User))
            user = UserEntry.Anonymous("");
        else if (!_users.TryGetValue(context.User, out user!))
            throw new KubeConfigException(
                $"The context '{name}' refers to the user '{context.User}', which is not defined in {Describe()}.",
                context.SourceFile);
        var ns = !string.IsNullOrEmpty(namespaceOverride) ? namespaceOverride
            : !string.IsNullOrEmpty(context.Namespace) ? context.Namespace
            : "default";
        return new ResolvedContext(name, context, cluster, user, ns, this);
    }

    private string Describe() => IsInCluster ? "the in-cluster configuration"
        : Files.Count == 0 ? "the kubeconfig (no file found)"
        : Files.Count == 1 ? $"the kubeconfig '{Files[0]}'"
        : $"the kubeconfig files '{string.Join("', '", Files)}'";

    private static string KnownNames(IEnumerable<string> names)
    {
        var all = names.ToList();
        return all.Count == 0 ? "(none)" : string.Join(", ", all);
    }
}
