using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Text;
using ClusterOps.Kubernetes.Input;

namespace ClusterOps.Core.Scheduling;

/// <summary>
/// The zone abbreviation Go prints for "MST" in a layout (time.RFC822 "02 Jan 06 15:04 MST"): Go takes it from the
/// zone's tzdata file (TZif), so storkctl shows CET, CEST, EST or UTC, and "+03" where tzdata itself has no letters.
/// .NET exposes no abbreviations, so this reads the same file: the transition in force at the instant, or the
/// footer's POSIX TZ rule after the last transition, as Go's time.Location.lookup does. Null when there is no file to
/// read (Windows, or a zone not backed by tzdata); the caller then prints the offset, as Go does for a zone without a
/// name.
/// </summary>
internal static class GoZoneAbbreviation
{
    private const long MaxTzifBytes = 1024 * 1024;
    private static readonly ConcurrentDictionary<string, Tzif?> Files = new(StringComparer.Ordinal);

    public static string? For(DateTimeOffset instant, TimeZoneInfo zone)
    {
        if (zone.Id is "UTC" or "Etc/UTC" or "Etc/Universal" or "Universal" or "Zulu" or "Etc/Zulu" || zone == TimeZoneInfo.Utc)
            return "UTC";
        var path = PathFor(zone);
        if (path is null)
            return null;
        var file = Files.GetOrAdd(path, Load);
        return file?.Abbreviation(instant.ToUnixTimeSeconds(), zone.IsDaylightSavingTime(instant));
    }

    private static string? PathFor(TimeZoneInfo zone)
    {
        var dir = Environment.GetEnvironmentVariable("TZDIR") is { Length: > 0 } tzdir ? tzdir : "/usr/share/zoneinfo";
        if (zone.Equals(TimeZoneInfo.Local))
        {
            var tz = Environment.GetEnvironmentVariable("TZ");
            if (tz is { Length: > 0 })
            {
                tz = tz.TrimStart(':');
                var candidate = Path.IsPathRooted(tz) ? tz : Path.Combine(dir, tz);
                if (File.Exists(candidate))
                    return candidate;
            }
            if (File.Exists("/etc/localtime"))
                return "/etc/localtime";
        }
        var byId = Path.Combine(dir, zone.Id);
        return !zone.Id.Contains("..", StringComparison.Ordinal) && File.Exists(byId) ? byId : null;
    }

    private static Tzif? Load(string path)
    {
        try
        {
            // A TZif file is a few KiB; the bound keeps a TZ pointing at a FIFO or a huge file from hanging or filling memory.
            return Tzif.Parse(BoundedFile.ReadBytes(path, MaxTzifBytes, "time zone file"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or ArgumentException or InputLimitException)
        {
            return null;
        }
    }

    private sealed record Tzif(long[] Transitions, byte[] TypeIndices, (int Offset, bool Dst, string Name)[] Types, string Footer)
    {
        public string? Abbreviation(long unixSeconds, bool isDst)
        {
            if (Types.Length == 0)
                return null;
            if (Transitions.Length == 0 || unixSeconds < Transitions[0])
                return FirstStandard().Name;
            if (unixSeconds >= Transitions[^1] && Footer.Length > 0 && FooterNames(Footer) is { } names)
                return isDst && names.Dst is not null ? names.Dst : names.Std;
            var index = Array.BinarySearch(Transitions, unixSeconds);
            if (index < 0)
                index = ~index - 1;
            return Types[TypeIndices[index]].Name;
        }

        private (int Offset, bool Dst, string Name) FirstStandard() =>
            Types.FirstOrDefault(t => !t.Dst) is { Name: not null } first ? first : Types[0];

        /// <summary>The std and dst names of a POSIX TZ string such as "CET-1CEST,M3.5.0,M10.5.0/3" or "&lt;+03&gt;-3".</summary>
        private static (string Std, string? Dst)? FooterNames(string footer)
        {
            var i = 0;
            var std = Name(footer, ref i);
            if (std is null)
                return null;
            while (i < footer.Length && (char.IsAsciiDigit(footer[i]) || footer[i] is '+' or '-' or ':'))
                i++;
            return (std, Name(footer, ref i));
        }

        private static string? Name(string s, ref int i)
        {
            if (i >= s.Length)
                return null;
            if (s[i] == '<')
            {
                var end = s.IndexOf('>', i);
                if (end < 0)
                    return null;
                var quoted = s[(i + 1)..end];
                i = end + 1;
                return quoted;
            }
            var start = i;
            while (i < s.Length && char.IsAsciiLetter(s[i]))
                i++;
            return i > start ? s[start..i] : null;
        }

        public static Tzif Parse(byte[] data)
        {
            if (data.Length < 44 || Encoding.ASCII.GetString(data, 0, 4) != "TZif")
                throw new FormatException("not a TZif file");
            var version = data[4];
            var (pos, v1) = Block(data, 0, timeSize: 4);
            if (version < (byte)'2')
                return v1;
            var (end, v2) = Block(data, pos, timeSize: 8);
            var footer = "";
            if (end < data.Length && data[end] == '\n')
            {
                var close = Array.IndexOf(data, (byte)'\n', end + 1);
                if (close > end)
                    footer = Encoding.ASCII.GetString(data, end + 1, close - end - 1);
            }
            return v2 with { Footer = footer };
        }

        private static (int End, Tzif File) Block(byte[] d, int at, int timeSize)
        {
            int Count(int n) => BinaryPrimitives.ReadInt32BigEndian(d.AsSpan(at + 20 + 4 * n, 4));
            int isut = Count(0), isstd = Count(1), leap = Count(2), time = Count(3), type = Count(4), chars = Count(5);
            var p = at + 44;
            var transitions = new long[time];
            for (var k = 0; k < time; k++, p += timeSize)
                transitions[k] = timeSize == 8 ? BinaryPrimitives.ReadInt64BigEndian(d.AsSpan(p, 8)) : BinaryPrimitives.ReadInt32BigEndian(d.AsSpan(p, 4));
            var indices = d.AsSpan(p, time).ToArray();
            p += time;
            var raw = new (int Offset, bool Dst, int Abbr)[type];
            for (var k = 0; k < type; k++, p += 6)
                raw[k] = (BinaryPrimitives.ReadInt32BigEndian(d.AsSpan(p, 4)), d[p + 4] != 0, d[p + 5]);
            var names = d.AsSpan(p, chars).ToArray();
            p += chars;
            p += leap * (timeSize + 4) + isstd + isut;
            var types = raw.Select(t =>
            {
                var end = Array.IndexOf(names, (byte)0, t.Abbr);
                return (t.Offset, t.Dst, Encoding.ASCII.GetString(names, t.Abbr, (end < 0 ? names.Length : end) - t.Abbr));
            }).ToArray();
            return (p, new Tzif(transitions, indices, types, ""));
        }
    }
}
