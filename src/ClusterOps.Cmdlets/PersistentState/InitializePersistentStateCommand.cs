using System.Management.Automation;
using ClusterOps.Cmdlets.Infrastructure;
using ClusterOps.Core.PersistentState;

namespace ClusterOps.Cmdlets.PersistentState;

/// <summary>
/// Initialize-PersistentState: keep a container's state directories on a mounted volume (copy once, crash-safe,
/// then link). Emits nothing unless -PassThru, so an entrypoint's log only shows warnings and errors.
/// </summary>
[Cmdlet(VerbsData.Initialize, "PersistentState", SupportsShouldProcess = true, DefaultParameterSetName = PersistentStateParameterSets.Directory)]
[OutputType(typeof(PersistentStateResult))]
public sealed class InitializePersistentStateCommand : PersistentStateCommand
{
    /// <summary>Trust copies a volume already holds without a ClusterOps marker (migration from start-persistent.sh).</summary>
    [Parameter]
    public SwitchParameter AdoptExisting { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        new PersistentStateInitializer().Initialize(new InitializePersistentStateRequest(ResolvePath(Path), Directories(), PassThru, AdoptExisting), Operation);
        return Task.CompletedTask;
    }
}
