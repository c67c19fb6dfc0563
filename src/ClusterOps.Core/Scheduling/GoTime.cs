namespace ClusterOps.Core.Scheduling;

/// <summary>The two pieces of Go's time package that Stork's trigger maths depends on, reproduced for .NET.</summary>
internal static class GoTime
{
    /// <summary>
    /// Go's <c>time.Date(year, month, day, hour, min, 0, 0, loc)</c>. A day past the month's end rolls into the next
    /// month (Feb 31 2019 is Mar 3). The wall time is turned into an instant the way Go does it: take the zone offset
    /// in force at the wall time read as UTC; if the resulting instant falls outside that offset's period, use the
    /// offset in force at the instant instead. So a time in a spring-forward gap lands one hour early on the wall
    /// clock in zones west of UTC, and a time in a fall-back overlap takes the first (summer) occurrence there.
    /// Go skips the correction when the first offset is zero, and so does this.
    /// </summary>
    public static DateTimeOffset Date(int year, int month, int day, int hour, int minute, TimeZoneInfo zone)
    {
        var wall = new DateTime(year, month, 1, 0, 0, 0, DateTimeKind.Utc)
            .AddDays(day - 1).AddHours(hour).AddMinutes(minute);
        var offset = zone.GetUtcOffset(wall);
        if (offset != TimeSpan.Zero)
        {
            // "Outside the period" is approximated by "a different offset at the instant": zones never change
            // offset twice within the few hours that separate the two readings.
            var atInstant = zone.GetUtcOffset(wall - offset);
            if (atInstant != offset)
                offset = atInstant;
        }
        var instant = DateTime.SpecifyKind(wall - offset, DateTimeKind.Utc);
        return new DateTimeOffset(instant).ToOffset(zone.GetUtcOffset(instant));
    }

    /// <summary>The instant as the zone's wall clock shows it (Go's t.In(loc)).</summary>
    public static DateTimeOffset In(DateTimeOffset instant, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(instant, zone);

    /// <summary>A metav1.Time round trip: the API stores RFC 3339 with whole seconds.</summary>
    public static DateTimeOffset TruncateToSecond(DateTimeOffset t) =>
        new(t.Ticks - t.Ticks % TimeSpan.TicksPerSecond, t.Offset);
}
