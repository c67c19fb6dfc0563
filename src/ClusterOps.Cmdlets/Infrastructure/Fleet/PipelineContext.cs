using System.Collections.Concurrent;
using System.Management.Automation;
using System.Reflection;
using ClusterOps.Core.Common;
using ClusterOps.Core.Connection;

namespace ClusterOps.Cmdlets.Infrastructure.Fleet;

/// <summary>
/// What a pipeline object means to a cluster cmdlet. A context (Get-KubeContext's output) means "run in this context":
/// PowerShell has bound its Context property to -Context, but also its Name to -Name and its Namespace to -Namespace,
/// which would make Get-PersistentVolumeClaim look for a claim named after the context, or Remove-SchedulePolicy
/// remove a policy of that name. Those values are taken back here, before any work; a parameter that only the context
/// object had filled and that the cmdlet requires is then an error for that record.
/// </summary>
internal static class PipelineContext
{
    private static readonly ConcurrentDictionary<Type, object> Defaults = new();

    // The context object whose properties PowerShell is binding right now, on this (the pipeline) thread. PowerShell
    // binds ValueFromPipeline parameters before by-property-name ones, so KubeCmdlet.PipelineInput's setter sees the
    // object first; name validation then lets its Name and Namespace through (an EKS context is named like
    // "arn:aws:eks:...:cluster/prod", no valid object name), since Accept takes them back before any use.
    [ThreadStatic] private static KubeContextInfo? _binding;

    /// <summary>Called by the PipelineInput setter with each pipeline object.</summary>
    public static void Binding(PSObject? input) => _binding = input?.BaseObject as KubeContextInfo;

    /// <summary>True when <paramref name="value"/> is being bound from a piped context object (see <see cref="Accept"/>).</summary>
    public static bool IsBindingFromContext(string value) =>
        _binding is { } context && (value == context.Name || value == context.Namespace);

    /// <summary>True when the record should be processed. Runs on the pipeline thread, after pipeline binding.</summary>
    public static bool Accept(KubeCmdlet cmdlet, PSObject? input, IReadOnlySet<string> commandLine)
    {
        _binding = null;
        if (input is null)
            return true;
        var bound = cmdlet.MyInvocation.BoundParameters;
        var fromPipeline = bound.Keys
            .Where(k => !commandLine.Contains(k) && k != nameof(KubeCmdlet.PipelineInput))
            .ToList();
        if (input.BaseObject is not KubeContextInfo)
        {
            if (fromPipeline.Count > 0)
                return true;
            // Without the catch-all pipeline parameter PowerShell itself would have refused this object.
            cmdlet.WriteError(ErrorRecords.Create(new OperationException(FleetErrorIds.InputObjectNotBound, FailureKind.InvalidArgument,
                $"The input object cannot be bound to any parameter of {cmdlet.MyInvocation.MyCommand.Name}: none of its properties " +
                "matches a parameter that takes pipeline input by property name (Name, Namespace, Context, ...).", input.BaseObject)));
            return false;
        }

        var type = cmdlet.GetType();
        var defaults = Defaults.GetOrAdd(type, t => Activator.CreateInstance(t)!);
        var missing = new List<string>();
        foreach (var name in fromPipeline.Where(k => !string.Equals(k, nameof(KubeCmdlet.Context), StringComparison.OrdinalIgnoreCase)))
        {
            var property = type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null)
                continue;
            property.SetValue(cmdlet, property.GetValue(defaults));
            bound.Remove(name);
            if (IsMandatory(property, cmdlet.ParameterSetName))
                missing.Add(name);
        }
        if (missing.Count == 0)
            return true;
        var context = ((KubeContextInfo)input.BaseObject).Name;
        cmdlet.WriteError(ErrorRecords.Create(new OperationException(FleetErrorIds.PipedContextGivesNoName, FailureKind.InvalidArgument,
            $"A kubeconfig context piped into {cmdlet.MyInvocation.MyCommand.Name} only selects where to run ('{context}'); it does not supply " +
            $"-{string.Join(", -", missing)}. Give {(missing.Count == 1 ? "it" : "them")} on the command line, for example " +
            $"Get-KubeContext '{context}' | {cmdlet.MyInvocation.MyCommand.Name} -{missing[0]} <value>.", context)));
        return false;
    }

    private static bool IsMandatory(PropertyInfo property, string parameterSet) =>
        property.GetCustomAttributes<ParameterAttribute>().Any(p => p.Mandatory
            && (p.ParameterSetName == ParameterAttribute.AllParameterSets || p.ParameterSetName == parameterSet));
}
