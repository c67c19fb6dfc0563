using System.Text.Json.Nodes;
using ClusterOps.Core.Common;
using ClusterOps.Kubernetes.Errors;
using ClusterOps.Kubernetes.Http;
using ClusterOps.Kubernetes.Resources;

namespace ClusterOps.Core.Backup;

/// <summary>The resources backup and restore read, all as JsonObject so no field is ever dropped.</summary>
internal static class ThreescaleResources
{
    public static readonly ResourceType<JsonObject> ApiManagers =
        ResourceType.Custom(ThreescaleApi.Group, ThreescaleApi.Version, ThreescaleApi.ApiManagerPlural, ThreescaleApi.ApiManagerKind, true);
    public static readonly ResourceType<JsonObject> Backups =
        ResourceType.Custom(ThreescaleApi.Group, ThreescaleApi.Version, ThreescaleApi.BackupPlural, ThreescaleApi.BackupKind, true);
    public static readonly ResourceType<JsonObject> Restores =
        ResourceType.Custom(ThreescaleApi.Group, ThreescaleApi.Version, ThreescaleApi.RestorePlural, ThreescaleApi.RestoreKind, true);
    public static readonly ResourceType<JsonObject> Claims =
        ResourceType.Custom("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", true);
    public static readonly ResourceType<JsonObject> StorageClasses =
        ResourceType.Custom("storage.k8s.io", "v1", "storageclasses", "StorageClass", false);
    public static readonly ResourceType<JsonObject> Volumes =
        ResourceType.Custom("", "v1", "persistentvolumes", "PersistentVolume", false);
    public static readonly ResourceType<JsonObject> Jobs = ResourceType.Custom("batch", "v1", "jobs", "Job", true);
    public static readonly ResourceType<JsonObject> Pods = ResourceType.Custom("", "v1", "pods", "Pod", true);

    /// <summary>Fails with a friendly, stable error when the 3scale operator's CRDs are not installed.</summary>
    public static async Task EnsureInstalledAsync(KubeClient client, string plural, CancellationToken cancellationToken)
    {
        try
        {
            await client.Discovery.EnsureResourceAsync(ThreescaleApi.Group, ThreescaleApi.Version, plural, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiGroupNotInstalledException ex)
        {
            throw new OperationException(BackupErrorIds.CrdsNotInstalled, FailureKind.NotInstalled,
                $"The 3scale operator's CRDs ({plural}.{ThreescaleApi.Group}/{ThreescaleApi.Version}) are not installed in this cluster: {ex.Message}",
                plural)
            {
                RecommendedAction = "Install the 3scale operator (it provides APIManager, APIManagerBackup and APIManagerRestore), or select the right cluster with -Context.",
            };
        }
    }

    /// <summary>Names of the objects of a kind in a namespace (the objects themselves are dropped at once).</summary>
    public static async Task<IReadOnlySet<string>> NamesAsync<T>(KubeClient client, ResourceType<T> type, string ns, CancellationToken ct)
        where T : class, IKubeObject
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var item in client.ListAsync(type, ns, null, ct).ConfigureAwait(false))
            names.Add(item.Metadata.Name ?? "");
        return names;
    }
}
