using ClusterOps.Core.Common;
using ClusterOps.Kubernetes.Http;

namespace ClusterOps.Core.Backup;

/// <summary>Backup or restore names of a namespace for tab completion.</summary>
public static class BackupNameCompletion
{
    public static Task<IReadOnlyList<string>> CompleteAsync(KubeClient client, string @namespace, string? wordToComplete, bool restores = false)
    {
        var type = restores ? ThreescaleResources.Restores : ThreescaleResources.Backups;
        return NameCompletion.CompleteAsync(NameCompletion.KeyFor(client, type.Plural, @namespace),
            ct => NameCompletion.FirstPageAsync(client, type, @namespace, i => i.Name(), ct), wordToComplete);
    }
}
