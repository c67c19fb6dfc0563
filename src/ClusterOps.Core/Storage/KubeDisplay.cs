namespace ClusterOps.Core.Storage;

/// <summary>
/// The display rules kubectl applies to volumes and claims (kubernetes printers.go and apimachinery's duration
/// helpers), so our columns read exactly like `kubectl get pvc` / `kubectl get pv`.
/// </summary>
public static class KubeDisplay
{
    /// <summary>The beta annotation kubectl still prefers over spec.storageClassName.</summary>
    public const string BetaStorageClassAnnotation = "volume.beta.kubernetes.io/storage-class";

    private static readonly (string Mode, string Short)[] AccessModeOrder =
    {
        ("ReadWriteOnce", "RWO"), ("ReadOnlyMany", "ROX"), ("ReadWriteMany", "RWX"), ("ReadWriteOncePod", "RWOP"),
    };

    /// <summary>"RWO,RWX": always in the order RWO, ROX, RWX, RWOP, duplicates and unknown modes dropped.</summary>
    public static string AccessModes(IEnumerable<string>? modes)
    {
        if (modes is null)
            return "";
        var present = new HashSet<string>(modes, StringComparer.Ordinal);
        return string.Join(",", AccessModeOrder.Where(m => present.Contains(m.Mode)).Select(m => m.Short));
    }

    /// <summary>The class kubectl shows: the beta annotation when present (even empty), else the spec field.</summary>
    public static string StorageClass(IReadOnlyDictionary<string, string>? annotations, string? specClass) =>
        annotations is not null && annotations.TryGetValue(BetaStorageClassAnnotation, out var beta) ? beta : specClass ?? "";

    /// <summary>A claim's STATUS cell: "Terminating" once deletion started, else the phase.</summary>
    public static string ClaimStatus(string? phase, DateTimeOffset? deletionTimestamp) =>
        deletionTimestamp is not null ? "Terminating" : phase ?? "";

    /// <summary>A volume's CLAIM cell: "namespace/name" or empty.</summary>
    public static string ClaimRef(string? ns, string? name) => name is null && ns is null ? "" : $"{ns}/{name}";
}
