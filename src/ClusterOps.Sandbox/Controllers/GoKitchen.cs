using System.Globalization;
using System.Text;

namespace ClusterOps.Sandbox.Controllers;

/// <summary>
/// Stork's getHourMinute (pkg/apis/stork/v1alpha1/schedulepolicy.go): Go's <c>time.Parse(time.Kitchen, s)</c>, then
/// <c>time.Parse("3:04pm", s)</c>, and on failure the second parse's error, worded as Go's <c>*time.ParseError</c>
/// words it, because Stork puts that text into its validation message and events.
/// </summary>
internal static class GoKitchen
{
    public static bool TryParse(string? text, out TimeSpan timeOfDay, out string? error)
    {
        text ??= "";
        if (Parse(text, "3:04PM", "PM", "AM", out timeOfDay, out _))
        {
            error = null;
            return true;
        }
        return Parse(text, "3:04pm", "pm", "am", out timeOfDay, out error);
    }

    /// <summary>Go's parse loop for the three elements of a Kitchen layout: hour "3", ":" then minute "04", then the AM/PM marker.</summary>
    private static bool Parse(string value, string layout, string pm, string am, out TimeSpan timeOfDay, out string? error)
    {
        timeOfDay = default;
        var rest = value;
        // "3": one or two digits (Go's getnum without a fixed width), range-checked as soon as it is read.
        if (!Digit(rest, 0))
            return Fail(out error, CannotParse(value, layout, rest, "3"));
        var digits = Digit(rest, 1) ? 2 : 1;
        var hour = int.Parse(rest[..digits], CultureInfo.InvariantCulture);
        rest = rest[digits..];
        if (hour > 12)
            return Fail(out error, $"parsing time {Quote(value)}: hour out of range");
        // ":" is a literal before "04".
        if (rest.Length == 0 || rest[0] != ':')
            return Fail(out error, CannotParse(value, layout, rest, ":"));
        rest = rest[1..];
        if (!Digit(rest, 0) || !Digit(rest, 1))
            return Fail(out error, CannotParse(value, layout, rest, "04"));
        var minute = int.Parse(rest[..2], CultureInfo.InvariantCulture);
        rest = rest[2..];
        if (minute > 59)
            return Fail(out error, $"parsing time {Quote(value)}: minute out of range");
        if (rest.Length < 2 || (rest[..2] != pm && rest[..2] != am))
            return Fail(out error, CannotParse(value, layout, rest, pm));
        var isPm = rest[..2] == pm;
        rest = rest[2..];
        if (rest.Length > 0)
            return Fail(out error, $"parsing time {Quote(value)}: extra text: {Quote(rest)}");
        if (isPm && hour < 12) hour += 12;
        else if (!isPm && hour == 12) hour = 0;
        timeOfDay = new TimeSpan(hour, minute, 0);
        error = null;
        return true;
    }

    private static bool Fail(out string? error, string message)
    {
        error = message;
        return false;
    }

    private static string CannotParse(string value, string layout, string valueElement, string layoutElement) =>
        $"parsing time {Quote(value)} as {Quote(layout)}: cannot parse {Quote(valueElement)} as {Quote(layoutElement)}";

    // Go compares bytes with '0'..'9'.
    private static bool Digit(string s, int i) => i < s.Length && s[i] is >= '0' and <= '9';

    /// <summary>Go's time.quote: double quotes, with quotes, backslashes and control characters escaped.</summary>
    private static string Quote(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in s)
        {
            switch (c)
            {
                case '"' or '\\': sb.Append('\\').Append(c); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < ' ' || c == '\x7f') sb.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        return sb.Append('"').ToString();
    }
}
