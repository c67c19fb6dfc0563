using ClusterOps.Cmdlets.Infrastructure;
using ClusterOps.Core.Backup;
using ClusterOps.Kubernetes.Http;

namespace ClusterOps.Cmdlets.Backup;

/// <summary>Completes backup names from the cluster and namespace the command line already names.</summary>
public sealed class ApiManagerBackupNameCompleter : ClusterNameCompleter
{
    protected override Task<IReadOnlyList<string>> CompleteAsync(KubeClient client, string? ns, string wordToComplete) =>
        BackupNameCompletion.CompleteAsync(client, ns ?? "default", wordToComplete);
}

/// <summary>Completes restore names.</summary>
public sealed class ApiManagerRestoreNameCompleter : ClusterNameCompleter
{
    protected override Task<IReadOnlyList<string>> CompleteAsync(KubeClient client, string? ns, string wordToComplete) =>
        BackupNameCompletion.CompleteAsync(client, ns ?? "default", wordToComplete, restores: true);
}
