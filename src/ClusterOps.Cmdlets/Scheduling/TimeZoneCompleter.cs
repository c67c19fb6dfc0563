using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using ClusterOps.Core.Scheduling;

namespace ClusterOps.Cmdlets.Scheduling;

/// <summary>Completes -TimeZone with the zone ids this machine knows ("Paris" finds Europe/Paris).</summary>
public sealed class TimeZoneCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        TimeZoneNames.Complete(wordToComplete).Select(id => new CompletionResult(id, id, CompletionResultType.ParameterValue, id));
}
