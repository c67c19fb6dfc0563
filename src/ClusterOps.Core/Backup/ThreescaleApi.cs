namespace ClusterOps.Core.Backup;

/// <summary>
/// Names the 3scale operator uses for backup and restore (apps.3scale.net/v1alpha1). They are the operator's
/// contract, not ours: the controllers look objects up by exactly these names.
/// </summary>
public static class ThreescaleApi
{
    public const string Group = "apps.3scale.net";
    public const string Version = "v1alpha1";
    public const string ApiVersion = Group + "/" + Version;

    public const string ApiManagerPlural = "apimanagers";
    public const string ApiManagerKind = "APIManager";
    public const string BackupPlural = "apimanagerbackups";
    public const string BackupKind = "APIManagerBackup";
    public const string RestorePlural = "apimanagerrestores";
    public const string RestoreKind = "APIManagerRestore";

    /// <summary>The access mode of the claim the operator creates for a backup (pkg/backup: a single ReadWriteOnce).</summary>
    public const string BackupClaimAccessMode = "ReadWriteOnce";

    /// <summary>The claim that holds System's FileStorage when it is not S3.</summary>
    public const string SystemStorageClaim = "system-storage";

    /// <summary>Annotations the backup controller writes on the destination claim; a restore source must carry them.</summary>
    public static readonly IReadOnlyList<string> BackupClaimAnnotations =
        new[] { "apiManagerName", "apiManagerUID", "apiManagerBackupName", "apiManagerBackupUID" };

    public const string ClaimApiManagerNameAnnotation = "apiManagerName";
    public const string ClaimBackupNameAnnotation = "apiManagerBackupName";

    /// <summary>Secrets the backup copies but the restore Job deliberately skips: the user must provide them
    /// (the databases may be restored somewhere else), and system-memcache is skipped too.</summary>
    public static readonly IReadOnlyList<string> SecretsNotRestored =
        new[] { "system-database", "backend-redis", "system-redis", "system-memcache" };

    /// <summary>Secrets the restore Job creates only when absent (an existing one is kept as it is).</summary>
    public static readonly IReadOnlyList<string> SecretsRestored = new[]
    {
        "backend-internal-api", "backend-listener", "system-app", "system-events-hook", "system-master-apicast",
        "system-recaptcha", "system-seed", "system-smtp", "zync",
    };

    /// <summary>Secrets the backup Job reads, in the Job's (sorted) order. One missing makes the Job fail under
    /// bash -e; the operator never notices and waits forever.</summary>
    public static readonly IReadOnlyList<string> SecretsBackedUp = new[]
    {
        "backend-internal-api", "backend-listener", "backend-redis", "system-app", "system-database",
        "system-events-hook", "system-master-apicast", "system-memcache", "system-recaptcha", "system-redis",
        "system-seed", "system-smtp", "zync",
    };

    /// <summary>Config maps the backup Job reads (and the restore Job recreates when absent).</summary>
    public static readonly IReadOnlyList<string> ConfigMapsBackedUp = new[] { "apicast-environment", "system-environment" };

    /// <summary>Size the restore gives a missing system-storage claim (hard-coded in the operator).</summary>
    public const string RestoredSystemStorageSize = "100Mi";

    /// <summary>Job names are "&lt;prefix&gt;-&lt;CR uid&gt;" (the operator's UID-based naming).</summary>
    public static string JobName(string prefix, string uid) => prefix + "-" + uid;
}
