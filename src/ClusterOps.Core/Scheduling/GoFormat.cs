using System.Globalization;
using System.Text;

namespace ClusterOps.Core.Scheduling;

/// <summary>Go's text forms that storkctl prints, so ClusterOps columns read the same.</summary>
public static class GoFormat
{
    /// <summary>Go's time.Duration.String(): 5m0s, 1h2m3s, 1.5s, 250ms, 0s.</summary>
    public static string Duration(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
            return "0s";
        var sb = new StringBuilder();
        // TimeSpan's tick is 100 ns; Go counts nanoseconds.
        var ns = (decimal)value.Ticks * 100;
        if (ns < 0)
        {
            sb.Append('-');
            ns = -ns;
        }
        if (ns < 1_000_000_000m)
        {
            var (unit, scale) = ns < 1_000m ? ("ns", 1m) : ns < 1_000_000m ? ("µs", 1_000m) : ("ms", 1_000_000m);
            return sb.Append(Trim(ns / scale)).Append(unit).ToString();
        }
        var hours = decimal.Floor(ns / 3_600_000_000_000m);
        ns -= hours * 3_600_000_000_000m;
        var minutes = decimal.Floor(ns / 60_000_000_000m);
        ns -= minutes * 60_000_000_000m;
        if (hours > 0)
            sb.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
        if (hours > 0 || minutes > 0)
            sb.Append(minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
        return sb.Append(Trim(ns / 1_000_000_000m)).Append('s').ToString();
    }

    /// <summary>
    /// Go's time.RFC822 layout "02 Jan 06 15:04 MST" in a zone. "MST" is the zone's abbreviation from tzdata (CET,
    /// CEST, UTC, or "+03" where tzdata has no letters); only when there is no tzdata to read does it fall back to the
    /// offset (+0100), as Go does for a zone without a name.
    /// </summary>
    public static string Rfc822(DateTimeOffset value, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(value, zone);
        var abbreviation = GoZoneAbbreviation.For(value, zone)
            ?? local.ToString("zzz", CultureInfo.InvariantCulture).Replace(":", "", StringComparison.Ordinal);
        return local.ToString("dd MMM yy HH:mm ", CultureInfo.InvariantCulture) + abbreviation;
    }

    private static string Trim(decimal value) =>
        value.ToString("0.#########", CultureInfo.InvariantCulture);
}
