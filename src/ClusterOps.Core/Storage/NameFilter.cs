using System.Text;
using System.Text.RegularExpressions;
using ClusterOps.Core.Common;

namespace ClusterOps.Core.Storage;

/// <summary>
/// PowerShell's -Name semantics without System.Management.Automation: each pattern may use *, ?, [abc], [a-z] and
/// backtick escapes, matched case-insensitively. Literal names are kept apart so the caller can GET them directly and
/// report a missing one as not found, which is what Get-Item-style cmdlets do; wildcards that match nothing are
/// silent.
/// </summary>
public sealed class NameFilter
{
    private readonly List<Regex> _patterns = new();

    public NameFilter(IEnumerable<string>? names)
    {
        foreach (var name in names ?? Enumerable.Empty<string>())
        {
            if (string.IsNullOrEmpty(name))
                continue;
            if (HasWildcards(name))
                _patterns.Add(ToRegex(name));
            else
                Literals.Add(Unescape(name));
        }
    }

    /// <summary>Names without wildcard characters (escapes removed), in the order given.</summary>
    public List<string> Literals { get; } = new();
    public bool HasPatterns => _patterns.Count > 0;
    /// <summary>No names at all: everything matches.</summary>
    public bool IsEmpty => Literals.Count == 0 && _patterns.Count == 0;
    /// <summary>Only literal names: the caller may fetch them one by one instead of listing.</summary>
    public bool LiteralsOnly => Literals.Count > 0 && _patterns.Count == 0;

    public bool IsMatch(string name) =>
        IsEmpty
        || Literals.Contains(name, StringComparer.Ordinal)
        || _patterns.Any(p => p.IsMatch(name));

    public static bool HasWildcards(string pattern)
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

    private static string Unescape(string pattern)
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

    private static Regex ToRegex(string pattern)
    {
        var sb = new StringBuilder("^");
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
                    var close = pattern.IndexOf(']', i + 1);
                    if (close < 0)
                        throw new OperationException("InvalidNamePattern", FailureKind.InvalidArgument,
                            $"The name pattern '{pattern}' has a '[' without a closing ']'. Escape a literal bracket with a backtick (`[).", pattern);
                    var set = pattern.Substring(i + 1, close - i - 1);
                    sb.Append('[').Append(set.Replace("\\", "\\\\").Replace("^", "\\^")).Append(']');
                    i = close;
                    break;
                default:
                    sb.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }
        sb.Append('$');
        return new Regex(sb.ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline);
    }
}
