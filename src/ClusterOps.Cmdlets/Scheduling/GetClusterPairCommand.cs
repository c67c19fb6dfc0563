using System.Management.Automation;
using ClusterOps.Cmdlets.Infrastructure;
using ClusterOps.Core.Scheduling;
using ClusterOps.Kubernetes;

namespace ClusterOps.Cmdlets.Scheduling;

/// <summary>Get-ClusterPair: storkctl get clusterpair (NAME STORAGE-STATUS SCHEDULER-STATUS CREATED), credentials redacted.</summary>
[Cmdlet(VerbsCommon.Get, "ClusterPair", DefaultParameterSetName = NamespaceSet)]
[OutputType(typeof(ClusterPairInfo))]
public sealed class GetClusterPairCommand : NamespacedKubeCmdlet
{
    private const string NamespaceSet = "Namespace";
    private const string AllNamespacesSet = "AllNamespaces";

    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ClusterPairNameCompleter))]
    [ValidateKubeName(AllowWildcards = true)]
    public string[]? Name { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = AllNamespacesSet)]
    [Alias("A")]
    public SwitchParameter AllNamespaces { get; set; }

    protected override async Task ProcessAsync(KubeSession session, CancellationToken cancellationToken)
    {
        var pairs = new MigrationOperations(session.Client).GetClusterPairsAsync(AllNamespaces ? null : session.Namespace, Name, Operation, cancellationToken,
            LocalKubeConfig());
        await foreach (var pair in pairs.ConfigureAwait(false))
            WriteObject(AllNamespacesView.Tag(pair, AllNamespaces));
    }
}
