using System.Management.Automation;
using ClusterOps.Cmdlets.Infrastructure;
using ClusterOps.Core.Backup;
using ClusterOps.Kubernetes;

namespace ClusterOps.Cmdlets.Backup;

/// <summary>Lists APIManagerBackups with their state and the claim holding their data.</summary>
[Cmdlet(VerbsCommon.Get, "ApiManagerBackup", DefaultParameterSetName = NamespaceSet)]
[OutputType(typeof(ApiManagerBackupInfo))]
public sealed class GetApiManagerBackupCommand : NamespacedKubeCmdlet
{
    private const string NamespaceSet = "Namespace";
    private const string AllNamespacesSet = "AllNamespaces";

    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ApiManagerBackupNameCompleter))]
    [ValidateNotNullOrEmpty]
    [ValidateKubeName(AllowWildcards = true)]
    public string[]? Name { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = AllNamespacesSet)]
    [Alias("A")]
    public SwitchParameter AllNamespaces { get; set; }

    protected override Task ProcessAsync(KubeSession session, CancellationToken cancellationToken) =>
        WriteAllAsync(new ApiManagerBackupOperations(session.Client)
            .GetAsync(new BackupQuery(session.Namespace, Name, AllNamespaces), Operation));
}
