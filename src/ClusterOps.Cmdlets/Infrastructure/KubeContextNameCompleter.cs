using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace ClusterOps.Cmdlets.Infrastructure;

/// <summary>Completes -Context / -Name with the context names of the kubeconfig in use (honours -KubeConfig).</summary>
public sealed class KubeContextNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            var kubeConfig = fakeBoundParameters?["KubeConfig"] as string;
            var config = KubeConnectionCache.Shared.LoadConfig(kubeConfig);
            return KubeContextNames.Complete(config, wordToComplete)
                .Select(n => new CompletionResult(KubeContextNames.Quote(n), n, CompletionResultType.ParameterValue, n))
                .ToList();
        }
        catch (Exception)
        {
            // A completer must never throw: a broken kubeconfig simply offers nothing.
            return Array.Empty<CompletionResult>();
        }
    }
}
