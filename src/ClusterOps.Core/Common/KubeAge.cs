namespace ClusterOps.Core.Common;

/// <summary>kubectl's AGE text, shared by every output object that shows an age.</summary>
public static class KubeAge
{
    /// <summary>kubectl's AGE cell: "&lt;unknown&gt;" without a timestamp, else <see cref="HumanDuration"/>.</summary>
    public static string Of(DateTimeOffset? created, DateTimeOffset now) =>
        created is null ? "<unknown>" : HumanDuration(now - created.Value);

    /// <summary>
    /// The age as a value (whole seconds, so it sorts as a duration and exports as "00:05:12"); null without a
    /// timestamp. <see cref="Of(TimeSpan?)"/> prints it as kubectl's AGE cell.
    /// </summary>
    public static TimeSpan? Since(DateTimeOffset? created, DateTimeOffset now) =>
        created is null ? null : TimeSpan.FromSeconds(Math.Truncate((now - created.Value).TotalSeconds));

    /// <summary>kubectl's AGE cell for an age value: "&lt;unknown&gt;" for null.</summary>
    public static string Of(TimeSpan? age) => age is { } a ? HumanDuration(a) : "<unknown>";

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
}
