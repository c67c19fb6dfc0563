using System.Management.Automation;
using ClusterOps.Cmdlets.Infrastructure;
using ClusterOps.Core.Common;
using ClusterOps.Core.Scheduling;
using ClusterOps.Kubernetes;

namespace ClusterOps.Cmdlets.Scheduling;

/// <summary>Suspend- and Resume-MigrationSchedule: the same patch of spec.suspend, one value each.</summary>
public abstract class MigrationScheduleSuspensionCommand : NamespacedKubeCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(MigrationScheduleNameCompleter))]
    [ValidateKubeName()]
    public string[] Name { get; set; } = [];

    [Parameter] public SwitchParameter PassThru { get; set; }

    protected abstract bool Suspend { get; }

    protected override async Task ProcessAsync(KubeSession session, CancellationToken cancellationToken)
    {
        var operations = new MigrationScheduleOperations(session.Client);
        foreach (var name in Name)
        {
            try
            {
                var result = await operations.SetSuspendAsync(name, session.Namespace, Suspend, Operation).ConfigureAwait(false);
                if (PassThru && result is not null)
                    WriteObject(result);
            }
            catch (OperationException ex) when (ex.Kind == FailureKind.ObjectNotFound)
            {
                // A missing schedule must not stop the others.
                Operation.WriteError(ex, name);
            }
        }
    }
}

/// <summary>Suspend-MigrationSchedule: stops Stork from starting new migrations for the schedule (storkctl suspend migrationschedule).</summary>
[Cmdlet(VerbsLifecycle.Suspend, "MigrationSchedule", SupportsShouldProcess = true)]
[OutputType(typeof(MigrationScheduleInfo))]
public sealed class SuspendMigrationScheduleCommand : MigrationScheduleSuspensionCommand
{
    protected override bool Suspend => true;
}

/// <summary>Resume-MigrationSchedule: lets Stork trigger migrations for the schedule again (storkctl resume migrationschedule).</summary>
[Cmdlet(VerbsLifecycle.Resume, "MigrationSchedule", SupportsShouldProcess = true)]
[OutputType(typeof(MigrationScheduleInfo))]
public sealed class ResumeMigrationScheduleCommand : MigrationScheduleSuspensionCommand
{
    protected override bool Suspend => false;
}
