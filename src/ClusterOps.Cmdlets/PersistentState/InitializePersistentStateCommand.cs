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
public sealed class InitializePersistentStateCommand : ClusterOpsCmdlet
{
    /// <summary>Where the persistent volume is mounted, for example /cfy-persist.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = PersistentStateParameterSets.Directory)]
    [ValidateNotNullOrEmpty]
    public string[] Directory { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = PersistentStateParameterSets.Preset)]
    public PersistentStatePreset Preset { get; set; }

    /// <summary>Trust copies a volume already holds without a ClusterOps marker (migration from start-persistent.sh).</summary>
    [Parameter]
    public SwitchParameter AdoptExisting { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        var directories = PersistentStateParameterSets.DirectoriesFor(ParameterSetName, Directory, Preset);
        new PersistentStateInitializer().Initialize(new InitializePersistentStateRequest(Path, directories, PassThru, AdoptExisting), Operation);
        return Task.CompletedTask;
    }
}
