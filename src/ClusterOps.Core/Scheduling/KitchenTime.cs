using System.Diagnostics.CodeAnalysis;

namespace ClusterOps.Core.Scheduling;

/// <summary>
/// A policy time exactly as Stork reads it: Go's <c>time.Parse(time.Kitchen, s)</c> (layout <c>3:04PM</c>) and,
/// if that fails, <c>time.Parse("3:04pm", s)</c> (schedulepolicy.go getHourMinute). .NET's own parsing is looser
/// (it accepts "10:14 PM", "10:14Pm" and "22:14"), so this re-implements Go's rules byte for byte:
/// <list type="bullet">
/// <item>hour: one or two ASCII digits (Go's getnum for the non-padded "3"), 0..12, so "03:04PM" and "0:30AM" pass;</item>
/// <item>':' literally;</item>
/// <item>minute: exactly two ASCII digits ("04" is fixed-width), 00..59, so "1:5PM" fails;</item>
/// <item>then "AM"/"PM" (first layout) or "am"/"pm" (second layout): never mixed case, no space, nothing after.</item>
/// </list>
/// Go then maps PM with hour &lt; 12 to hour + 12 and AM with hour 12 to 0. So "12:xxAM" is 00:xx and, less
/// obviously, "0:30PM" is 12:30 (Go accepts hour 0 in a 12-hour layout). These rules were checked against Go 1.19's
/// time.Parse on a generated corpus (tests/ClusterOps.Tests/Scheduling/KitchenTimeTests.cs).
/// </summary>
public readonly record struct KitchenTime
{
    private KitchenTime(string text, int hour, int minute)
    {
        Text = text;
        Hour = hour;
        Minute = minute;
    }

    /// <summary>The policy text, verbatim (storkctl prints it unchanged).</summary>
    public string Text { get; }

    /// <summary>0..23, after Go's AM/PM mapping.</summary>
    public int Hour { get; }

    public int Minute { get; }

    public TimeSpan TimeOfDay => new(Hour, Minute, 0);

    /// <summary>What Stork accepts, for messages.</summary>
    public const string AcceptedForm =
        "Go's time.Kitchen form h:mmPM or h:mmpm, e.g. 10:14PM or 10:14pm (hour 0-12, two-digit minutes, AM/PM all upper- or all lower-case, no space)";

    public static KitchenTime Parse(string text) =>
        TryParse(text, out var time, out var reason)
            ? time
            : throw new FormatException($"'{text}' is not a time Stork accepts: {reason}.");

    public static bool TryParse(string? text, out KitchenTime time) => TryParse(text, out time, out _);

    /// <param name="reason">Why Go would reject it, in words (null on success).</param>
    public static bool TryParse(string? text, out KitchenTime time, [NotNullWhen(false)] out string? reason)
    {
        time = default;
        if (string.IsNullOrEmpty(text))
        {
            reason = "the time is empty";
            return false;
        }

        var i = 0;
        if (!IsDigit(text, 0))
        {
            reason = "it must start with the hour digits";
            return false;
        }
        int hour = text[i++] - '0';
        if (IsDigit(text, i))
            hour = hour * 10 + (text[i++] - '0');

        // Go checks each field's range as soon as it is read, so the hour range comes before the ':'.
        if (hour > 12)
        {
            reason = $"hour {hour} is out of range for a 12-hour clock (0-12)";
            return false;
        }

        if (i >= text.Length || text[i] != ':')
        {
            reason = "the hour (one or two digits) must be followed by ':'";
            return false;
        }
        i++;

        if (!IsDigit(text, i) || !IsDigit(text, i + 1))
        {
            reason = "the minutes must be exactly two digits";
            return false;
        }
        var minute = (text[i] - '0') * 10 + (text[i + 1] - '0');
        i += 2;
        if (minute > 59)
        {
            reason = $"minute {minute} is out of range (00-59)";
            return false;
        }

        var suffix = text.Length - i >= 2 ? text.Substring(i, 2) : text[i..];
        var pm = suffix is "PM" or "pm";
        var am = suffix is "AM" or "am";
        if (!pm && !am)
        {
            reason = suffix.Length == 0
                ? "AM or PM is missing"
                : $"'{text[i..]}' is not AM, PM, am or pm directly after the minutes";
            return false;
        }
        i += 2;
        if (i != text.Length)
        {
            reason = $"unexpected text '{text[i..]}' after {suffix}";
            return false;
        }

        if (pm && hour < 12)
            hour += 12;
        else if (am && hour == 12)
            hour = 0;

        time = new KitchenTime(text, hour, minute);
        reason = null;
        return true;
    }

    // Go compares bytes with '0'..'9': other Unicode digits are not digits to it.
    private static bool IsDigit(string s, int index) => index < s.Length && s[index] is >= '0' and <= '9';

    public override string ToString() => Text;
}
