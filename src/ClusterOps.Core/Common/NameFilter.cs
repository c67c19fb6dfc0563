namespace ClusterOps.Core.Common;

/// <summary>
/// A -Name argument split as Get-Item-style cmdlets treat it: literal names are kept apart so the caller can GET them
/// directly and report a missing one as not found; wildcards that match nothing are silent.
/// </summary>
public sealed class NameFilter
{
    private readonly List<NamePattern> _patterns = new();

    public NameFilter(IEnumerable<string>? names)
    {
        foreach (var name in names ?? Enumerable.Empty<string>())
        {
            if (string.IsNullOrEmpty(name))
                continue;
            if (NamePattern.ContainsWildcards(name))
                _patterns.Add(new NamePattern(name));
            else
                Literals.Add(NamePattern.Unescape(name));
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

    public static bool HasWildcards(string pattern) => NamePattern.ContainsWildcards(pattern);
}
