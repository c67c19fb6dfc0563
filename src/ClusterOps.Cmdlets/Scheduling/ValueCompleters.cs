using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using ClusterOps.Core.Scheduling;

namespace ClusterOps.Cmdlets.Scheduling;

/// <summary>Completes Get-KubeEvent -Kind with the kinds it accepts.</summary>
public sealed class KubeEventKindCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        KubeEventKinds.Complete(wordToComplete).Select(k => new CompletionResult(k, k, CompletionResultType.ParameterValue, k));
}

/// <summary>Completes -WeeklyDay with the exact spellings Stork accepts (Sunday, Sun, sunday, sun, ... Thur, Thurs).</summary>
public sealed class WeeklyDayCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        StorkWeekdays.AcceptedKeys
            .Where(k => k.StartsWith(wordToComplete ?? "", StringComparison.OrdinalIgnoreCase))
            .Select(k => new CompletionResult(k, k, CompletionResultType.ParameterValue, k));
}
