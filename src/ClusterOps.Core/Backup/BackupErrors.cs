using ClusterOps.Core.Common;

namespace ClusterOps.Core.Backup;

/// <summary>
/// The stable ErrorIds of backup and restore. Runbooks match on them: never rename one that has shipped.
/// </summary>
public static class BackupErrorIds
{
    public const string InvalidBackupName = "ApiManagerBackupNameInvalid";
    public const string InvalidRestoreName = "ApiManagerRestoreNameInvalid";
    public const string InvalidStorageSize = "BackupStorageSizeInvalid";
    public const string DestinationMissing = "BackupDestinationMissing";
    public const string DestinationAmbiguous = "BackupDestinationAmbiguous";
    public const string InvalidVolumeName = "BackupVolumeNameInvalid";
    public const string StorageSizeTooSmall = "BackupStorageSizeTooSmall";
    public const string StorageClassNotFound = "BackupStorageClassNotFound";
    public const string DefaultStorageClassMissing = "BackupDefaultStorageClassMissing";
    public const string VolumeNotFound = "BackupVolumeNotFound";
    public const string VolumeClaimedElsewhere = "BackupVolumeBoundToOtherClaim";
    public const string VolumeTooSmall = "BackupVolumeTooSmall";
    public const string VolumeClassMismatch = "BackupVolumeClassMismatch";
    public const string VolumeAccessModeMismatch = "BackupVolumeAccessModeMismatch";
    public const string VolumeModeMismatch = "BackupVolumeModeMismatch";
    public const string BackupClaimNotBound = "BackupClaimNotBound";
    public const string OperationInProgress = "ApiManagerOperationInProgress";
    public const string ApiManagerNotFound = "ApiManagerNotFound";
    public const string ApiManagerAmbiguous = "ApiManagerAmbiguous";
    public const string ApiManagerNameMismatch = "ApiManagerNameMismatch";
    public const string ComponentsNotExternal = "ApiManagerComponentsNotExternal";
    public const string FileStorageIsS3 = "ApiManagerFileStorageIsS3";
    public const string SystemStorageMissing = "SystemStorageClaimNotFound";
    public const string SourceObjectsMissing = "BackupSourceObjectsMissing";
    public const string BackupExists = "ApiManagerBackupExists";
    public const string BackupClaimExists = "BackupClaimExists";
    public const string BackupNotFound = "ApiManagerBackupNotFound";
    public const string BackupNotCompleted = "ApiManagerBackupNotCompleted";
    public const string RestoreExists = "ApiManagerRestoreExists";
    public const string RestoreNotFound = "ApiManagerRestoreNotFound";
    public const string RestoreSourceMissing = "RestoreSourceMissing";
    public const string RestoreSourceAmbiguous = "RestoreSourceAmbiguous";
    public const string RestoreClaimNotFound = "RestoreClaimNotFound";
    public const string RestoreClaimNotBound = "RestoreClaimNotBound";
    public const string RestoreClaimNotABackup = "RestoreClaimNotABackup";
    public const string RestoreClaimNameInvalid = "RestoreClaimNameInvalid";
    public const string RestoreSecretsMissing = "RestoreSecretsMissing";
    public const string BackupJobFailed = "ApiManagerBackupJobFailed";
    public const string RestoreJobFailed = "ApiManagerRestoreJobFailed";
    public const string BackupTimedOut = "ApiManagerBackupTimedOut";
    public const string RestoreTimedOut = "ApiManagerRestoreTimedOut";
    public const string CrdsNotInstalled = "ThreescaleCrdsNotInstalled";
    public const string ClaimDeleteSkipped = "BackupClaimNotDeleted";
}

/// <summary>A preflight refusal: nothing was created. <see cref="Items"/> lists what was found or is missing.</summary>
public sealed class BackupPreflightException : OperationException
{
    public BackupPreflightException(string errorId, FailureKind kind, string message, object? target = null,
        IReadOnlyList<string>? items = null)
        : base(errorId, kind, message, target)
    {
        Items = items ?? Array.Empty<string>();
    }

    /// <summary>The names the message is about (APIManagers found, secrets missing, ...), for runbooks.</summary>
    public IReadOnlyList<string> Items { get; }
}

/// <summary>
/// The backup's claim is not Bound after the operator finished (or while it waited): the backup has no volume behind
/// it. <see cref="Events"/> are the claim's events, which say why (no such class, no volume, provisioning failed).
/// </summary>
public sealed class BackupClaimNotBoundException : OperationException
{
    public BackupClaimNotBoundException(string errorId, string message, string claimName, string phase,
        IReadOnlyList<Scheduling.KubeEventInfo> events, FailureKind kind = FailureKind.InvalidOperation)
        : base(errorId, kind, message, claimName)
    {
        ClaimName = claimName;
        Phase = phase;
        Events = events;
    }

    public string ClaimName { get; }
    public string Phase { get; }
    public IReadOnlyList<Scheduling.KubeEventInfo> Events { get; }
}

/// <summary>A Job of the operator failed: the operator itself never notices, so this is how the user learns why.</summary>
public sealed class OperatorJobFailedException : OperationException
{
    public OperatorJobFailedException(string errorId, string message, object? target, JobFailure failure)
        : base(errorId, FailureKind.InvalidOperation, message, target)
    {
        Failure = failure;
    }

    public JobFailure Failure { get; }
}
