using System.Globalization;

namespace ClusterOps.Bench.Infrastructure;

public static class Stats
{
    public static double Median(IReadOnlyCollection<double> values) => Percentile(values, 50);

    /// <summary>Nearest-rank percentile.</summary>
    public static double Percentile(IReadOnlyCollection<double> values, double p)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.OrderBy(v => v).ToArray();
        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public static string Ms(double ms) => ms >= 1000
        ? (ms / 1000).ToString("0.00", CultureInfo.InvariantCulture) + " s"
        : ms < 10 ? ms.ToString("0.00", CultureInfo.InvariantCulture) + " ms" : ms.ToString("0", CultureInfo.InvariantCulture) + " ms";

    public static string Ratio(double ours, double reference) =>
        reference > 0 ? (ours / reference).ToString("0.00", CultureInfo.InvariantCulture) + "x" : "-";

    public static string Mb(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0.0", CultureInfo.InvariantCulture) + " MB";

    public static string F(double value, string format = "0.0") => value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>Objects per second for a count listed in <paramref name="ms"/>.</summary>
    public static string Rate(int count, double ms) => (count / (ms / 1000.0)).ToString("#,0", CultureInfo.InvariantCulture) + "/s";
}
