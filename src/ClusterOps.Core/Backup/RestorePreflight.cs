using ClusterOps.Kubernetes.Resources;
using System.Text.Json.Nodes;
using ClusterOps.Core.Common;

namespace ClusterOps.Core.Backup;

/// <summary>What Start-ApiManagerRestore was asked to do: restore from a backup (by name) or from a claim.</summary>
/// <param name="Force">Restore from a claim that lacks the backup annotations (a cloned or copied volume), with a warning.</param>
public sealed record RestoreRequest(string Name, string Namespace, string? BackupName = null, string? ClaimName = null, bool Force = false);

/// <summary>What the cluster holds that the restore preflight judges.</summary>
public sealed record RestoreClusterState(
    JsonObject? ExistingRestore,
    JsonObject? Claim,
    IReadOnlySet<string> ExistingSecrets,
    IReadOnlyList<JsonObject> ApiManagers,
    JsonObject? SystemStorageClaim);

public sealed record RestorePlan(JsonObject Resource, string ClaimName, string? ApiManagerName, IReadOnlyList<string> Warnings);

/// <summary>The restore preflight: pure rules over API objects; each refusal has a stable ErrorId.</summary>
public static class RestorePreflight
{
    private const string SharedSecretSuffix = "-serialized-apimanager";

    public static void ValidateRequest(RestoreRequest request)
    {
        // The operator creates Secret "<restore>-serialized-apimanager", which must itself be a valid name.
        if (!KubeNames.IsSubdomain(request.Name) || request.Name.Length + SharedSecretSuffix.Length > KubeNames.MaxNameLength)
        {
            throw BackupPreflight.Refuse(BackupErrorIds.InvalidRestoreName, FailureKind.InvalidArgument,
                $"'{request.Name}' is not a valid restore name: use lower-case letters, digits, '-' and '.', at most {KubeNames.MaxNameLength - SharedSecretSuffix.Length} characters.",
                request.Name);
        }
        bool byBackup = !string.IsNullOrEmpty(request.BackupName), byClaim = !string.IsNullOrEmpty(request.ClaimName);
        if (byBackup == byClaim)
        {
            throw BackupPreflight.Refuse(byBackup ? BackupErrorIds.RestoreSourceAmbiguous : BackupErrorIds.RestoreSourceMissing,
                FailureKind.InvalidArgument, "Give exactly one restore source: -BackupName or -ClaimName.", request.Name);
        }
    }

    /// <summary>The claim a restore reads: -ClaimName, or the claim a completed backup recorded in its status.</summary>
    public static string ResolveClaimName(RestoreRequest request, JsonObject? backup)
    {
        if (!string.IsNullOrEmpty(request.ClaimName))
            return request.ClaimName;
        if (backup is null)
        {
            throw BackupPreflight.Refuse(BackupErrorIds.BackupNotFound, FailureKind.ObjectNotFound,
                $"No APIManagerBackup '{request.BackupName}' in namespace '{request.Namespace}'. If only its claim is left, use -ClaimName.",
                request.BackupName);
        }
        if (backup.Bool("status", "completed") != true)
        {
            throw BackupPreflight.Refuse(BackupErrorIds.BackupNotCompleted, FailureKind.InvalidOperation,
                $"APIManagerBackup '{request.BackupName}' has not completed; restoring from a partial backup is refused.",
                request.BackupName);
        }
        return backup.Str("status", "backupPersistentVolumeClaimName") ?? backup.Name();
    }

    public static RestorePlan Evaluate(RestoreRequest request, string claimName, RestoreClusterState state)
    {
        ValidateRequest(request);
        if (state.ExistingRestore is not null)
        {
            throw BackupPreflight.Refuse(BackupErrorIds.RestoreExists, FailureKind.ResourceExists,
                $"An APIManagerRestore named '{request.Name}' already exists in namespace '{request.Namespace}'.", request.Name);
        }
        // The restore Jobs mount the claim as a pod volume named after it: it must be a DNS-1123 label.
        if (!KubeNames.IsLabel(claimName))
        {
            throw BackupPreflight.Refuse(BackupErrorIds.RestoreClaimNameInvalid, FailureKind.InvalidArgument,
                $"Claim name '{claimName}' cannot be mounted by the operator's restore Jobs (a pod volume name must be a DNS-1123 label of at most 63 characters).",
                claimName);
        }
        var claim = state.Claim ?? throw BackupPreflight.Refuse(BackupErrorIds.RestoreClaimNotFound, FailureKind.ObjectNotFound,
            $"Claim '{claimName}' does not exist in namespace '{request.Namespace}'.", claimName);
        var phase = claim.Str("status", "phase") ?? "Pending";
        if (phase != "Bound")
        {
            throw BackupPreflight.Refuse(BackupErrorIds.RestoreClaimNotBound, FailureKind.InvalidOperation,
                $"Claim '{claimName}' is {phase}, not Bound: it holds no backup data the restore Jobs could read.", claimName);
        }
        var warnings = new List<string>();
        var annotations = claim.Annotations();
        var absent = ThreescaleApi.BackupClaimAnnotations.Where(a => !annotations.ContainsKey(a)).ToList();
        if (absent.Count > 0)
        {
            // Stricter than the operator, which mounts any claim by name and never looks at these annotations.
            if (!request.Force)
            {
                throw BackupPreflight.Refuse(BackupErrorIds.RestoreClaimNotABackup, FailureKind.InvalidData,
                    $"Claim '{claimName}' was not written by an APIManagerBackup: it lacks the annotations {string.Join(", ", absent)}. If it holds a copy of a backup (a cloned or restored volume), pass -Force.",
                    claimName, absent);
            }
            warnings.Add($"-Force: claim '{claimName}' lacks the annotations {string.Join(", ", absent)}, so nothing shows it holds an APIManagerBackup. The 3scale operator does not check: its Jobs read secrets/*.json, configmaps/*.json, apimanager/apimanager-backup.json and system-filestorage-pvc/ from the claim, create only the secrets and config maps that do not exist, create the APIManager named in that file unless one of that name exists, and copy the files into '{ThreescaleApi.SystemStorageClaim}'. It will not notice a missing file: that Job fails and the operator waits forever (-Wait reports it).");
        }
        var missingSecrets = ThreescaleApi.SecretsNotRestored.Where(s => !state.ExistingSecrets.Contains(s)).ToList();
        if (missingSecrets.Count > 0)
        {
            throw BackupPreflight.Refuse(BackupErrorIds.RestoreSecretsMissing, FailureKind.ObjectNotFound,
                $"The restore never recreates these secrets and 3scale cannot start without them; create them first (pointing at your restored external databases): {string.Join(", ", missingSecrets)}.",
                request.Namespace, missingSecrets);
        }

        annotations.TryGetValue(ThreescaleApi.ClaimApiManagerNameAnnotation, out var apiManagerName);
        foreach (var existing in state.ApiManagers)
        {
            if (apiManagerName is null)
            {
                warnings.Add($"APIManager '{existing.Name()}' already exists: if the backup holds an APIManager of that name, the restore keeps the existing one and its spec; otherwise the namespace ends up with two APIManagers, which cannot be backed up.");
                continue;
            }
            warnings.Add(existing.Name() == apiManagerName
                ? $"APIManager '{existing.Name()}' already exists: the restore does not overwrite it, it keeps its current spec."
                : $"APIManager '{existing.Name()}' already exists next to the restored '{apiManagerName}': two APIManagers in one namespace cannot be backed up.");
        }
        var kept = ThreescaleApi.SecretsRestored.Where(state.ExistingSecrets.Contains).ToList();
        if (kept.Count > 0)
            warnings.Add($"Existing secrets are kept, not replaced by the backup's copies: {string.Join(", ", kept)}.");
        if (state.SystemStorageClaim is null)
        {
            warnings.Add($"Claim '{ThreescaleApi.SystemStorageClaim}' does not exist: the operator creates it ReadWriteMany at a fixed {ThreescaleApi.RestoredSystemStorageSize}, which may be too small for the restored files.");
        }
        return new RestorePlan(BuildResource(request, claimName), claimName, apiManagerName, warnings);
    }

    public static JsonObject BuildResource(RestoreRequest request, string claimName) => new()
    {
        ["apiVersion"] = ThreescaleApi.ApiVersion,
        ["kind"] = ThreescaleApi.RestoreKind,
        ["metadata"] = new JsonObject { ["name"] = request.Name, ["namespace"] = request.Namespace },
        ["spec"] = new JsonObject
        {
            ["restoreSource"] = new JsonObject
            {
                ["persistentVolumeClaim"] = new JsonObject
                {
                    ["claimSource"] = new JsonObject { ["claimName"] = claimName },
                },
            },
        },
    };
}
