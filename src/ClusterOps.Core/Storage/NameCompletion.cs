using ClusterOps.Core.Common;
namespace ClusterOps.Core.Storage;

/// <summary>What a name completer offers: the names matching what was typed (a prefix, or a wildcard pattern).</summary>
public static class NameCompletion
{
    public static IReadOnlyList<string> Complete(IEnumerable<string> names, string? typed)
    {
        var word = (typed ?? "").Trim('\'', '"');
        var filter = new NameFilter(new[] { NameFilter.HasWildcards(word) ? word : word + "*" });
        return names.Where(filter.IsMatch).Distinct(StringComparer.Ordinal).OrderBy(n => n, StringComparer.Ordinal).ToList();
    }
}
