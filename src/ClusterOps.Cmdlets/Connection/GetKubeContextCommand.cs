using System.Management.Automation;
using ClusterOps.Cmdlets.Infrastructure;
using ClusterOps.Core.Common;
using ClusterOps.Core.Connection;

namespace ClusterOps.Cmdlets.Connection;

/// <summary>Lists kubeconfig contexts (merged as kubectl merges them) with their cluster, user and auth method.</summary>
[Cmdlet(VerbsCommon.Get, "KubeContext", DefaultParameterSetName = DefaultSet)]
[OutputType(typeof(KubeContextInfo))]
public sealed class GetKubeContextCommand : ClusterOpsCmdlet
{
    private const string DefaultSet = "Default";

    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = DefaultSet)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(KubeContextNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    [Parameter(ParameterSetName = DefaultSet)]
    [ValidateNotNullOrEmpty]
    public string? KubeConfig { get; set; }

    protected override Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        var path = string.IsNullOrEmpty(KubeConfig) ? null : ResolvePath(KubeConfig);
        var contexts = KubeConnectionCache.Shared.DescribeContexts(path, Name, out var unmatched, DefaultsScope);
        foreach (var context in contexts)
            WriteObject(context);
        foreach (var name in unmatched)
            Operation.WriteError(new OperationException("KubeContextNotFound", FailureKind.ObjectNotFound,
                $"The context '{name}' does not exist in the kubeconfig.", name), name);
        return Task.CompletedTask;
    }
}
