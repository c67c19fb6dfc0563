using System.Management.Automation;
using ClusterOps.Cmdlets.Infrastructure;
using ClusterOps.Core.Scheduling;
using ClusterOps.Kubernetes;

namespace ClusterOps.Cmdlets.Scheduling;

/// <summary>Remove-SchedulePolicy: refused while a MigrationSchedule in any namespace uses the policy, unless -Force.</summary>
[Cmdlet(VerbsCommon.Remove, "SchedulePolicy", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(SchedulePolicyInfo))]
public sealed class RemoveSchedulePolicyCommand : KubeCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SchedulePolicyNameCompleter))]
    [ValidateKubeName()]
    public string[] Name { get; set; } = [];

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(KubeNamespaceCompleter))]
    [ValidateKubeName(KubeNameRule.Namespace)]
    [Alias("n")]
    public string? Namespace { get; set; }

    /// <summary>Remove even while schedules use the policy, and without a prompt.</summary>
    [Parameter] public SwitchParameter Force { get; set; }
    [Parameter] public SwitchParameter PassThru { get; set; }

    protected override async Task ProcessAsync(KubeSession session, CancellationToken cancellationToken)
    {
        var context = ConfirmationFor(Force);
        var operations = new SchedulePolicyOperations(session.Client);
        foreach (var name in Name)
        {
            try
            {
                var removed = await operations.RemoveAsync(name, string.IsNullOrEmpty(Namespace) ? null : Namespace, Force, context).ConfigureAwait(false);
                if (PassThru && removed is not null)
                    WriteObject(removed);
            }
            catch (Core.Common.OperationException ex) when (ex.Kind is Core.Common.FailureKind.ObjectNotFound or Core.Common.FailureKind.ResourceBusy)
            {
                // One policy in use or missing must not stop the removal of the others.
                context.WriteError(ex, name);
            }
        }
    }
}
