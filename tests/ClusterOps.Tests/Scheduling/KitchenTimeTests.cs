using ClusterOps.Core.Scheduling;
using FsCheck;
using FsCheck.Fluent;

namespace ClusterOps.Tests.Scheduling;

public sealed class KitchenTimeTests
{
    private static readonly string[] Hours = ["", "0", "1", "9", "00", "01", "09", "10", "11", "12", "13", "24", "25", "012", "1 ", " 1", "x"];
    private static readonly string[] Separators = [":", ".", "", " :"];
    private static readonly string[] Minutes = ["", "0", "5", "00", "05", "30", "59", "60", "99", "000"];
    private static readonly string[] Suffixes = ["AM", "PM", "am", "pm", "Am", "aM", "Pm", "pM", " PM", "PM ", "A", "P", "", "AMX", "p.m.", "\u00a0PM"];

    /// <summary>The corpus the Go oracle was run on (Oracle/README.md), in the same order.</summary>
    public static IEnumerable<string> Corpus() =>
        from h in Hours from s in Separators from m in Minutes from x in Suffixes select h + s + m + x;

    private static Dictionary<string, (int Hour, int Minute)> GoAccepted() =>
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Scheduling", "Oracle", "kitchen-accepted.txt"))
            .Where(l => l.Length > 0)
            .Select(l => l.Split(' '))
            .ToDictionary(p => p[0], p => (int.Parse(p[1]), int.Parse(p[2])), StringComparer.Ordinal);

    [Fact]
    public void Accepts_exactly_what_Go_time_Parse_accepts_on_the_oracle_corpus()
    {
        var go = GoAccepted();
        var corpus = Corpus().ToList();
        Assert.Equal(10_880, corpus.Count);
        Assert.Equal(144, go.Count);

        var disagreements = new List<string>();
        foreach (var input in corpus)
        {
            var ours = KitchenTime.TryParse(input, out var time, out var reason);
            var theirs = go.TryGetValue(input, out var expected);
            if (ours != theirs)
                disagreements.Add($"'{input}': ours {ours} ({reason}), Go {theirs}");
            else if (ours && (time.Hour, time.Minute) != expected)
                disagreements.Add($"'{input}': ours {time.Hour}:{time.Minute}, Go {expected.Hour}:{expected.Minute}");
        }
        Assert.Empty(disagreements);
    }

    // pkg/schedule/schedule_test.go validateSchedulePolicyTest uses "01:15am", "11:15pm", "12:15pm" (valid) and
    // "25:15am", "13:15pm" (invalid); the seed uses "10:14PM", "8:05PM"; the rest are Go edge cases.
    [Theory]
    [InlineData("01:15am", 1, 15)]
    [InlineData("11:15pm", 23, 15)]
    [InlineData("12:15pm", 12, 15)]
    [InlineData("10:14PM", 22, 14)]
    [InlineData("8:05PM", 20, 5)]
    [InlineData("12:00AM", 0, 0)]
    [InlineData("12:00am", 0, 0)]
    [InlineData("0:30AM", 0, 30)]
    [InlineData("0:30PM", 12, 30)]
    [InlineData("03:04PM", 15, 4)]
    public void Parses_what_Stork_accepts(string text, int hour, int minute)
    {
        var time = KitchenTime.Parse(text);
        Assert.Equal((hour, minute), (time.Hour, time.Minute));
        Assert.Equal(text, time.Text);
    }

    [Theory]
    [InlineData("25:15am", "hour 25 is out of range")]
    [InlineData("13:15pm", "hour 13 is out of range")]
    [InlineData("10:14Pm", "'Pm' is not AM, PM, am or pm")]
    [InlineData("10:14 PM", "' PM' is not AM, PM, am or pm")]
    [InlineData("22:14", "hour 22 is out of range")]
    [InlineData("10:14", "AM or PM is missing")]
    [InlineData("1:5PM", "exactly two digits")]
    [InlineData("10:60PM", "minute 60 is out of range")]
    [InlineData("10:14PM ", "unexpected text ' '")]
    [InlineData(" 10:14PM", "must start with the hour")]
    [InlineData("10.14PM", "followed by ':'")]
    [InlineData("", "empty")]
    [InlineData("１0:14PM", "must start with the hour")] // a full-width digit is not a digit to Go
    public void Rejects_what_Go_rejects_and_says_why(string text, string because)
    {
        Assert.False(KitchenTime.TryParse(text, out _, out var reason));
        Assert.Contains(because, reason);
        var ex = Assert.Throws<FormatException>(() => KitchenTime.Parse(text));
        Assert.Contains(text, ex.Message);
    }

    [Fact]
    public void Every_valid_clock_reading_round_trips_through_Go_AM_PM_rules()
    {
        var gen =
            from hour in Gen.Choose(0, 12)
            from minute in Gen.Choose(0, 59)
            from suffix in Gen.Elements("AM", "PM", "am", "pm")
            from pad in Gen.Elements(true, false)
            select (hour, minute, suffix, pad);
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), Prop.ForAll(gen.ToArbitrary(), c =>
        {
            var text = $"{(c.pad ? c.hour.ToString("00") : c.hour.ToString())}:{c.minute:00}{c.suffix}";
            var parsed = KitchenTime.Parse(text);
            var pm = c.suffix is "PM" or "pm";
            var expectedHour = pm ? (c.hour < 12 ? c.hour + 12 : 12) : (c.hour == 12 ? 0 : c.hour);
            return parsed.Hour == expectedHour && parsed.Minute == c.minute;
        }));
    }

    [Fact]
    public void Never_throws_and_accepts_only_the_strict_shape_for_arbitrary_text()
    {
        var chars = Gen.Elements("0123456789:AaPpMm .".ToCharArray());
        var gen = Gen.ArrayOf(chars).Select(a => new string(a));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(2000), Prop.ForAll(gen.ToArbitrary(), text =>
        {
            var ok = KitchenTime.TryParse(text, out var t, out var reason);
            return ok
                ? System.Text.RegularExpressions.Regex.IsMatch(text, "^[0-9]{1,2}:[0-5][0-9](AM|PM|am|pm)$") && t.Hour is >= 0 and < 24 && reason is null
                : reason is { Length: > 0 };
        }));
    }
}
