using System.Management.Automation;
using ClusterOps.Cmdlets.Infrastructure;
using ClusterOps.Core.PersistentState;

namespace ClusterOps.Cmdlets.PersistentState;

/// <summary>Test-PersistentState: one status per directory (Linked, NotLinked, Missing, BrokenLink, IncompleteCopy); changes nothing.</summary>
[Cmdlet(VerbsDiagnostic.Test, "PersistentState", DefaultParameterSetName = PersistentStateParameterSets.Directory)]
[OutputType(typeof(PersistentStateStatus))]
public sealed class TestPersistentStateCommand : PersistentStateCommand
{
    protected override Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        new PersistentStateInspector().Inspect(new TestPersistentStateRequest(ResolvePath(Path), Directories()), Operation);
        return Task.CompletedTask;
    }
}
