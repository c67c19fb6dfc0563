using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using ClusterOps.Cmdlets.Infrastructure;
using ClusterOps.Core.Scheduling;

namespace ClusterOps.Cmdlets.Scheduling;

/// <summary>
/// Tab completion of Stork object names from the cluster the command line names (-KubeConfig, -Context, -Namespace).
/// Bounded and cached in Core; any failure offers nothing, because a completer must never throw.
/// </summary>
public abstract class StorkNameCompleter : IArgumentCompleter
{
    protected abstract StorkNameKind Kind { get; }

    /// <summary>Cluster-scoped names need no namespace unless -Namespace is typed.</summary>
    protected virtual bool NeedsNamespace => true;

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            var typedNamespace = fakeBoundParameters?["Namespace"] as string;
            var session = KubeConnectionCache.Shared.GetSession(new KubeSessionRequest(
                fakeBoundParameters?["KubeConfig"] as string, fakeBoundParameters?["Context"] as string, typedNamespace));
            var ns = NeedsNamespace ? session.Namespace : typedNamespace;
            return Task.Run(() => StorkNameCompletion.CompleteAsync(session.Client, Kind, ns, wordToComplete)).GetAwaiter().GetResult()
                .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n))
                .ToList();
        }
        catch (Exception)
        {
            return Array.Empty<CompletionResult>();
        }
    }
}

/// <summary>Policy names for the policy cmdlets: cluster policies, or the namespaced ones of a typed -Namespace.</summary>
public sealed class SchedulePolicyNameCompleter : StorkNameCompleter
{
    protected override StorkNameKind Kind => StorkNameKind.SchedulePolicy;
    protected override bool NeedsNamespace => false;
}

/// <summary>Policy names a schedule of the namespace can use: its namespaced policies and the cluster's.</summary>
public sealed class SchedulePolicyForScheduleCompleter : StorkNameCompleter
{
    protected override StorkNameKind Kind => StorkNameKind.SchedulePolicy;
}

public sealed class MigrationScheduleNameCompleter : StorkNameCompleter
{
    protected override StorkNameKind Kind => StorkNameKind.MigrationSchedule;
}

public sealed class MigrationNameCompleter : StorkNameCompleter
{
    protected override StorkNameKind Kind => StorkNameKind.Migration;
}

public sealed class ClusterPairNameCompleter : StorkNameCompleter
{
    protected override StorkNameKind Kind => StorkNameKind.ClusterPair;
}
