using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using ClusterOps.Kubernetes.Http;

namespace ClusterOps.Cmdlets.Infrastructure;

/// <summary>
/// Base of every completer of object names: resolves the cluster the command line names (-KubeConfig, -Context,
/// -Namespace, else the session defaults) and offers what the Core lookup returns. Never throws.
/// </summary>
public abstract class ClusterNameCompleter : IArgumentCompleter
{
    /// <summary>False for cluster-scoped names: only a typed -Namespace is passed on, never the default one.</summary>
    protected virtual bool UsesSessionNamespace => true;

    /// <summary>The names to offer; bounded, cached and exception-free (Core's NameCompletion does that).</summary>
    protected abstract Task<IReadOnlyList<string>> CompleteAsync(KubeClient client, string? ns, string wordToComplete);

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            var typedNamespace = fakeBoundParameters?["Namespace"] as string;
            var session = KubeConnectionCache.Shared.GetSession(new KubeSessionRequest(
                fakeBoundParameters?["KubeConfig"] as string, fakeBoundParameters?["Context"] as string, typedNamespace, RunspaceScope.Current));
            var ns = UsesSessionNamespace ? session.Namespace : typedNamespace;
            // Completion runs on the pipeline thread: the bounded lookup runs off it.
            return Task.Run(() => CompleteAsync(session.Client, ns, wordToComplete)).GetAwaiter().GetResult()
                .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n))
                .ToList();
        }
        catch (Exception)
        {
            // No kubeconfig, no cluster: completion simply offers nothing.
            return Array.Empty<CompletionResult>();
        }
    }
}
