using System.Management.Automation;
using ClusterOps.Cmdlets.Infrastructure;
using ClusterOps.Core.Scheduling;
using ClusterOps.Kubernetes;

namespace ClusterOps.Cmdlets.Scheduling;

/// <summary>Suspend-MigrationSchedule: stops Stork from starting new migrations for the schedule (storkctl suspend migrationschedule).</summary>
[Cmdlet(VerbsLifecycle.Suspend, "MigrationSchedule", SupportsShouldProcess = true)]
[OutputType(typeof(MigrationScheduleInfo))]
public sealed class SuspendMigrationScheduleCommand : NamespacedKubeCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(MigrationScheduleNameCompleter))]
    public string[] Name { get; set; } = [];

    [Parameter] public SwitchParameter PassThru { get; set; }

    protected override async Task ProcessAsync(KubeSession session, CancellationToken cancellationToken)
    {
        var operations = new MigrationScheduleOperations(session.Client);
        foreach (var name in Name)
        {
            try
            {
                var result = await operations.SetSuspendAsync(name, session.Namespace, suspend: true, Operation).ConfigureAwait(false);
                if (PassThru && result is not null)
                    WriteObject(result);
            }
            catch (Core.Common.OperationException ex) when (ex.Kind == Core.Common.FailureKind.ObjectNotFound)
            {
                // A missing schedule must not stop the others.
                Operation.WriteError(ex, name);
            }
        }
    }
}
