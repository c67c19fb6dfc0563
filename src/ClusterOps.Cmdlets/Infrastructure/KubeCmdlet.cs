using System.Management.Automation;
using ClusterOps.Core.Common;
using ClusterOps.Kubernetes;
using ClusterOps.Kubernetes.Errors;
using ClusterOps.Kubernetes.Http;

namespace ClusterOps.Cmdlets.Infrastructure;

/// <summary>
/// Base of every cmdlet that talks to a cluster: adds -Context and -KubeConfig, resolves the connection through
/// <see cref="KubeConnectionCache.Shared"/> on first use, and hands the derived cmdlet a <see cref="KubeSession"/>
/// whose client reports HTTP traces to Write-Verbose and TLS warnings to Write-Warning.
/// </summary>
public abstract class KubeCmdlet : ClusterOpsCmdlet
{
    /// <summary>The kubeconfig context to use instead of the session default / current-context.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(KubeContextNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Context { get; set; }

    /// <summary>A kubeconfig file used alone, instead of KUBECONFIG / ~/.kube/config.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KubeConfig { get; set; }

    /// <summary>-Namespace of namespaced cmdlets; null for cluster-scoped ones.</summary>
    protected virtual string? NamespaceParameter => null;

    /// <summary>The cmdlet's work for one pipeline record, with a resolved session.</summary>
    protected abstract Task ProcessAsync(KubeSession session, CancellationToken cancellationToken);

    private volatile string? _server;

    protected override string? ConnectedServer => _server;

    /// <summary>
    /// Called when there is no kubeconfig to connect with; return true when the cmdlet has answered the record itself
    /// (Test-KubeConnection reports it as data), false to fail with KubeConfigNotFound.
    /// </summary>
    protected virtual bool AnswerWithoutKubeConfig(KubeConfigNotFoundException missing) => false;

    protected sealed override Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        KubeSession session;
        try
        {
            session = KubeConnectionCache.Shared.GetSession(
                new KubeSessionRequest(string.IsNullOrEmpty(KubeConfig) ? null : ResolvePath(KubeConfig), Context, NamespaceParameter),
                new KubeLog(Operation.WriteVerbose, Operation.WriteWarning));
        }
        catch (KubeConfigNotFoundException missing) when (AnswerWithoutKubeConfig(missing))
        {
            return Task.CompletedTask;
        }
        _server = session.Client.Server.ToString();
        return ProcessAsync(session, cancellationToken);
    }


}

/// <summary>A cluster cmdlet on namespaced objects: adds -Namespace (default: the session's / context's namespace).</summary>
public abstract class NamespacedKubeCmdlet : KubeCmdlet
{
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(KubeNamespaceCompleter))]
    [ValidateNotNullOrEmpty]
    [ValidateKubeName(KubeNameRule.Namespace)]
    [Alias("n")]
    public string? Namespace { get; set; }

    protected override string? NamespaceParameter => Namespace;
}
