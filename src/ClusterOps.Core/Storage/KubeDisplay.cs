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

    /// <summary>kubectl's AGE cell: "&lt;unknown&gt;" without a timestamp, else <see cref="HumanDuration"/>.</summary>
    public static string Age(DateTimeOffset? created, DateTimeOffset now) =>
        created is null ? "<unknown>" : HumanDuration(now - created.Value);

    /// <summary>
    /// apimachinery's HumanDuration: about two significant figures ("90s", "5m30s", "3h10m", "4d2h", "2y30d").
    /// Up to one second in the future still reads "0s" (clock skew); further is "&lt;invalid&gt;".
    /// </summary>
    public static string HumanDuration(TimeSpan d)
    {
        var seconds = (long)d.TotalSeconds; // truncates toward zero, as Go's int(d.Seconds()) does
        if (seconds < -1)
            return "<invalid>";
        if (seconds < 0)
            return "0s";
        if (seconds < 60 * 2)
            return $"{seconds}s";
        var minutes = seconds / 60;
        if (minutes < 10)
        {
            var s = seconds % 60;
            return s == 0 ? $"{minutes}m" : $"{minutes}m{s}s";
        }
        if (minutes < 60 * 3)
            return $"{minutes}m";
        var hours = minutes / 60;
        if (hours < 8)
        {
            var m = minutes % 60;
            return m == 0 ? $"{hours}h" : $"{hours}h{m}m";
        }
        if (hours < 48)
            return $"{hours}h";
        if (hours < 24 * 8)
        {
            var h = hours % 24;
            return h == 0 ? $"{hours / 24}d" : $"{hours / 24}d{h}h";
        }
        if (hours < 24 * 365 * 2)
            return $"{hours / 24}d";
        if (hours < 24 * 365 * 8)
        {
            var dy = hours / 24 % 365;
            return dy == 0 ? $"{hours / 24 / 365}y" : $"{hours / 24 / 365}y{dy}d";
        }
        return $"{hours / 24 / 365}y";
    }

    /// <summary>A claim's STATUS cell: "Terminating" once deletion started, else the phase.</summary>
    public static string ClaimStatus(string? phase, DateTimeOffset? deletionTimestamp) =>
        deletionTimestamp is not null ? "Terminating" : phase ?? "";

    /// <summary>A volume's CLAIM cell: "namespace/name" or empty.</summary>
    public static string ClaimRef(string? ns, string? name) => name is null && ns is null ? "" : $"{ns}/{name}";
}
