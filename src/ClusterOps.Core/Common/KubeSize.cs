using ClusterOps.Core.Backup;

namespace ClusterOps.Core.Common;

/// <summary>
/// Storage sizes as values: a quantity such as "10Gi" becomes a byte count, so output objects sort and compare
/// sizes as numbers (<c>Where-Object Capacity -gt 5GB</c>); <see cref="Format"/> turns the count back into the
/// text kubectl prints.
/// </summary>
public static class KubeSize
{
    private static readonly (string Suffix, long Factor)[] Binary =
        [("Ei", 1L << 60), ("Pi", 1L << 50), ("Ti", 1L << 40), ("Gi", 1L << 30), ("Mi", 1L << 20), ("Ki", 1L << 10)];

    private static readonly (string Suffix, long Factor)[] Decimal =
        [("E", 1_000_000_000_000_000_000), ("P", 1_000_000_000_000_000), ("T", 1_000_000_000_000), ("G", 1_000_000_000), ("M", 1_000_000), ("k", 1_000)];

    /// <summary>Bytes of a storage quantity, rounded up as Quantity.Value() does; null when absent or not a quantity that fits a long.</summary>
    public static long? Bytes(string? quantity) =>
        KubeQuantity.TryParse(quantity, out var q) && q.TryGetValue(out var value) && value >= long.MinValue && value <= long.MaxValue
            ? (long)value
            : null;

    /// <summary>
    /// kubectl's text for a byte count: the API server stores quantities in canonical form (the largest suffix that
    /// divides exactly), so the shortest exact form over binary and decimal suffixes gives back what kubectl prints
    /// ("10Gi", "100Mi", "5G"). Empty for null, as kubectl leaves the cell of an unbound claim empty.
    /// </summary>
    public static string Format(long? bytes)
    {
        if (bytes is not { } b)
            return "";
        var best = b.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var table in new[] { Binary, Decimal })
        {
            foreach (var (suffix, factor) in table)
            {
                if (b != 0 && b % factor == 0)
                {
                    var text = (b / factor).ToString(System.Globalization.CultureInfo.InvariantCulture) + suffix;
                    if (text.Length < best.Length)
                        best = text;
                    break;
                }
            }
        }
        return best;
    }
}
