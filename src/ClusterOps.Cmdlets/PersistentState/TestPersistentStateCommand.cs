using System.Management.Automation;
using ClusterOps.Cmdlets.Infrastructure;
using ClusterOps.Core.PersistentState;

namespace ClusterOps.Cmdlets.PersistentState;

/// <summary>Test-PersistentState: one status per directory (Linked, NotLinked, Missing, BrokenLink, IncompleteCopy); changes nothing.</summary>
[Cmdlet(VerbsDiagnostic.Test, "PersistentState", DefaultParameterSetName = PersistentStateParameterSets.Directory)]
[OutputType(typeof(PersistentStateStatus))]
public sealed class TestPersistentStateCommand : ClusterOpsCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = PersistentStateParameterSets.Directory)]
    [ValidateNotNullOrEmpty]
    public string[] Directory { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = PersistentStateParameterSets.Preset)]
    public PersistentStatePreset Preset { get; set; }

    protected override Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        var directories = PersistentStateParameterSets.DirectoriesFor(ParameterSetName, Directory, Preset);
        new PersistentStateInspector().Inspect(new TestPersistentStateRequest(Path, directories), Operation);
        return Task.CompletedTask;
    }
}
