using System.Text;
using System.Text.RegularExpressions;

namespace ClusterOps.Core.Common;

/// <summary>
/// PowerShell-style wildcards (*, ?, [abc], [a-z], backtick escapes); the one implementation every -Name parameter
/// uses. Case-sensitive, as Kubernetes names are: kubectl's rule, applied alike to exact names (which the API server
/// matches exactly) and to wildcards, so 'Nightly' and 'Night*' never find 'nightly' while 'nightly' would. A list of patterns matches when any matches;
/// an empty list matches everything.
/// </summary>
public sealed class NamePattern
{
    private readonly Regex _regex;

    /// <param name="ignoreCase">Only for tab completion, which offers the exact names whatever case was typed.</param>
    public NamePattern(string pattern, bool ignoreCase = false)
    {
        Pattern = pattern;
        _regex = new Regex("^" + Translate(pattern) + "$",
            (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None) | RegexOptions.CultureInvariant | RegexOptions.Singleline);
        HasWildcards = ContainsWildcards(pattern);
    }

    public string Pattern { get; }
    public bool HasWildcards { get; }

    public bool IsMatch(string name) => _regex.IsMatch(name);

    public static bool MatchesAny(IReadOnlyCollection<NamePattern>? patterns, string name) =>
        patterns is null || patterns.Count == 0 || patterns.Any(p => p.IsMatch(name));

    public static IReadOnlyList<NamePattern> From(IEnumerable<string>? patterns) =>
        patterns?.Where(p => !string.IsNullOrEmpty(p)).Select(p => new NamePattern(p)).ToList() ?? new List<NamePattern>();

    /// <summary>True when the pattern has an unescaped *, ? or [.</summary>
    public static bool ContainsWildcards(string pattern)
    {
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '`')
            {
                i++;
                continue;
            }
            if (pattern[i] is '*' or '?' or '[')
                return true;
        }
        return false;
    }

    /// <summary>The literal name a pattern without wildcards stands for (backtick escapes removed).</summary>
    public static string Unescape(string pattern)
    {
        var sb = new StringBuilder(pattern.Length);
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '`' && i + 1 < pattern.Length)
                i++;
            sb.Append(pattern[i]);
        }
        return sb.ToString();
    }

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
                        // PowerShell's WildcardPattern refuses this too; guessing would match the wrong objects.
                        throw new OperationException("InvalidNamePattern", FailureKind.InvalidArgument,
                            $"The name pattern '{pattern}' has a '[' without a closing ']'. Escape a literal bracket with a backtick (`[).", pattern);
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
