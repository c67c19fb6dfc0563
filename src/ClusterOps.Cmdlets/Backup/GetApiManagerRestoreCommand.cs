using System.Management.Automation;
using ClusterOps.Cmdlets.Infrastructure;
using ClusterOps.Core.Backup;
using ClusterOps.Kubernetes;

namespace ClusterOps.Cmdlets.Backup;

/// <summary>Lists APIManagerRestores with their state and the claim they restore from.</summary>
[Cmdlet(VerbsCommon.Get, "ApiManagerRestore", DefaultParameterSetName = NamespaceSet)]
[OutputType(typeof(ApiManagerRestoreInfo))]
public sealed class GetApiManagerRestoreCommand : NamespacedKubeCmdlet
{
    private const string NamespaceSet = "Namespace";
    private const string AllNamespacesSet = "AllNamespaces";

    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ApiManagerRestoreNameCompleter))]
    [ValidateNotNullOrEmpty]
    [ValidateKubeName(AllowWildcards = true)]
    public string[]? Name { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = AllNamespacesSet)]
    [Alias("A")]
    public SwitchParameter AllNamespaces { get; set; }

    protected override Task ProcessAsync(KubeSession session, CancellationToken cancellationToken) =>
        WriteAllAsync(new ApiManagerRestoreOperations(session.Client)
            .GetAsync(new BackupQuery(session.Namespace, Name, AllNamespaces), Operation));
}
