namespace ClusterOps.Kubernetes.Input;

/// <summary>
/// A node of a YAML document read by <see cref="BoundedYaml"/>. Our own small tree rather than YamlDotNet's
/// representation model: that model is built by recursion (about 0.5-1 KiB of stack per nesting level, so a few
/// thousand levels overflow a thread's stack and kill the process), and its nodes' positions cannot be set from
/// outside. An alias is the very node its anchor names (shared, not copied); the reader guarantees that the graph
/// has no cycle and that its expanded size and depth are within <see cref="InputLimits"/>.
/// </summary>
public abstract class YamlItem
{
    private protected YamlItem(int line, int column)
    {
        Line = line;
        Column = column;
    }

    /// <summary>1-based line of the node's first character.</summary>
    public int Line { get; }

    /// <summary>1-based column of the node's first character.</summary>
    public int Column { get; }
}

/// <summary>A scalar as written: its text, whether it was plain (unquoted, so subject to type resolution), and its tag.</summary>
public sealed class YamlScalar : YamlItem
{
    public YamlScalar(string value, bool plain, string? tag, int line, int column) : base(line, column)
    {
        Value = value;
        Plain = plain;
        Tag = tag;
    }

    public string Value { get; }

    /// <summary>True for a plain (unquoted, not block) scalar: only these resolve to null, booleans and numbers.</summary>
    public bool Plain { get; }

    /// <summary>The explicit tag, resolved (<c>!!str</c> is <c>tag:yaml.org,2002:str</c>); null when none.</summary>
    public string? Tag { get; }

    /// <summary>A plain empty, <c>~</c> or null scalar (the YAML null), as kubectl reads it.</summary>
    public bool IsNull => Plain && Tag is null && Value is "" or "~" or "null" or "Null" or "NULL";

    public override string ToString() => Value;
}

/// <summary>A mapping, entries in file order. Keys are unique (a duplicate key is refused when reading).</summary>
public sealed class YamlMap : YamlItem
{
    private readonly List<KeyValuePair<YamlItem, YamlItem>> _entries = new();

    public YamlMap(int line, int column) : base(line, column)
    {
    }

    public IReadOnlyList<KeyValuePair<YamlItem, YamlItem>> Entries => _entries;

    /// <summary>The value of the scalar key <paramref name="key"/> (ordinal), or null.</summary>
    public YamlItem? Get(string key)
    {
        foreach (var (k, v) in _entries)
        {
            if (k is YamlScalar s && string.Equals(s.Value, key, StringComparison.Ordinal))
                return v;
        }
        return null;
    }

    internal void Add(YamlItem key, YamlItem value) => _entries.Add(new(key, value));
}

/// <summary>A sequence, items in file order.</summary>
public sealed class YamlList : YamlItem
{
    private readonly List<YamlItem> _items = new();

    public YamlList(int line, int column) : base(line, column)
    {
    }

    public IReadOnlyList<YamlItem> Items => _items;

    internal void Add(YamlItem item) => _items.Add(item);
}
