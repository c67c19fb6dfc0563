using System.Management.Automation;
using ClusterOps.Cmdlets.Infrastructure;
using ClusterOps.Core.Scheduling;
using ClusterOps.Kubernetes;

namespace ClusterOps.Cmdlets.Scheduling;

/// <summary>Set-SchedulePolicy: changes or clears sections with a merge patch; fields ClusterOps does not know are kept.</summary>
[Cmdlet(VerbsCommon.Set, "SchedulePolicy", SupportsShouldProcess = true)]
[OutputType(typeof(SchedulePolicyInfo))]
public sealed class SetSchedulePolicyCommand : SchedulePolicySectionsCommand
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SchedulePolicyNameCompleter))]
    [ValidateKubeName()]
    public string Name { get; set; } = "";

    /// <summary>Sections to remove from the policy.</summary>
    [Parameter] public SchedulePolicyType[] Clear { get; set; } = [];

    /// <summary>A NamespacedSchedulePolicy's namespace; absent (or empty, as piped from a cluster policy) for a SchedulePolicy.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(KubeNamespaceCompleter))]
    [ValidateKubeName(KubeNameRule.Namespace)]
    [Alias("n")]
    public string? Namespace { get; set; }

    [Parameter] public SwitchParameter PassThru { get; set; }

    protected override async Task ProcessAsync(KubeSession session, CancellationToken cancellationToken)
    {
        var changed = await new SchedulePolicyOperations(session.Client).SetAsync(Name, string.IsNullOrEmpty(Namespace) ? null : Namespace,
            Sections(), Clear, Operation).ConfigureAwait(false);
        if (PassThru && changed is not null)
            WriteObject(changed);
    }
}
