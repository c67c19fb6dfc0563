using System.Management.Automation;
using ClusterOps.Cmdlets.Infrastructure;
using ClusterOps.Core.Scheduling;
using ClusterOps.Kubernetes;

namespace ClusterOps.Cmdlets.Scheduling;

/// <summary>Get-Migration: storkctl get migrations' columns; -Schedule keeps those a MigrationSchedule started.</summary>
[Cmdlet(VerbsCommon.Get, "Migration", DefaultParameterSetName = NamespaceSet)]
[OutputType(typeof(MigrationInfo))]
public sealed class GetMigrationCommand : NamespacedKubeCmdlet
{
    private const string NamespaceSet = "Namespace";
    private const string AllNamespacesSet = "AllNamespaces";

    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(MigrationNameCompleter))]
    [ValidateKubeName(AllowWildcards = true)]
    public string[]? Name { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = AllNamespacesSet)]
    [Alias("A")]
    public SwitchParameter AllNamespaces { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(MigrationScheduleNameCompleter))]
    [ValidateNotNullOrEmpty]
    [ValidateKubeName()]
    public string? Schedule { get; set; }

    protected override async Task ProcessAsync(KubeSession session, CancellationToken cancellationToken)
    {
        var query = new MigrationQuery(AllNamespaces ? null : session.Namespace, Name, Schedule);
        await foreach (var migration in new MigrationOperations(session.Client).GetAsync(query, Operation, cancellationToken).ConfigureAwait(false))
            WriteObject(AllNamespacesView.Tag(migration, AllNamespaces));
    }
}
