using ClusterOps.Cmdlets.Infrastructure;
using ClusterOps.Core.Common;
using ClusterOps.Kubernetes.Http;
using ClusterOps.Kubernetes.Resources;

namespace ClusterOps.Cmdlets.Storage;

/// <summary>Completes -Name of the claim cmdlets.</summary>
public sealed class PersistentVolumeClaimNameCompleter : ClusterNameCompleter
{
    protected override Task<IReadOnlyList<string>> CompleteAsync(KubeClient client, string? ns, string wordToComplete) =>
        NameCompletion.CompleteAsync(NameCompletion.KeyFor(client, "persistentvolumeclaims", ns),
            ct => NameCompletion.FirstPageAsync(client, KubeResources.PersistentVolumeClaims, ns, c => c.Metadata.Name, ct), wordToComplete);
}

/// <summary>Completes -Name of Get-PersistentVolume.</summary>
public sealed class PersistentVolumeNameCompleter : ClusterNameCompleter
{
    protected override bool UsesSessionNamespace => false;

    protected override Task<IReadOnlyList<string>> CompleteAsync(KubeClient client, string? ns, string wordToComplete) =>
        NameCompletion.CompleteAsync(NameCompletion.KeyFor(client, "persistentvolumes", null),
            ct => NameCompletion.FirstPageAsync(client, KubeResources.PersistentVolumes, null, v => v.Metadata.Name, ct), wordToComplete);
}
