using System.Collections.Frozen;

namespace ClusterOps.Core.Scheduling;

/// <summary>
/// The weekday spellings Stork accepts: exact keys of its <c>Days</c> map (schedulepolicy.go). The lookup is a
/// plain Go map index, so it is case-sensitive: "Sunday", "Sun", "sunday" and "sun" work, "SUN" and "SUNDAY" do
/// not. Thursday alone also has "Thur" and "Thurs" (and their lower-case forms).
/// </summary>
public static class StorkWeekdays
{
    private static readonly (string Key, DayOfWeek Day)[] Keys =
    [
        ("Sunday", DayOfWeek.Sunday), ("Sun", DayOfWeek.Sunday), ("sunday", DayOfWeek.Sunday), ("sun", DayOfWeek.Sunday),
        ("Monday", DayOfWeek.Monday), ("Mon", DayOfWeek.Monday), ("monday", DayOfWeek.Monday), ("mon", DayOfWeek.Monday),
        ("Tuesday", DayOfWeek.Tuesday), ("Tue", DayOfWeek.Tuesday), ("tuesday", DayOfWeek.Tuesday), ("tue", DayOfWeek.Tuesday),
        ("Wednesday", DayOfWeek.Wednesday), ("Wed", DayOfWeek.Wednesday), ("wednesday", DayOfWeek.Wednesday), ("wed", DayOfWeek.Wednesday),
        ("Thursday", DayOfWeek.Thursday), ("Thu", DayOfWeek.Thursday), ("Thur", DayOfWeek.Thursday), ("Thurs", DayOfWeek.Thursday),
        ("thursday", DayOfWeek.Thursday), ("thu", DayOfWeek.Thursday), ("thur", DayOfWeek.Thursday), ("thurs", DayOfWeek.Thursday),
        ("Friday", DayOfWeek.Friday), ("Fri", DayOfWeek.Friday), ("friday", DayOfWeek.Friday), ("fri", DayOfWeek.Friday),
        ("Saturday", DayOfWeek.Saturday), ("Sat", DayOfWeek.Saturday), ("saturday", DayOfWeek.Saturday), ("sat", DayOfWeek.Saturday),
    ];

    private static readonly FrozenDictionary<string, DayOfWeek> ByKey =
        Keys.ToFrozenDictionary(k => k.Key, k => k.Day, StringComparer.Ordinal);

    /// <summary>Every accepted spelling, in Stork's order.</summary>
    public static IReadOnlyList<string> AcceptedKeys { get; } = Keys.Select(k => k.Key).ToArray();

    public static bool TryParse(string? text, out DayOfWeek day)
    {
        day = default;
        return text is not null && ByKey.TryGetValue(text, out day);
    }

    /// <summary>The spellings Stork accepts for one day, e.g. Sunday, Sun, sunday, sun.</summary>
    public static IReadOnlyList<string> SpellingsOf(DayOfWeek day) =>
        Keys.Where(k => k.Day == day).Select(k => k.Key).ToArray();

    /// <summary>
    /// The day the user most likely meant ("SUN", "Tues", "SATURDAY"), so an error can list the right spellings;
    /// null when the text names no day unambiguously.
    /// </summary>
    public static DayOfWeek? Guess(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        var t = text.Trim();
        var exact = Keys.Where(k => string.Equals(k.Key, t, StringComparison.OrdinalIgnoreCase)).Select(k => k.Day).Distinct().ToList();
        if (exact.Count == 1)
            return exact[0];
        if (t.Length < 2)
            return null;
        var prefixed = Enum.GetValues<DayOfWeek>()
            .Where(d => d.ToString().StartsWith(t, StringComparison.OrdinalIgnoreCase) ||
                        t.StartsWith(d.ToString()[..3], StringComparison.OrdinalIgnoreCase))
            .Distinct().ToList();
        return prefixed.Count == 1 ? prefixed[0] : null;
    }

    /// <summary>"Sunday, Sun, sunday or sun".</summary>
    public static string JoinAlternatives(IReadOnlyList<string> items) =>
        items.Count switch
        {
            0 => "",
            1 => items[0],
            _ => string.Join(", ", items.Take(items.Count - 1)) + " or " + items[^1],
        };
}
