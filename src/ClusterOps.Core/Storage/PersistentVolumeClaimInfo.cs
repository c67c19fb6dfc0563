using System.Text.Json;
using System.Text.Json.Nodes;
using ClusterOps.Core.Common;
using ClusterOps.Kubernetes.Resources;

namespace ClusterOps.Core.Storage;

/// <summary>
/// One PersistentVolumeClaim as Get-PersistentVolumeClaim emits it: the cells of `kubectl get pvc` as flat scalars
/// (CSV-friendly, bindable by property name). Sizes are byte counts and the age a duration, so they sort and compare
/// as values; the table view prints them as kubectl does ("10Gi", "5m"). The full API object rides along through
/// <see cref="IKubeObjectRecord"/>.
/// </summary>
public sealed class PersistentVolumeClaimInfo : IKubeObjectRecord
{
    public required string Name { get; init; }
    public required string Namespace { get; init; }
    /// <summary>Pending, Bound, Lost, or Terminating once deletion has started.</summary>
    public required string Status { get; init; }
    public string Volume { get; init; } = "";
    /// <summary>The bound volume's capacity in bytes (the table prints "2Gi"); null until bound, as kubectl leaves it empty.</summary>
    public long? Capacity { get; init; }
    /// <summary>What the claim asked for (spec.resources.requests.storage), in bytes.</summary>
    public long? Requested { get; init; }
    /// <summary>"RWO,RWX": the bound volume's modes; empty until bound.</summary>
    public string AccessModes { get; init; } = "";
    public string StorageClass { get; init; } = "";
    /// <summary>Filesystem or Block; "&lt;unset&gt;" when the server did not default it.</summary>
    public string VolumeMode { get; init; } = "<unset>";
    public DateTimeOffset? Created { get; init; }
    /// <summary>Time since creation when the object was read, whole seconds (the table prints kubectl's "9m", "3h10m").</summary>
    public TimeSpan? Age { get; init; }
    /// <summary>The full claim as the API returned it (for Core and tests; PowerShell sees it as the Object property).</summary>
    internal PersistentVolumeClaim? Object { get; init; }

    JsonObject IKubeObjectRecord.ToKubeObject() =>
        Object is null ? new JsonObject() : (JsonObject)JsonSerializer.SerializeToNode(Object, KubeJsonContext.Default.PersistentVolumeClaim)!;

    public override string ToString() => $"{Namespace}/{Name}";

    /// <summary>The kubectl cells of a claim, as of <paramref name="now"/>.</summary>
    public static PersistentVolumeClaimInfo From(PersistentVolumeClaim pvc, DateTimeOffset now)
    {
        var volume = pvc.Spec?.VolumeName ?? "";
        var bound = volume.Length > 0;
        return new PersistentVolumeClaimInfo
        {
            Name = pvc.Metadata.Name ?? "",
            Namespace = pvc.Metadata.Namespace ?? "",
            Status = KubeDisplay.ClaimStatus(pvc.Status?.Phase, pvc.Metadata.DeletionTimestamp),
            Volume = volume,
            // kubectl fills capacity and modes from status only once the claim names a volume.
            Capacity = bound ? KubeSize.Bytes(pvc.Status?.Capacity?.GetValueOrDefault("storage")) : null,
            AccessModes = bound ? KubeDisplay.AccessModes(pvc.Status?.AccessModes) : "",
            Requested = KubeSize.Bytes(pvc.Spec?.Resources?.Requests?.GetValueOrDefault("storage")),
            StorageClass = KubeDisplay.StorageClass(pvc.Metadata.Annotations, pvc.Spec?.StorageClassName),
            VolumeMode = pvc.Spec?.VolumeMode ?? "<unset>",
            Created = pvc.Metadata.CreationTimestamp,
            Age = KubeAge.Since(pvc.Metadata.CreationTimestamp, now),
            Object = pvc,
        };
    }
}

/// <summary>One PersistentVolume with the cells of `kubectl get pv` as values, plus the full API object.</summary>
public sealed class PersistentVolumeInfo : IKubeObjectRecord
{
    public required string Name { get; init; }
    /// <summary>Bytes (the table prints "10Gi").</summary>
    public long? Capacity { get; init; }
    public string AccessModes { get; init; } = "";
    /// <summary>Retain, Delete or Recycle: what happens to the data when the claim goes.</summary>
    public string ReclaimPolicy { get; init; } = "";
    /// <summary>Available, Bound, Released, Failed, Pending, or Terminating once deletion has started.</summary>
    public required string Status { get; init; }
    /// <summary>"namespace/name" of the bound claim, empty when none.</summary>
    public string Claim { get; init; } = "";
    public string ClaimNamespace { get; init; } = "";
    public string ClaimName { get; init; } = "";
    public string StorageClass { get; init; } = "";
    public string Reason { get; init; } = "";
    public string VolumeMode { get; init; } = "<unset>";
    public DateTimeOffset? Created { get; init; }
    public TimeSpan? Age { get; init; }
    internal PersistentVolume? Object { get; init; }

    JsonObject IKubeObjectRecord.ToKubeObject() =>
        Object is null ? new JsonObject() : (JsonObject)JsonSerializer.SerializeToNode(Object, KubeJsonContext.Default.PersistentVolume)!;

    public override string ToString() => Name;

    public static PersistentVolumeInfo From(PersistentVolume pv, DateTimeOffset now) => new()
    {
        Name = pv.Metadata.Name ?? "",
        Capacity = KubeSize.Bytes(pv.Spec?.Capacity?.GetValueOrDefault("storage")),
        AccessModes = KubeDisplay.AccessModes(pv.Spec?.AccessModes),
        ReclaimPolicy = pv.Spec?.PersistentVolumeReclaimPolicy ?? "",
        Status = KubeDisplay.ClaimStatus(pv.Status?.Phase, pv.Metadata.DeletionTimestamp),
        Claim = pv.Spec?.ClaimRef is { } r ? KubeDisplay.ClaimRef(r.Namespace, r.Name) : "",
        ClaimNamespace = pv.Spec?.ClaimRef?.Namespace ?? "",
        ClaimName = pv.Spec?.ClaimRef?.Name ?? "",
        StorageClass = KubeDisplay.StorageClass(pv.Metadata.Annotations, pv.Spec?.StorageClassName),
        Reason = pv.Status?.Reason ?? "",
        VolumeMode = pv.Spec?.VolumeMode ?? "<unset>",
        Created = pv.Metadata.CreationTimestamp,
        Age = KubeAge.Since(pv.Metadata.CreationTimestamp, now),
        Object = pv,
    };
}
