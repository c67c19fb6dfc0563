using System.Management.Automation;
using ClusterOps.Cmdlets.Infrastructure;
using ClusterOps.Core.Scheduling;
using ClusterOps.Kubernetes;

namespace ClusterOps.Cmdlets.Scheduling;

/// <summary>Get-MigrationSchedule: storkctl's columns, or with -History one flat row per status entry.</summary>
[Cmdlet(VerbsCommon.Get, "MigrationSchedule", DefaultParameterSetName = NamespaceSet)]
[OutputType(typeof(MigrationScheduleInfo))]
[OutputType(typeof(MigrationScheduleHistoryItem))]
public sealed class GetMigrationScheduleCommand : NamespacedKubeCmdlet
{
    private const string NamespaceSet = "Namespace";
    private const string AllNamespacesSet = "AllNamespaces";

    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(MigrationScheduleNameCompleter))]
    [ValidateKubeName(AllowWildcards = true)]
    public string[]? Name { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = AllNamespacesSet)]
    [Alias("A")]
    public SwitchParameter AllNamespaces { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(ClusterPairNameCompleter))]
    [ValidateNotNullOrEmpty]
    [ValidateKubeName()]
    public string? ClusterPair { get; set; }

    [Parameter] public SwitchParameter History { get; set; }

    protected override async Task ProcessAsync(KubeSession session, CancellationToken cancellationToken)
    {
        var query = new MigrationScheduleQuery(AllNamespaces ? null : session.Namespace, Name, ClusterPair);
        var operations = new MigrationScheduleOperations(session.Client);
        if (History)
        {
            await WriteAllAsync(operations.GetHistoryAsync(query, Operation, cancellationToken)).ConfigureAwait(false);
            return;
        }
        await foreach (var schedule in operations.GetAsync(query, Operation, cancellationToken).ConfigureAwait(false))
            WriteObject(AllNamespacesView.Tag(schedule, AllNamespaces));
    }
}
