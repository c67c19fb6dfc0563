using ClusterOps.Core.Common;
using System.Text.Json.Nodes;

namespace ClusterOps.Core.Backup;

/// <summary>One APIManagerBackup with the claim that holds its data (which outlives the backup resource).</summary>
public sealed class ApiManagerBackupInfo : IKubeObjectRecord
{
    public required string Name { get; init; }
    public required string Namespace { get; init; }
    public bool Completed { get; init; }
    /// <summary>status.apiManagerSourceName: the APIManager the operator backed up.</summary>
    public string? ApiManager { get; init; }
    public DateTimeOffset? StartTime { get; init; }
    public DateTimeOffset? CompletionTime { get; init; }
    public TimeSpan? Duration { get; init; }
    public string? ClaimName { get; init; }
    /// <summary>The claim's phase (Bound, Pending, Lost), or Missing when the named claim does not exist.</summary>
    public string? ClaimStatus { get; init; }
    /// <summary>The claim's capacity, else the size requested, in bytes (the table prints kubectl's "10Gi").</summary>
    public long? Size { get; init; }
    /// <summary>The kubeconfig context it was read through, so it pipes into the next cmdlet on the same cluster.</summary>
    public string? Context { get; init; }
    /// <summary>The full APIManagerBackup as the API server returned it; PowerShell sees it as the Object property, see IKubeObjectRecord.</summary>
    internal JsonObject Object { get; init; } = new();

    JsonObject IKubeObjectRecord.ToKubeObject() => Object;

    public static ApiManagerBackupInfo From(JsonObject backup, JsonObject? claim, string? context = null)
    {
        var start = backup.Time("status", "startTime");
        var end = backup.Time("status", "completionTime");
        var claimName = backup.Str("status", "backupPersistentVolumeClaimName");
        return new ApiManagerBackupInfo
        {
            Name = backup.Name(),
            Namespace = backup.Str("metadata", "namespace") ?? "",
            Completed = backup.Bool("status", "completed") == true,
            ApiManager = backup.Str("status", "apiManagerSourceName"),
            StartTime = start,
            CompletionTime = end,
            Duration = start is not null && end is not null ? end - start : null,
            ClaimName = claimName,
            ClaimStatus = ClaimInfo.Status(claimName, claim),
            Size = KubeSize.Bytes(ClaimInfo.Size(claim) ?? backup.Str("spec", "backupDestination", "persistentVolumeClaim", "resources", "requests")),
            Context = context,
            Object = backup,
        };
    }
}

/// <summary>One APIManagerRestore with the claim it restores from.</summary>
public sealed class ApiManagerRestoreInfo : IKubeObjectRecord
{
    public required string Name { get; init; }
    public required string Namespace { get; init; }
    public bool Completed { get; init; }
    /// <summary>status.apiManagerToRestoreRef.name: the APIManager being restored.</summary>
    public string? ApiManager { get; init; }
    public DateTimeOffset? StartTime { get; init; }
    public DateTimeOffset? CompletionTime { get; init; }
    public TimeSpan? Duration { get; init; }
    public string? ClaimName { get; init; }
    public string? ClaimStatus { get; init; }
    /// <summary>The backup the claim was written by (its apiManagerBackupName annotation).</summary>
    public string? BackupName { get; init; }
    public string? Context { get; init; }
    /// <summary>The object as read; PowerShell sees it as the Object property (PSCustomObject tree), see IKubeObjectRecord.</summary>
    internal JsonObject Object { get; init; } = new();

    JsonObject IKubeObjectRecord.ToKubeObject() => Object;

    public static ApiManagerRestoreInfo From(JsonObject restore, JsonObject? claim, string? context = null)
    {
        var start = restore.Time("status", "startTime");
        var end = restore.Time("status", "completionTime");
        var claimName = restore.Str("spec", "restoreSource", "persistentVolumeClaim", "claimSource", "claimName");
        claim.Annotations().TryGetValue(ThreescaleApi.ClaimBackupNameAnnotation, out var backupName);
        return new ApiManagerRestoreInfo
        {
            Name = restore.Name(),
            Namespace = restore.Str("metadata", "namespace") ?? "",
            Completed = restore.Bool("status", "completed") == true,
            ApiManager = restore.Str("status", "apiManagerToRestoreRef", "name"),
            StartTime = start,
            CompletionTime = end,
            Duration = start is not null && end is not null ? end - start : null,
            ClaimName = claimName,
            ClaimStatus = ClaimInfo.Status(claimName, claim),
            BackupName = backupName,
            Context = context,
            Object = restore,
        };
    }
}

internal static class ClaimInfo
{
    public static string? Status(string? claimName, JsonObject? claim) =>
        claimName is null ? null : claim is null ? "Missing" : claim.Str("status", "phase") ?? "Pending";

    public static string? Size(JsonObject? claim) =>
        claim.Str("status", "capacity", "storage") ?? claim.Str("spec", "resources", "requests", "storage");
}
