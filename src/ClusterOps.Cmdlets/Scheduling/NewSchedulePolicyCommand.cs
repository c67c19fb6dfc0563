using System.Management.Automation;
using ClusterOps.Cmdlets.Infrastructure;
using ClusterOps.Core.Scheduling;
using ClusterOps.Kubernetes;

namespace ClusterOps.Cmdlets.Scheduling;

/// <summary>New-SchedulePolicy: a cluster SchedulePolicy, or a NamespacedSchedulePolicy with -Namespace, validated as Stork does.</summary>
[Cmdlet(VerbsCommon.New, "SchedulePolicy", SupportsShouldProcess = true)]
[OutputType(typeof(SchedulePolicyInfo))]
public sealed class NewSchedulePolicyCommand : SchedulePolicySectionsCommand
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ValidateKubeName()]
    public string Name { get; set; } = "";

    /// <summary>Given: a NamespacedSchedulePolicy in that namespace. Absent: a cluster-scoped SchedulePolicy.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(KubeNamespaceCompleter))]
    [ValidateKubeName(KubeNameRule.Namespace)]
    [Alias("n")]
    public string? Namespace { get; set; }

    [Parameter] public SwitchParameter PassThru { get; set; }

    protected override async Task ProcessAsync(KubeSession session, CancellationToken cancellationToken)
    {
        var created = await new SchedulePolicyOperations(session.Client).CreateAsync(Name, string.IsNullOrEmpty(Namespace) ? null : Namespace,
            Sections(), Operation).ConfigureAwait(false);
        if (PassThru && created is not null)
            WriteObject(created);
    }
}
