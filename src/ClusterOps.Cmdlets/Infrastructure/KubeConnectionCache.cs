using System.Collections.Concurrent;
using System.Globalization;
using ClusterOps.Kubernetes;
using ClusterOps.Kubernetes.Config;
using ClusterOps.Kubernetes.Errors;
using ClusterOps.Kubernetes.Http;

namespace ClusterOps.Cmdlets.Infrastructure;

/// <summary>What a cmdlet asked for: -KubeConfig, -Context, -Namespace (each optional), and whose Use-KubeContext
/// defaults apply (<see cref="KubeConnectionCache"/>'s defaults scope: the cmdlet's runspace).</summary>
public sealed record KubeSessionRequest(string? KubeConfig = null, string? Context = null, string? Namespace = null, string DefaultsScope = "");

/// <summary>Session defaults set by Use-KubeContext, tied to the kubeconfig file set they were chosen from.</summary>
public sealed record KubeSessionDefaults(string Context, string? Namespace, string FileSet);

/// <summary>
/// The per-process connection cache behind every cluster cmdlet. Nothing is read at import: the kubeconfig is
/// loaded on first use, per file set (explicit -KubeConfig, or the KUBECONFIG chain / ~/.kube/config), and loaded
/// again when a file's timestamp or size changes; clients are kept per file set + context so credentials (exec
/// results, token files) and connections are reused across cmdlets and runspaces. Use-KubeContext's defaults are kept
/// per scope (the cmdlets pass their runspace's id), so runspaces of ForEach-Object -Parallel, thread jobs or an
/// editor host never change each other's target. Thread-safe. Free of System.Management.Automation so tests drive it
/// directly.
/// </summary>
public sealed class KubeConnectionCache
{
    private readonly KubeEnvironment _environment;
    private readonly KubeClientOptions _options;
    private readonly Func<ResolvedContext, KubeClientOptions, KubeClient> _clientFactory;
    private readonly ConcurrentDictionary<string, (string Stamp, KubeConfig Config)> _configs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string Stamp, KubeClient Client)> _clients = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, KubeSessionDefaults> _defaults = new(StringComparer.Ordinal);

    public KubeConnectionCache(KubeEnvironment? environment = null, KubeClientOptions? options = null,
        Func<ResolvedContext, KubeClientOptions, KubeClient>? clientFactory = null)
    {
        _environment = environment ?? KubeEnvironment.Process;
        _options = options ?? new KubeClientOptions();
        _clientFactory = clientFactory ?? ((ctx, o) => KubeClient.Create(ctx, o));
    }

    /// <summary>The cache every cmdlet of this process uses.</summary>
    public static KubeConnectionCache Shared { get; } = new();

    /// <summary>The defaults of the unnamed scope (tests, tools).</summary>
    public KubeSessionDefaults? Defaults => DefaultsFor("");

    public KubeSessionDefaults? DefaultsFor(string scope) => _defaults.TryGetValue(scope, out var d) ? d : null;

    /// <summary>The merged kubeconfig for -KubeConfig (or the default chain), reloaded if a file changed.</summary>
    public KubeConfig LoadConfig(string? kubeConfigPath) => Load(kubeConfigPath).Config;

    /// <summary>Resolve the context and namespace for a cmdlet invocation and hand out a client reporting to <paramref name="log"/>.</summary>
    public KubeSession GetSession(KubeSessionRequest request, KubeLog? log = null)
    {
        var (fileSet, stamp, config) = Load(request.KubeConfig);
        var defaults = DefaultsFor(request.DefaultsScope) is { } d && d.FileSet == fileSet ? d : null;
        var contextName = !string.IsNullOrEmpty(request.Context) ? request.Context : defaults?.Context;
        var effectiveName = string.IsNullOrEmpty(contextName) ? config.CurrentContext : contextName;
        var sessionNamespace = defaults is not null && defaults.Context == effectiveName ? defaults.Namespace : null;
        var resolved = config.Resolve(contextName, string.IsNullOrEmpty(request.Namespace) ? sessionNamespace : request.Namespace);

        var key = fileSet + "\n" + resolved.ContextName;
        var entry = _clients.AddOrUpdate(key,
            _ => (stamp, _clientFactory(resolved, _options)),
            (_, existing) => existing.Stamp == stamp ? existing : (stamp, _clientFactory(resolved, _options)));
        var client = log is null ? entry.Client : entry.Client.WithLog(log);
        return new KubeSession(client, resolved.Namespace, resolved.ContextName, resolved);
    }

    /// <summary>
    /// Use-KubeContext: make <paramref name="context"/> (and optionally <paramref name="ns"/>) the default for
    /// cmdlets that use the same kubeconfig file set. Validates the context now. No file is written.
    /// </summary>
    public ResolvedContext SetDefaults(string? kubeConfigPath, string context, string? ns, string scope = "")
    {
        var (fileSet, _, config) = Load(kubeConfigPath);
        if (!config.Contexts.ContainsKey(context))
            throw new KubeContextNotFoundException(context,
                $"The context '{context}' does not exist in the kubeconfig. Known contexts: {string.Join(", ", config.Contexts.Keys)}.",
                config.Files.FirstOrDefault());
        var resolved = config.Resolve(context, ns);
        _defaults[scope] = new KubeSessionDefaults(context, string.IsNullOrEmpty(ns) ? null : ns, fileSet);
        return resolved;
    }

    /// <summary>The context ClusterOps cmdlets use by default for this file set (session default, else current-context).</summary>
    public string? EffectiveContext(string? kubeConfigPath, string scope = "")
    {
        var (fileSet, _, config) = Load(kubeConfigPath);
        return DefaultsFor(scope) is { } d && d.FileSet == fileSet ? d.Context : config.CurrentContext;
    }

    public void ClearDefaults(string scope = "") => _defaults.TryRemove(scope, out _);

    /// <summary>Get-KubeContext: the contexts of the file set, with IsCurrent and the session namespace applied.</summary>
    public IReadOnlyList<Core.Connection.KubeContextInfo> DescribeContexts(string? kubeConfigPath, IEnumerable<string>? names,
        out IReadOnlyList<string> unmatched, string scope = "")
    {
        var (fileSet, _, config) = Load(kubeConfigPath);
        var defaults = DefaultsFor(scope) is { } d && d.FileSet == fileSet ? d : null;
        var effective = defaults?.Context ?? config.CurrentContext;
        var list = names?.ToList();
        unmatched = Core.Connection.KubeContextQuery.Unmatched(config, list).ToList();
        return Core.Connection.KubeContextQuery.List(config, list, effective, defaults?.Namespace).ToList();
    }

    private (string FileSet, string Stamp, KubeConfig Config) Load(string? kubeConfigPath)
    {
        var files = KubeConfigLoader.SelectFiles(kubeConfigPath, _environment);
        var fileSet = files.Count == 0 ? "(in-cluster)" : string.Join("\n", files);
        var stamp = Stamp(files);
        if (_configs.TryGetValue(fileSet, out var cached) && cached.Stamp == stamp)
            return (fileSet, stamp, cached.Config);
        var config = files.Count == 0
            ? KubeConfigLoader.Load(null, _environment)
            : KubeConfigLoader.LoadFiles(files);
        _configs[fileSet] = (stamp, config);
        return (fileSet, stamp, config);
    }

    private static string Stamp(IReadOnlyList<string> files) => string.Join("|", files.Select(f =>
    {
        var info = new FileInfo(f);
        return info.Exists
            ? info.LastWriteTimeUtc.Ticks.ToString(CultureInfo.InvariantCulture) + ":" + info.Length.ToString(CultureInfo.InvariantCulture)
            : "missing";
    }));
}
