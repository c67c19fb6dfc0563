using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace ClusterOps.Kubernetes.Input;

/// <summary>
/// The one YAML (and so JSON, a subset of it) reader for user input: kubeconfigs and -Path manifests both come
/// through here, so every bound holds for every loader.
/// <list type="bullet">
/// <item>Files are read with <see cref="BoundedFile"/> (regular files only, at most <see cref="InputLimits.MaxYamlFileBytes"/>).</item>
/// <item>The text is consumed as parser events (YamlDotNet's Parser and Scanner keep explicit stacks: measured
///   iterative to 100,000 levels on a 256 KiB stack) and the tree is built with an explicit stack, so nesting
///   never uses the call stack. Depth is checked at each opening event, before anything is built below it.</item>
/// <item>An alias to a node that is still open (<c>x: &amp;r {y: *r}</c>) is refused: it would make the tree
///   cyclic and every later walk endless.</item>
/// <item>Every node counts once per use: an alias adds the full expanded size and height of the node it names, so
///   "billion laughs" is refused after a few hundred events, in constant memory, long before anything expands.</item>
/// </list>
/// </summary>
public static class BoundedYaml
{
    /// <summary>Read a file and parse it; see <see cref="BoundedFile.ReadText"/> for the file errors.</summary>
    /// <param name="what">What the file is, for messages ("kubeconfig file", "schedule policy file").</param>
    public static IReadOnlyList<YamlItem> LoadFile(string path, string what, CancellationToken cancellationToken = default) =>
        Parse(BoundedFile.ReadText(path, InputLimits.MaxYamlFileBytes, what, cancellationToken), path, what);

    /// <summary>
    /// The root node of every document in <paramref name="yaml"/> (an empty stream has none). Throws
    /// <see cref="YamlInputException"/> for invalid YAML (syntax, duplicate key, unknown alias) and
    /// <see cref="InputLimitException"/> when a bound is crossed; <paramref name="inputName"/> names the input in both,
    /// <paramref name="what"/> says what it is ("kubeconfig file").
    /// </summary>
    public static IReadOnlyList<YamlItem> Parse(string yaml, string inputName, string what = "YAML input")
    {
        if (yaml.Length > InputLimits.MaxYamlFileBytes)
        {
            // Text handed over directly (not read by LoadFile) is held to the same bound.
            throw new InputLimitException(
                $"The {what} '{inputName}' has {yaml.Length:N0} characters; ClusterOps reads YAML/JSON input of at most " +
                $"{InputLimits.Bytes(InputLimits.MaxYamlFileBytes)}, so that an oversized input cannot exhaust the session's memory.",
                inputName, InputLimit.FileSize);
        }
        return new Builder(inputName, what).Run(new Parser(new StringReader(yaml)));
    }

    /// <summary>
    /// A node as JSON, without recursion. Mapping keys are the scalar keys' text (non-scalar keys are skipped);
    /// <paramref name="scalar"/> decides what each scalar becomes (YAML 1.1 or 1.2 typing). Aliases are expanded:
    /// the reader has already bounded the expanded size and depth.
    /// </summary>
    public static JsonNode? ToJson(YamlItem item, Func<YamlScalar, JsonNode?> scalar)
    {
        if (item is YamlScalar s)
            return scalar(s);
        var root = NewContainer(item);
        var stack = new Stack<(YamlItem Source, JsonNode Target, int Next)>();
        stack.Push((item, root, 0));
        while (stack.Count > 0)
        {
            var (source, target, next) = stack.Pop();
            YamlItem child;
            string? key = null;
            if (source is YamlMap map)
            {
                if (next == map.Entries.Count)
                    continue;
                (var k, child) = map.Entries[next];
                key = (k as YamlScalar)?.Value;
            }
            else
            {
                var list = (YamlList)source;
                if (next == list.Items.Count)
                    continue;
                child = list.Items[next];
            }
            stack.Push((source, target, next + 1));
            if (source is YamlMap && key is null)
                continue;
            var node = child is YamlScalar cs ? scalar(cs) : NewContainer(child);
            if (target is JsonObject obj)
                obj[key!] = node;
            else
                ((JsonArray)target).Add(node);
            if (child is not YamlScalar)
                stack.Push((child, node!, 0));
        }
        return root;
    }

    private static JsonNode NewContainer(YamlItem item) => item is YamlMap ? new JsonObject() : new JsonArray();

    private static int ToInt(long value) => value > int.MaxValue ? int.MaxValue : (int)value;

    private static string Text(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>Builds one stream's documents from parser events, enforcing the bounds as events arrive.</summary>
    private sealed class Builder(string inputName, string what)
    {
        private sealed class Frame(YamlItem node, Anchor? definition)
        {
            public YamlItem Node { get; } = node;
            public Anchor? Definition { get; } = definition;
            public YamlItem? PendingKey { get; set; }
            public HashSet<string>? Keys { get; set; }
            /// <summary>Expanded nodes in this subtree so far, itself included.</summary>
            public long Size { get; set; } = 1;
            /// <summary>Greatest expanded collection height among the children.</summary>
            public int ChildHeight { get; set; }
        }

        /// <summary>An anchored node: open while its collection is being read, then its expanded size and height.</summary>
        private sealed class Anchor(YamlItem node)
        {
            public YamlItem Node { get; } = node;
            public bool Open { get; set; } = true;
            public long Size { get; set; } = 1;
            public int Height { get; set; }
        }

        private readonly List<YamlItem> _documents = new();
        private readonly Stack<Frame> _stack = new();
        private readonly Dictionary<string, Anchor> _anchors = new(StringComparer.Ordinal);
        private long _nodes;
        private YamlItem? _root;
        private int _lastLine = 1;

        public IReadOnlyList<YamlItem> Run(IParser parser)
        {
            while (Next(parser))
            {
                var e = parser.Current!;
                _lastLine = ToInt(e.Start.Line);
                switch (e)
                {
                    case DocumentStart:
                        // Anchors are scoped to their document (YAML 1.2 §3.2.2.2); the node budget is the file's.
                        _anchors.Clear();
                        _root = null;
                        break;
                    case DocumentEnd:
                        if (_root is not null)
                            _documents.Add(_root);
                        break;
                    case Scalar s:
                        var scalar = new YamlScalar(s.Value, s.Style == ScalarStyle.Plain, s.Tag.IsEmpty ? null : s.Tag.Value,
                            ToInt(s.Start.Line), ToInt(s.Start.Column));
                        Count(1, e);
                        if (!s.Anchor.IsEmpty)
                            _anchors[s.Anchor.Value] = new Anchor(scalar) { Open = false };
                        Attach(scalar, 1, 0, e);
                        break;
                    case AnchorAlias alias:
                        Alias(alias);
                        break;
                    case MappingStart or SequenceStart:
                        Open((NodeEvent)e);
                        break;
                    case MappingEnd or SequenceEnd:
                        Close(e);
                        break;
                }
            }
            return _documents;
        }

        /// <summary>parser.MoveNext, with YamlDotNet's errors turned into ours (some come without a position).</summary>
        private bool Next(IParser parser)
        {
            try
            {
                return parser.MoveNext();
            }
            catch (YamlException ex)
            {
                throw new YamlInputException(ex.Message, inputName, ToInt(ex.Start.Line), ToInt(ex.Start.Column), ex);
            }
            catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException)
            {
                throw new YamlInputException($"The YAML is malformed near line {_lastLine}.", inputName, _lastLine, null, ex);
            }
        }

        private void Open(NodeEvent e)
        {
            var depth = _stack.Count + 1;
            if (depth > InputLimits.MaxDepth)
                throw DepthExceeded(e, depth);
            Count(1, e);
            var line = ToInt(e.Start.Line);
            var column = ToInt(e.Start.Column);
            YamlItem node = e is MappingStart ? new YamlMap(line, column) : new YamlList(line, column);
            Anchor? definition = null;
            if (!e.Anchor.IsEmpty)
                _anchors[e.Anchor.Value] = definition = new Anchor(node);
            _stack.Push(new Frame(node, definition));
        }

        private void Close(ParsingEvent e)
        {
            var frame = _stack.Pop();
            var height = frame.ChildHeight + 1;
            if (frame.Definition is { } definition)
            {
                definition.Open = false;
                definition.Size = frame.Size;
                definition.Height = height;
            }
            if (frame.PendingKey is not null)
                throw Invalid("a mapping key has no value", e);
            Attach(frame.Node, frame.Size, height, e);
        }

        private void Alias(AnchorAlias alias)
        {
            var name = alias.Value.Value;
            if (!_anchors.TryGetValue(name, out var anchor))
                throw Invalid($"the alias '*{name}' refers to no anchor '&{name}' defined before it in this document", alias);
            if (anchor.Open)
            {
                throw new InputLimitException(
                    $"The {what} '{inputName}' is refused at line {Text(alias.Start.Line)}: the alias '*{name}' is inside the node " +
                    $"anchored '&{name}' (line {Text(anchor.Node.Line)}), so it would contain itself without end. ClusterOps refuses " +
                    "such cyclic aliases; an alias may only name a node that is complete before it.",
                    inputName, InputLimit.AliasCycle, ToInt(alias.Start.Line));
            }
            var depth = _stack.Count + anchor.Height;
            if (depth > InputLimits.MaxDepth)
                throw DepthExceeded(alias, depth);
            Count(anchor.Size, alias);
            Attach(anchor.Node, anchor.Size, anchor.Height, alias);
        }

        private void Count(long nodes, ParsingEvent e)
        {
            _nodes += nodes;
            if (_nodes > InputLimits.MaxNodes)
            {
                throw new InputLimitException(
                    $"The {what} '{inputName}' expands to more than {Text(InputLimits.MaxNodes)} nodes (reached at line {Text(e.Start.Line)}; " +
                    "each use of an alias counts every node it names). ClusterOps reads YAML/JSON input of at most " +
                    $"{Text(InputLimits.MaxNodes)} nodes, as kubectl's YAML decoder does, so that an alias bomb (\"billion laughs\") " +
                    "cannot exhaust the session's memory.",
                    inputName, InputLimit.Nodes, ToInt(e.Start.Line));
            }
        }

        private InputLimitException DepthExceeded(ParsingEvent e, int depth) => new(
            $"The {what} '{inputName}' nests mappings and lists {(depth > InputLimits.MaxDepth + 1 ? "at least " + Text(depth) : "more than " + Text(InputLimits.MaxDepth))} " +
            $"levels deep at line {Text(e.Start.Line)} (aliases count with the depth of the node they name). ClusterOps reads YAML/JSON " +
            $"input nested at most {Text(InputLimits.MaxDepth)} levels deep, so that a hostile file cannot overflow the stack and crash the session.",
            inputName, InputLimit.Depth, ToInt(e.Start.Line));

        private YamlInputException Invalid(string problem, ParsingEvent e) =>
            new($"{char.ToUpperInvariant(problem[0])}{problem[1..]}.", inputName, ToInt(e.Start.Line), ToInt(e.Start.Column));

        private void Attach(YamlItem node, long size, int height, ParsingEvent e)
        {
            if (_stack.Count == 0)
            {
                _root = node;
                return;
            }
            var parent = _stack.Peek();
            parent.Size += size;
            parent.ChildHeight = Math.Max(parent.ChildHeight, height);
            switch (parent.Node)
            {
                case YamlList list:
                    list.Add(node);
                    break;
                case YamlMap map when parent.PendingKey is null:
                    if (node is YamlScalar key && !(parent.Keys ??= new HashSet<string>(StringComparer.Ordinal)).Add(key.Value))
                        throw Invalid($"the key '{Shorten(key.Value)}' appears twice in the mapping that starts at line {map.Line}", e);
                    parent.PendingKey = node;
                    break;
                case YamlMap map:
                    map.Add(parent.PendingKey, node);
                    parent.PendingKey = null;
                    break;
            }
        }

        private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "...";
    }
}

/// <summary>YAML that is not well formed: syntax, a duplicate key, an alias to no anchor. Names the input and line.</summary>
public sealed class YamlInputException : Exception
{
    public YamlInputException(string message, string inputName, int line, int? column, Exception? inner = null)
        : base(message, inner)
    {
        InputName = inputName;
        Line = line;
        Column = column;
    }

    public string InputName { get; }

    /// <summary>1-based line of the problem.</summary>
    public int Line { get; }

    public int? Column { get; }
}
