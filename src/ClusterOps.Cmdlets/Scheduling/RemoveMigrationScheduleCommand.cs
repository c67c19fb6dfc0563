using System.Management.Automation;
using ClusterOps.Cmdlets.Infrastructure;
using ClusterOps.Core.Scheduling;
using ClusterOps.Kubernetes;

namespace ClusterOps.Cmdlets.Scheduling;

/// <summary>Remove-MigrationSchedule: deletes the schedule; Stork's finalizer deletes its Migrations with it.</summary>
[Cmdlet(VerbsCommon.Remove, "MigrationSchedule", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(MigrationScheduleInfo))]
public sealed class RemoveMigrationScheduleCommand : NamespacedKubeCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(MigrationScheduleNameCompleter))]
    [ValidateKubeName()]
    public string[] Name { get; set; } = [];

    [Parameter] public SwitchParameter Force { get; set; }
    [Parameter] public SwitchParameter PassThru { get; set; }

    protected override async Task ProcessAsync(KubeSession session, CancellationToken cancellationToken)
    {
        var context = ConfirmationFor(Force);
        var operations = new MigrationScheduleOperations(session.Client);
        foreach (var name in Name)
        {
            try
            {
                var removed = await operations.RemoveAsync(name, session.Namespace, context).ConfigureAwait(false);
                if (PassThru && removed is not null)
                    WriteObject(removed);
            }
            catch (Core.Common.OperationException ex) when (ex.Kind == Core.Common.FailureKind.ObjectNotFound)
            {
                // A missing schedule must not stop the others.
                context.WriteError(ex, name);
            }
        }
    }
}
