using System.Management.Automation;
using ClusterOps.Cmdlets.Infrastructure;
using ClusterOps.Core.Scheduling;

namespace ClusterOps.Cmdlets.Scheduling;

/// <summary>Test-SchedulePolicy: checks schedule policies offline exactly as Stork validates them.</summary>
/// <remarks>
/// The default set is InputObject, not Path. PowerShell fixes the parameter set before the first pipeline object when
/// the default set's mandatory parameter takes pipeline input by property name and no other set does: with Path as
/// the default, <c>Get-SchedulePolicy | Test-SchedulePolicy</c> never reached InputObject and checked nothing. With
/// InputObject (by value) as the default, both sets stay open and each object binds where it fits: policies to
/// -InputObject, Get-ChildItem's files to -Path (FullName). A positional argument still binds -Path.
/// </remarks>
[Cmdlet(VerbsDiagnostic.Test, "SchedulePolicy", DefaultParameterSetName = InputObjectSet)]
[OutputType(typeof(SchedulePolicyProblem))]
[OutputType(typeof(bool))]
public sealed class TestSchedulePolicyCommand : ClusterOpsCmdlet
{
    private const string PathSet = "Path";
    private const string InputObjectSet = "InputObject";

    [Parameter(ParameterSetName = PathSet, Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [SupportsWildcards]
    public string[] Path { get; set; } = [];

    [Parameter(ParameterSetName = InputObjectSet, Mandatory = true, ValueFromPipeline = true)]
    public SchedulePolicyInfo[] InputObject { get; set; } = [];

    [Parameter]
    public SwitchParameter Quiet { get; set; }

    protected override Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        if (ParameterSetName == InputObjectSet)
        {
            foreach (var policy in InputObject)
                OfflineScheduleOperations.TestPolicy(policy, Quiet, Operation);
            return Task.CompletedTask;
        }
        foreach (var file in InvokeOnPipelineThread(() => ResolvePaths(Path)))
            OfflineScheduleOperations.TestFile(file, Quiet, Operation);
        return Task.CompletedTask;
    }

    private List<string> ResolvePaths(IEnumerable<string> paths) =>
        paths.SelectMany(p => WildcardPattern.ContainsWildcardCharacters(p)
            ? SessionState.Path.GetResolvedProviderPathFromPSPath(p, out _)
            : [SessionState.Path.GetUnresolvedProviderPathFromPSPath(p)]).ToList();
}
