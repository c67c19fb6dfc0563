using ClusterOps.Kubernetes.Resources;
using System.Text.Json.Nodes;
using ClusterOps.Core.Common;

namespace ClusterOps.Core.Backup;

/// <summary>What Start-ApiManagerBackup was asked to do.</summary>
public sealed record BackupRequest(
    string Name,
    string Namespace,
    string? ApiManagerName = null,
    string? StorageSize = null,
    string? StorageClass = null,
    string? VolumeName = null,
    bool Force = false);

/// <summary>What the cluster holds that the backup preflight judges (read before anything is created).</summary>
public sealed record BackupClusterState(
    IReadOnlyList<JsonObject> ApiManagers,
    JsonObject? ExistingBackup,
    JsonObject? ExistingClaim,
    JsonObject? SystemStorageClaim,
    IReadOnlySet<string> ExistingSecrets,
    IReadOnlySet<string> ExistingConfigMaps,
    BackupStorageView? Storage);

/// <summary>
/// The cluster-scoped storage the destination depends on: every StorageClass, and the PersistentVolume -VolumeName
/// names (null when it does not exist or none was named). Null as a whole when the user may not read them.
/// </summary>
public sealed record BackupStorageView(IReadOnlyList<JsonObject> StorageClasses, JsonObject? Volume);

/// <summary>The verdict of a passed preflight: the resource to create and what the user should know.</summary>
public sealed record BackupPlan(JsonObject Resource, string ApiManagerName, IReadOnlyList<string> Warnings);

/// <summary>
/// The backup preflight: the rules the operator enforces late (or never) checked before anything is created.
/// Pure functions over API objects; each refusal is a <see cref="BackupPreflightException"/> with a stable id.
/// </summary>
public static class BackupPreflight
{
    /// <summary>The smallest backup claim accepted: the size the operator gives System's FileStorage claim.</summary>
    public const string MinimumStorageSize = ThreescaleApi.RestoredSystemStorageSize;
    private const long MinimumStorageBytes = 100L * 1024 * 1024;

    public const string DefaultClassAnnotation = "storageclass.kubernetes.io/is-default-class";
    public const string BetaDefaultClassAnnotation = "storageclass.beta.kubernetes.io/is-default-class";

    /// <summary>Checks that need no cluster: the name, the size and the destination form.</summary>
    public static KubeQuantity ValidateRequest(BackupRequest request)
    {
        // The claim is named after the backup and mounted by the operator's Jobs as a pod volume of that name;
        // pod volume names must be DNS-1123 labels, so a longer or dotted name would make every Job invalid.
        if (!KubeNames.IsLabel(request.Name))
        {
            throw Refuse(BackupErrorIds.InvalidBackupName, FailureKind.InvalidArgument,
                $"'{request.Name}' is not a valid backup name: use at most {KubeNames.MaxLabelLength} lower-case letters, digits and '-', starting and ending with a letter or digit (the backup's claim gets this name and the operator's Jobs mount it as a volume of that name).",
                request.Name);
        }
        if (string.IsNullOrEmpty(request.StorageSize))
        {
            throw Refuse(BackupErrorIds.DestinationMissing, FailureKind.InvalidArgument,
                "No backup destination: give -StorageSize (optionally with -StorageClass), or -VolumeName with -StorageSize.",
                request.Name);
        }
        if (!string.IsNullOrEmpty(request.VolumeName) && !string.IsNullOrEmpty(request.StorageClass))
        {
            throw Refuse(BackupErrorIds.DestinationAmbiguous, FailureKind.InvalidArgument,
                "Give either -StorageClass (a new volume is provisioned) or -VolumeName (an existing PersistentVolume is bound), not both.",
                request.Name);
        }
        if (!string.IsNullOrEmpty(request.VolumeName) && !KubeNames.IsSubdomain(request.VolumeName))
        {
            throw Refuse(BackupErrorIds.InvalidVolumeName, FailureKind.InvalidArgument,
                $"'{request.VolumeName}' is not a valid PersistentVolume name (DNS-1123 subdomain).", request.VolumeName);
        }
        if (!KubeQuantity.TryParse(request.StorageSize, out var size))
        {
            throw Refuse(BackupErrorIds.InvalidStorageSize, FailureKind.InvalidArgument,
                $"'{request.StorageSize}' is not a Kubernetes quantity: write a number with an optional unit, e.g. 10Gi, 500Mi, 2G or 1.5Ti (units are case-sensitive, no spaces).",
                request.StorageSize);
        }
        if (!size.IsPositive)
        {
            throw Refuse(BackupErrorIds.InvalidStorageSize, FailureKind.InvalidArgument,
                $"-StorageSize must be greater than zero, got '{request.StorageSize}'.", request.StorageSize);
        }
        if (!size.TryGetValue(out var bytes) || bytes < MinimumStorageBytes)
        {
            throw Refuse(BackupErrorIds.StorageSizeTooSmall, FailureKind.InvalidArgument,
                $"-StorageSize '{request.StorageSize}' is below the minimum of {MinimumStorageSize}: the claim must hold the secrets, the APIManager and a copy of System's FileStorage, which the operator itself provisions at {MinimumStorageSize}. Note that a number without a unit is bytes; write 10Gi, 500Mi, ...",
                request.StorageSize);
        }
        return size;
    }

    /// <summary>The operator backs up the only APIManager of the namespace; more than one is unsupported.</summary>
    public static JsonObject SelectApiManager(IReadOnlyList<JsonObject> found, string @namespace, string? requestedName)
    {
        if (found.Count == 0)
        {
            throw Refuse(BackupErrorIds.ApiManagerNotFound, FailureKind.ObjectNotFound,
                $"No APIManager in namespace '{@namespace}': there is nothing to back up.", @namespace);
        }
        var names = found.Select(a => a.Name()).OrderBy(n => n, StringComparer.Ordinal).ToList();
        if (found.Count > 1)
        {
            throw Refuse(BackupErrorIds.ApiManagerAmbiguous, FailureKind.InvalidOperation,
                $"Namespace '{@namespace}' holds {found.Count} APIManagers ({string.Join(", ", names)}); the 3scale operator can back up a namespace only when it holds exactly one.",
                @namespace, names);
        }
        var only = found[0];
        if (!string.IsNullOrEmpty(requestedName) && !string.Equals(requestedName, only.Name(), StringComparison.Ordinal))
        {
            throw Refuse(BackupErrorIds.ApiManagerNameMismatch, FailureKind.ObjectNotFound,
                $"-ApiManagerName is '{requestedName}' but the APIManager in namespace '{@namespace}' is '{only.Name()}' (the operator always backs up the namespace's only APIManager).",
                requestedName, names);
        }
        return only;
    }

    /// <summary>
    /// Which of the components a backup needs external are managed by the operator instead. Follows the
    /// operator's IsExternal: spec.externalComponents, when present, wins over the deprecated
    /// spec.highAvailability.enabled (which means system database, system redis and backend redis external).
    /// </summary>
    public static IReadOnlyList<string> InternalComponents(JsonObject apiManager)
    {
        var spec = apiManager.At("spec");
        bool systemDatabase, systemRedis, backendRedis;
        if (spec.At("externalComponents") is JsonObject external)
        {
            systemDatabase = external.Bool("system", "database") == true;
            systemRedis = external.Bool("system", "redis") == true;
            backendRedis = external.Bool("backend", "redis") == true;
        }
        else
        {
            systemDatabase = systemRedis = backendRedis = spec.Bool("highAvailability", "enabled") == true;
        }
        var missing = new List<string>();
        if (!systemDatabase) missing.Add("system.database");
        if (!systemRedis) missing.Add("system.redis");
        if (!backendRedis) missing.Add("backend.redis");
        return missing;
    }

    /// <summary>
    /// Stricter than the operator, which backs up any APIManager: with internal databases the backup misses their
    /// data. Refused unless <paramref name="force"/>, which returns the warning to show instead.
    /// </summary>
    public static string? CheckExternalComponents(JsonObject apiManager, bool force = false)
    {
        var internalOnes = InternalComponents(apiManager);
        if (internalOnes.Count == 0)
            return null;
        var list = string.Join(", ", internalOnes);
        if (force)
        {
            return $"-Force: APIManager '{apiManager.Name()}' manages {list} itself. The 3scale operator backs it up anyway, but copies only the secrets and config maps, the APIManager resource and System's FileStorage; it does not copy the data of {list}. A restore recreates the APIManager, whose internal databases then start empty: back their data up yourself.";
        }
        throw Refuse(BackupErrorIds.ComponentsNotExternal, FailureKind.InvalidOperation,
            $"APIManager '{apiManager.Name()}' manages {list} itself; 3scale backup is supported only when the system database, system redis and backend redis are external (spec.externalComponents). Their data would not be in the backup. Pass -Force to back up the rest anyway.",
            apiManager.Name(), internalOnes);
    }

    /// <summary>True when System's FileStorage is S3 (current or deprecated field); the default is a PVC.</summary>
    public static bool UsesS3FileStorage(JsonObject apiManager) =>
        apiManager.At("spec", "system", "fileStorage", "simpleStorageService") is JsonObject
        || apiManager.At("spec", "system", "fileStorage", "amazonSimpleStorageService") is JsonObject;

    public static void CheckFileStorage(JsonObject apiManager)
    {
        if (!UsesS3FileStorage(apiManager))
            return;
        throw Refuse(BackupErrorIds.FileStorageIsS3, FailureKind.InvalidOperation,
            $"APIManager '{apiManager.Name()}' keeps System's FileStorage in S3, which the 3scale backup does not support: its file-storage Job would wait forever for a '{ThreescaleApi.SystemStorageClaim}' claim that does not exist. Back up the bucket with your S3 tooling.",
            apiManager.Name());
    }

    /// <summary>Runs every rule in order; the first refusal wins. Nothing has been created when this throws.</summary>
    public static BackupPlan Evaluate(BackupRequest request, BackupClusterState state)
    {
        var size = ValidateRequest(request);
        var warnings = new List<string>();
        if (state.ExistingBackup is not null)
        {
            throw Refuse(BackupErrorIds.BackupExists, FailureKind.ResourceExists,
                $"An APIManagerBackup named '{request.Name}' already exists in namespace '{request.Namespace}'; choose another name or remove it with Remove-ApiManagerBackup.",
                request.Name);
        }
        var apiManager = SelectApiManager(state.ApiManagers, request.Namespace, request.ApiManagerName);
        if (CheckExternalComponents(apiManager, request.Force) is { } forced)
            warnings.Add(forced);
        CheckFileStorage(apiManager);
        if (state.SystemStorageClaim is null)
        {
            throw Refuse(BackupErrorIds.SystemStorageMissing, FailureKind.ObjectNotFound,
                $"Claim '{ThreescaleApi.SystemStorageClaim}' (System's FileStorage) does not exist in namespace '{request.Namespace}'; the operator's file-storage Job would wait forever to mount it.",
                ThreescaleApi.SystemStorageClaim);
        }
        var accessModes = (state.SystemStorageClaim.At("spec", "accessModes") as JsonArray)?
            .Select(m => m?.ToString() ?? "").ToArray() ?? Array.Empty<string>();
        if (accessModes.Length > 0 && !accessModes.Contains("ReadWriteMany"))
        {
            warnings.Add($"Claim '{ThreescaleApi.SystemStorageClaim}' is {string.Join(",", accessModes)}, not ReadWriteMany: the file-storage Job cannot start while the volume is attached on another node.");
        }
        if (KubeSize.Bytes(ClaimInfo.Size(state.SystemStorageClaim)) is { } systemBytes && size.TryGetValue(out var backupBytes) && backupBytes < systemBytes)
        {
            warnings.Add($"-StorageSize {request.StorageSize} is smaller than claim '{ThreescaleApi.SystemStorageClaim}' ({ClaimInfo.Size(state.SystemStorageClaim)}): the copy of System's FileStorage fails if its files do not fit.");
        }
        var missing = ThreescaleApi.SecretsBackedUp.Where(s => !state.ExistingSecrets.Contains(s)).Select(s => "secret/" + s)
            .Concat(ThreescaleApi.ConfigMapsBackedUp.Where(c => !state.ExistingConfigMaps.Contains(c)).Select(c => "configmap/" + c))
            .ToList();
        if (missing.Count > 0)
        {
            throw Refuse(BackupErrorIds.SourceObjectsMissing, FailureKind.ObjectNotFound,
                $"The backup Job reads objects that do not exist in namespace '{request.Namespace}': {string.Join(", ", missing)}. The Job would fail on the first one and the operator would wait forever.",
                request.Namespace, missing);
        }
        CheckDestination(request, size, state.Storage, state.ExistingClaim.Uid(), warnings);
        if (state.ExistingClaim is not null)
        {
            var phase = state.ExistingClaim.Str("status", "phase") ?? "Unknown";
            if (!request.Force)
            {
                throw Refuse(BackupErrorIds.BackupClaimExists, FailureKind.ResourceExists,
                    $"Claim '{request.Name}' already exists in namespace '{request.Namespace}' ({phase}). The operator would reuse it and mix this backup with its contents. Choose another name, remove it (Remove-ApiManagerBackup -IncludeVolume), or pass -Force to write into it anyway.",
                    request.Name);
            }
            warnings.Add($"Claim '{request.Name}' already exists ({phase}); -Force: the backup is written into it, on top of what it holds.");
        }
        return new BackupPlan(BuildResource(request, size), apiManager.Name(), warnings);
    }

    /// <summary>
    /// The claim the operator creates must be able to bind, or the backup has no volume: a named StorageClass must
    /// exist, without one the cluster needs a default class, and a named PersistentVolume must exist, be free (or
    /// reserved for this claim) and be large enough. These are the PV controller's own binding rules.
    /// </summary>
    public static void CheckDestination(BackupRequest request, KubeQuantity size, BackupStorageView? storage, string? existingClaimUid, List<string> warnings)
    {
        if (storage is null)
        {
            warnings.Add("StorageClasses and PersistentVolumes cannot be read with these credentials: the backup destination was not checked, and the claim may stay Pending.");
            return;
        }
        if (!string.IsNullOrEmpty(request.VolumeName))
        {
            CheckVolume(request, size, storage.Volume, existingClaimUid, storage.StorageClasses);
            return;
        }
        var classes = storage.StorageClasses.Select(c => c.Name()).OrderBy(n => n, StringComparer.Ordinal).ToList();
        var available = classes.Count == 0 ? "none" : string.Join(", ", classes);
        if (!string.IsNullOrEmpty(request.StorageClass))
        {
            if (!classes.Contains(request.StorageClass, StringComparer.Ordinal))
            {
                throw Refuse(BackupErrorIds.StorageClassNotFound, FailureKind.ObjectNotFound,
                    $"StorageClass '{request.StorageClass}' does not exist, so the backup claim could never be provisioned. StorageClasses in this cluster: {available}.",
                    request.StorageClass, classes);
            }
            return;
        }
        if (!storage.StorageClasses.Any(IsDefaultClass))
        {
            throw Refuse(BackupErrorIds.DefaultStorageClassMissing, FailureKind.ObjectNotFound,
                $"No -StorageClass was given and the cluster has no default StorageClass, so the backup claim would stay Pending. Give -StorageClass (available: {available}) or -VolumeName.",
                request.Name, classes);
        }
    }

    private static void CheckVolume(BackupRequest request, KubeQuantity size, JsonObject? volume, string? existingClaimUid, IReadOnlyList<JsonObject> classes)
    {
        var name = request.VolumeName!;
        if (volume is null)
        {
            throw Refuse(BackupErrorIds.VolumeNotFound, FailureKind.ObjectNotFound,
                $"PersistentVolume '{name}' does not exist; a claim naming it stays Pending. List volumes with Get-PersistentVolume.", name);
        }
        var phase = volume.Str("status", "phase") ?? "Available";
        if (volume.At("spec", "claimRef") is JsonObject claimRef)
        {
            string? refNs = claimRef.Str("namespace"), refName = claimRef.Str("name"), refUid = claimRef.Str("uid");
            // Pre-bound to this claim by name, or bound to the existing claim of this name that -Force writes into.
            bool ours = refNs == request.Namespace && refName == request.Name && (string.IsNullOrEmpty(refUid) || refUid == existingClaimUid);
            if (!ours)
            {
                var holder = $"{refNs}/{refName}";
                var why = phase == "Released"
                    ? $"is Released but still reserved for the deleted claim {holder}; an administrator must clear its claimRef before another claim can bind it"
                    : $"is {phase} to claim {holder}";
                throw Refuse(BackupErrorIds.VolumeClaimedElsewhere, FailureKind.ResourceBusy,
                    $"PersistentVolume '{name}' {why}. The backup claim '{request.Namespace}/{request.Name}' would stay Pending.", name);
            }
        }
        CheckVolumeSatisfiesClaim(request, volume, classes);
        var capacity = volume.Str("spec", "capacity", "storage");
        if (KubeSize.Bytes(capacity) is { } have && size.TryGetValue(out var want) && want > have)
        {
            throw Refuse(BackupErrorIds.VolumeTooSmall, FailureKind.InvalidArgument,
                $"PersistentVolume '{name}' holds {capacity}, less than -StorageSize {request.StorageSize}; the claim would never bind to it. Ask for at most {capacity}.",
                name);
        }
    }

    /// <summary>
    /// The PV controller binds a claim to the volume it names only when the volume satisfies it (checkVolumeSatisfyClaim):
    /// the same StorageClass, every access mode the claim asks for, the same volume mode. The operator's backup claim asks
    /// for ReadWriteOnce, a filesystem, and no class when -VolumeName is given, so the DefaultStorageClass admission
    /// plugin gives it the cluster's default class: a volume of another class (or of none, beside a default) never binds.
    /// </summary>
    private static void CheckVolumeSatisfiesClaim(BackupRequest request, JsonObject volume, IReadOnlyList<JsonObject> classes)
    {
        var name = request.VolumeName!;
        var claimClass = DefaultClass(classes)?.Name() ?? "";
        var volumeClass = volume.Str("spec", "storageClassName")
            ?? (volume.Annotations().TryGetValue(BetaVolumeClassAnnotation, out var beta) ? beta : "");
        if (volumeClass != claimClass)
        {
            var given = claimClass.Length == 0
                ? "no class, since the cluster has no default StorageClass"
                : $"the cluster's default StorageClass '{claimClass}'";
            throw Refuse(BackupErrorIds.VolumeClassMismatch, FailureKind.InvalidOperation,
                $"PersistentVolume '{name}' has {(volumeClass.Length == 0 ? "no StorageClass" : $"StorageClass '{volumeClass}'")}, but the backup claim gets {given} (the operator's claim names none), and a claim binds only a volume of its own class. Set the volume's storageClassName to '{claimClass}', or back up to a new volume with -StorageClass.",
                name);
        }
        var modes = (volume.At("spec", "accessModes") as JsonArray ?? []).Select(m => m?.GetValue<string>()).ToList();
        if (!modes.Contains(ThreescaleApi.BackupClaimAccessMode))
        {
            throw Refuse(BackupErrorIds.VolumeAccessModeMismatch, FailureKind.InvalidOperation,
                $"PersistentVolume '{name}' offers {(modes.Count == 0 ? "no access mode" : string.Join(", ", modes))}, but the operator's backup claim asks for {ThreescaleApi.BackupClaimAccessMode}; the claim would never bind to it.",
                name);
        }
        var volumeMode = volume.Str("spec", "volumeMode") ?? "Filesystem";
        if (volumeMode != "Filesystem")
        {
            throw Refuse(BackupErrorIds.VolumeModeMismatch, FailureKind.InvalidOperation,
                $"PersistentVolume '{name}' is a {volumeMode} volume, but the backup Jobs write files to a Filesystem volume; the claim would never bind to it.",
                name);
        }
    }

    /// <summary>
    /// The class the DefaultStorageClass admission plugin gives a claim that names none: the default class, the newest
    /// one when several are marked (as Kubernetes 1.26 and later choose).
    /// </summary>
    private static JsonObject? DefaultClass(IReadOnlyList<JsonObject> classes) =>
        classes.Where(IsDefaultClass)
            .OrderByDescending(c => c.Str("metadata", "creationTimestamp") is { } created && DateTimeOffset.TryParse(created, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at) ? at : DateTimeOffset.MinValue)
            .ThenBy(c => c.Name(), StringComparer.Ordinal)
            .FirstOrDefault();

    private const string BetaVolumeClassAnnotation = "volume.beta.kubernetes.io/storage-class";

    /// <summary>The DefaultStorageClass admission plugin's test: either annotation set to "true".</summary>
    public static bool IsDefaultClass(JsonObject storageClass)
    {
        var annotations = storageClass.Annotations();
        return (annotations.TryGetValue(DefaultClassAnnotation, out var v) && v == "true")
            || (annotations.TryGetValue(BetaDefaultClassAnnotation, out var beta) && beta == "true");
    }

    /// <summary>The APIManagerBackup to create. -ApiManagerName is checked, never written: the CRD has no such field.</summary>
    public static JsonObject BuildResource(BackupRequest request, KubeQuantity size)
    {
        var pvc = new JsonObject { ["resources"] = new JsonObject { ["requests"] = size.Text } };
        if (!string.IsNullOrEmpty(request.VolumeName))
            pvc["volumeName"] = request.VolumeName;
        if (!string.IsNullOrEmpty(request.StorageClass))
            pvc["storageClass"] = request.StorageClass;
        return new JsonObject
        {
            ["apiVersion"] = ThreescaleApi.ApiVersion,
            ["kind"] = ThreescaleApi.BackupKind,
            ["metadata"] = new JsonObject { ["name"] = request.Name, ["namespace"] = request.Namespace },
            ["spec"] = new JsonObject
            {
                ["backupDestination"] = new JsonObject { ["persistentVolumeClaim"] = pvc },
            },
        };
    }

    internal static BackupPreflightException Refuse(string id, FailureKind kind, string message, object? target,
        IReadOnlyList<string>? items = null) => new(id, kind, message, target, items);
}
