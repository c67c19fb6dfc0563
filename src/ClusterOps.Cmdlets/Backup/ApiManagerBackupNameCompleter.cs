using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using ClusterOps.Cmdlets.Infrastructure;
using ClusterOps.Core.Backup;

namespace ClusterOps.Cmdlets.Backup;

/// <summary>Completes backup names from the cluster and namespace the command line already names.</summary>
public class ApiManagerBackupNameCompleter : IArgumentCompleter
{
    protected virtual bool Restores => false;

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            var session = KubeConnectionCache.Shared.GetSession(new KubeSessionRequest(
                fakeBoundParameters?["KubeConfig"] as string, fakeBoundParameters?["Context"] as string, fakeBoundParameters?["Namespace"] as string));
            return BackupNameCompletion.CompleteAsync(session.Client, session.Namespace, wordToComplete, Restores)
                .GetAwaiter().GetResult()
                .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n))
                .ToList();
        }
        catch (Exception)
        {
            // A completer must never throw: no kubeconfig or no cluster simply offers nothing.
            return Array.Empty<CompletionResult>();
        }
    }
}

/// <summary>Completes restore names.</summary>
public sealed class ApiManagerRestoreNameCompleter : ApiManagerBackupNameCompleter
{
    protected override bool Restores => true;
}
