using System.Management.Automation;
using ClusterOps.Cmdlets.Infrastructure;
using ClusterOps.Core.Storage;
using ClusterOps.Kubernetes;

namespace ClusterOps.Cmdlets.Storage;

/// <summary>Lists PersistentVolumeClaims with the columns of `kubectl get pvc`, streaming page by page.</summary>
[Cmdlet(VerbsCommon.Get, "PersistentVolumeClaim", DefaultParameterSetName = NamespaceSet)]
[OutputType(typeof(PersistentVolumeClaimInfo))]
public sealed class GetPersistentVolumeClaimCommand : NamespacedKubeCmdlet
{
    private const string NamespaceSet = "Namespace";
    private const string AllNamespacesSet = "AllNamespaces";

    /// <summary>Type name that selects the table view with a NAMESPACE column.</summary>
    public const string AllNamespacesTypeName = "ClusterOps.Core.Storage.PersistentVolumeClaimInfo#AllNamespaces";

    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(PersistentVolumeClaimNameCompleter))]
    [ValidateKubeName(AllowWildcards = true)]
    public string[]? Name { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = AllNamespacesSet)]
    [Alias("A")]
    public SwitchParameter AllNamespaces { get; set; }

    [Parameter]
    [Alias("l")]
    [ValidateNotNullOrEmpty]
    public string? Selector { get; set; }

    [Parameter]
    [ValidateSet("Bound", "Pending", "Lost")]
    public string? Status { get; set; }

    protected override async Task ProcessAsync(KubeSession session, CancellationToken cancellationToken)
    {
        var query = new ClaimQuery(AllNamespaces ? null : session.Namespace, Name, Selector, Status);
        await foreach (var claim in new StorageQueries(session.Client).ListClaimsAsync(query, Operation, cancellationToken).ConfigureAwait(false))
        {
            if (!AllNamespaces)
            {
                WriteObject(claim);
                continue;
            }
            var tagged = PSObject.AsPSObject(claim);
            tagged.TypeNames.Insert(0, AllNamespacesTypeName);
            WriteObject(tagged);
        }
    }
}
