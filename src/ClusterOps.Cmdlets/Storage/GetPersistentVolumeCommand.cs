using System.Management.Automation;
using ClusterOps.Cmdlets.Infrastructure;
using ClusterOps.Core.Storage;
using ClusterOps.Kubernetes;

namespace ClusterOps.Cmdlets.Storage;

/// <summary>Lists PersistentVolumes (cluster-scoped) with the columns of `kubectl get pv`.</summary>
[Cmdlet(VerbsCommon.Get, "PersistentVolume", DefaultParameterSetName = DefaultSet)]
[OutputType(typeof(PersistentVolumeInfo))]
public sealed class GetPersistentVolumeCommand : KubeCmdlet
{
    private const string DefaultSet = "Default";

    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = DefaultSet)]
    [SupportsWildcards]
    [Alias("Volume")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(PersistentVolumeNameCompleter))]
    [ValidateKubeName(AllowWildcards = true)]
    public string[]? Name { get; set; }

    [Parameter(ParameterSetName = DefaultSet)]
    [Alias("l")]
    [ValidateNotNullOrEmpty]
    public string? Selector { get; set; }

    protected override Task ProcessAsync(KubeSession session, CancellationToken cancellationToken) =>
        WriteAllAsync(new StorageQueries(session.Client).ListVolumesAsync(new VolumeQuery(Name, Selector), Operation, cancellationToken));
}
