using System.Management.Automation;
using ClusterOps.Cmdlets.Infrastructure;
using ClusterOps.Core.Scheduling;
using ClusterOps.Kubernetes;

namespace ClusterOps.Cmdlets.Scheduling;

/// <summary>Get-SchedulePolicy: storkctl get schedulepolicy, or the NamespacedSchedulePolicies of -Namespace.</summary>
[Cmdlet(VerbsCommon.Get, "SchedulePolicy")]
[OutputType(typeof(SchedulePolicyInfo))]
public sealed class GetSchedulePolicyCommand : KubeCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SchedulePolicyNameCompleter))]
    [ValidateKubeName(AllowWildcards = true)]
    public string[]? Name { get; set; }

    /// <summary>Given: the NamespacedSchedulePolicies of that namespace instead of the cluster's SchedulePolicies.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(KubeNamespaceCompleter))]
    [ValidateNotNullOrEmpty]
    [ValidateKubeName(KubeNameRule.Namespace)]
    [Alias("n")]
    public string? Namespace { get; set; }

    protected override Task ProcessAsync(KubeSession session, CancellationToken cancellationToken) =>
        WriteAllAsync(new SchedulePolicyOperations(session.Client).GetAsync(new SchedulePolicyQuery(Name, Namespace), Operation, cancellationToken));
}
