using System.Text;
using System.Text.RegularExpressions;

namespace ClusterOps.Core.Common;

/// <summary>
/// PowerShell-style wildcards (*, ?, [abc], [a-z], ` escapes), case-insensitive like WildcardPattern, without
/// System.Management.Automation. A list of patterns matches when any matches; an empty list matches everything.
/// </summary>
public sealed class NamePattern
{
    private readonly Regex _regex;

    public NamePattern(string pattern)
    {
        Pattern = pattern;
        _regex = new Regex("^" + Translate(pattern) + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline);
        HasWildcards = pattern.IndexOfAny(new[] { '*', '?', '[' }) >= 0;
    }

    public string Pattern { get; }
    public bool HasWildcards { get; }

    public bool IsMatch(string name) => _regex.IsMatch(name);

    public static bool MatchesAny(IReadOnlyCollection<NamePattern>? patterns, string name) =>
        patterns is null || patterns.Count == 0 || patterns.Any(p => p.IsMatch(name));

    public static IReadOnlyList<NamePattern> From(IEnumerable<string>? patterns) =>
        patterns?.Where(p => !string.IsNullOrEmpty(p)).Select(p => new NamePattern(p)).ToList() ?? new List<NamePattern>();

    private static string Translate(string pattern)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '`' when i + 1 < pattern.Length:
                    sb.Append(Regex.Escape(pattern[++i].ToString()));
                    break;
                case '*':
                    sb.Append(".*");
                    break;
                case '?':
                    sb.Append('.');
                    break;
                case '[':
                    var end = pattern.IndexOf(']', i + 1);
                    if (end < 0)
                    {
                        sb.Append(@"\[");
                        break;
                    }
                    var set = pattern.Substring(i + 1, end - i - 1).Replace(@"\", @"\\", StringComparison.Ordinal).Replace("^", @"\^", StringComparison.Ordinal);
                    sb.Append('[').Append(set).Append(']');
                    i = end;
                    break;
                default:
                    sb.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }
        return sb.ToString();
    }
}
