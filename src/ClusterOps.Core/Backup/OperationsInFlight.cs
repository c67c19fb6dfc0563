using System.Text.Json.Nodes;
using ClusterOps.Core.Common;
using ClusterOps.Kubernetes.Http;

namespace ClusterOps.Core.Backup;

/// <summary>
/// One backup or restore at a time per namespace. The 3scale operator runs every APIManagerBackup and
/// APIManagerRestore it is given at once: a restore beside another restore runs two sets of Jobs writing the same
/// secrets and FileStorage, and a backup taken while a restore writes copies a half-restored system. The operation
/// outlives the command (the operator runs it), so a lease held by the command could not guard it; the guard is
/// the custom resources themselves: one not yet completed is an operation in flight.
/// </summary>
public static class OperationsInFlight
{
    /// <summary>Every APIManagerBackup and APIManagerRestore of the namespace, read once for the whole preflight.</summary>
    public static async Task<ThreescaleOperations> ListAsync(KubeClient client, string ns, CancellationToken ct)
    {
        var backups = client.ListAllAsync(ThreescaleResources.Backups, ns, null, ct);
        var restores = client.ListAllAsync(ThreescaleResources.Restores, ns, null, ct);
        await Task.WhenAll(backups, restores).ConfigureAwait(false);
        return new ThreescaleOperations((await backups.ConfigureAwait(false)).Items, (await restores.ConfigureAwait(false)).Items);
    }

    /// <summary>
    /// Refuses to start <paramref name="starting"/> beside an unfinished backup or restore; with -Force returns the
    /// warning to show instead (the operator itself would run both).
    /// </summary>
    public static string? Check(ThreescaleOperations operations, string starting, string ns, bool force)
    {
        var unfinished = operations.Unfinished();
        if (unfinished.Count == 0)
            return null;
        var list = string.Join(", ", unfinished);
        if (force)
            return $"-Force: starting {starting} while {list} in namespace '{ns}' has not completed; the 3scale operator runs both at once, and their Jobs may read or write the same secrets and FileStorage.";
        throw BackupPreflight.Refuse(BackupErrorIds.OperationInProgress, FailureKind.ResourceBusy,
            $"Cannot start {starting}: {list} in namespace '{ns}' has not completed, and the 3scale operator would run both at once over the same secrets and FileStorage. Wait for it (Get-ApiManagerBackup / Get-ApiManagerRestore show Completed), or remove one that failed and will never complete; -Force starts anyway.",
            starting, unfinished);
    }
}

/// <summary>The backups and restores of one namespace.</summary>
public sealed record ThreescaleOperations(IReadOnlyList<JsonObject> Backups, IReadOnlyList<JsonObject> Restores)
{
    public JsonObject? Backup(string name) => Backups.FirstOrDefault(b => b.Name() == name);

    public JsonObject? Restore(string name) => Restores.FirstOrDefault(r => r.Name() == name);

    /// <summary>"APIManagerBackup name" / "APIManagerRestore name" of each one whose status.completed is not true (failed ones stay so forever).</summary>
    public IReadOnlyList<string> Unfinished() =>
        Backups.Where(b => b.Bool("status", "completed") != true).Select(b => $"{ThreescaleApi.BackupKind} {b.Name()}")
            .Concat(Restores.Where(r => r.Bool("status", "completed") != true).Select(r => $"{ThreescaleApi.RestoreKind} {r.Name()}"))
            .ToList();
}
