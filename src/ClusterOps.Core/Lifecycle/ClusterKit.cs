using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ClusterOps.Core.Common;
using ClusterOps.Core.Scheduling;
using ClusterOps.Kubernetes.Input;

namespace ClusterOps.Core.Lifecycle;

/// <summary>
/// The definitions in a vendor kit directory (TIBCO's manifest-single-zone), read the way the kit's start script
/// applies them: each YAML manifest as the one object it holds, each property/keystore file as a generic Secret keyed
/// by the file name, each resources directory as a Secret with one key per regular file. <see cref="Load"/> reads and
/// checks every file before returning, so a start from a kit with one bad file changes nothing. Every file goes
/// through the bounded readers (regular files only, size caps, bounded YAML).
/// </summary>
public sealed partial class ClusterKit : DefinitionSource
{
    private readonly Dictionary<string, (KitItem Item, JsonObject Manifest)> _objects;

    private ClusterKit(string directory, Dictionary<string, (KitItem, JsonObject)> objects)
    {
        Directory = directory;
        _objects = objects;
    }

    /// <summary>The kit directory, as resolved.</summary>
    public string Directory { get; }

    public override string Description => $"the kit in '{Directory}'";

    /// <summary>Every object the kit defines and the kit path it comes from (no content), in the start script's order.</summary>
    public IReadOnlyList<KitItem> Items => _objects.Values.Select(o => o.Item).ToList();

    public override bool Contains(string kind, string name) => _objects.ContainsKey(RecordedObject.KeyOf(kind, name));

    internal override JsonObject? ManifestOf(string kind, string name) =>
        _objects.TryGetValue(RecordedObject.KeyOf(kind, name), out var o) ? o.Manifest : null;

    internal override string? OriginOf(string kind, string name) =>
        _objects.TryGetValue(RecordedObject.KeyOf(kind, name), out var o) ? o.Item.Path : null;

    /// <summary>
    /// The names of the given live Secrets whose data differs from the kit's (keys or values): what a start keeps as
    /// deployed although the kit now says otherwise. Names only; no value is ever returned.
    /// </summary>
    internal IReadOnlyList<string> SecretsDifferingFrom(IReadOnlyDictionary<string, JsonObject> liveSecrets) =>
        liveSecrets.Where(kv => ManifestOf("Secret", kv.Key) is JsonObject kit && !SameData(kit["data"] as JsonObject, kv.Value["data"] as JsonObject))
            .Select(kv => kv.Key).OrderBy(n => n, StringComparer.Ordinal).ToList();

    private static bool SameData(JsonObject? a, JsonObject? b)
    {
        var left = a?.ToDictionary(kv => kv.Key, kv => Text(kv.Value) ?? "") ?? new Dictionary<string, string>();
        var right = b?.ToDictionary(kv => kv.Key, kv => Text(kv.Value) ?? "") ?? new Dictionary<string, string>();
        return left.Count == right.Count && left.All(kv => right.TryGetValue(kv.Key, out var v) && v == kv.Value);
    }

    /// <summary>
    /// Read and check every file the kit's start script applies for <paramref name="profile"/> (its zone count
    /// included). Throws one <see cref="OperationException"/> listing every problem found (the first problem's kind
    /// gives the error id); nothing is returned unless every file is usable.
    /// </summary>
    public static ClusterKit Load(ClusterProfile profile, string directory, string @namespace, CancellationToken cancellationToken = default)
    {
        var layout = profile.Kit ?? throw new OperationException(KitErrors.NotSupported, FailureKind.NotImplemented,
            $"{profile.DisplayName} has no deployment kit layout, so -DefinitionPath cannot be used for it.", directory);
        if (File.Exists(directory))
            throw new OperationException(KitErrors.NotADirectory, FailureKind.InvalidArgument,
                $"-DefinitionPath '{directory}' is a file. It must name the kit directory: the one that holds {layout.StartScript} and the files it applies. Nothing was changed.",
                directory);
        if (!System.IO.Directory.Exists(directory))
            throw new OperationException(KitErrors.DirectoryNotFound, FailureKind.ObjectNotFound,
                $"The kit directory '{directory}' (-DefinitionPath) does not exist. It is the directory that holds {layout.StartScript} and the files it applies. Nothing was changed.",
                directory);

        var problems = new List<KitProblem>();
        var objects = new Dictionary<string, (KitItem, JsonObject)>(StringComparer.Ordinal);
        var reader = new ItemReader(profile, layout, directory, @namespace, cancellationToken);
        foreach (var item in layout.Items)
        {
            try
            {
                objects[item.Object] = (item, reader.Read(item));
            }
            catch (KitProblem problem)
            {
                problems.Add(problem);
            }
        }
        var zones = profile.Components.Max(c => c.Zone) + 1;
        var extra = layout.NextZoneFiles.Where(f => File.Exists(Path.Combine(directory, f))).ToList();
        if (extra.Count > 0)
            problems.Add(new KitProblem(KitErrors.ZoneCountMismatch,
                $"{string.Join(", ", extra)}: the kit was generated for more than {zones} zone(s), and starting only some zones of a cluster is refused; run with -Zones set to the kit's zone count"));

        if (problems.Count > 0)
        {
            var list = problems.Count == 1
                ? problems[0].Message
                : string.Join("; ", problems.Select((p, i) => $"{i + 1}) {p.Message}"));
            throw new OperationException(problems[0].ErrorId, problems[0].Kind,
                $"The kit in '{directory}' cannot be used ({problems.Count} problem(s)), so nothing was started or changed: {list}.",
                directory)
            {
                RecommendedAction = $"Fix the files named (compare them with the kit as TIBCO generated it), then run the start again. {layout.StartScript} applies the same files.",
            };
        }
        return new ClusterKit(directory, objects);
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>One problem with one kit item; collected, then reported together.</summary>
    private sealed class KitProblem(string errorId, string message, FailureKind kind = FailureKind.InvalidData) : Exception(message)
    {
        public string ErrorId { get; } = errorId;
        public FailureKind Kind { get; } = kind;
    }

    /// <summary>Turns one kit item into the object the start script would create from it, or a <see cref="KitProblem"/>.</summary>
    private sealed class ItemReader(ClusterProfile profile, ClusterKitLayout layout, string directory, string ns, CancellationToken ct)
    {
        /// <summary>The API server's limit on a Secret's data.</summary>
        private const int MaxSecretBytes = RestoreRecord.MaxSecretDataBytes;

        public JsonObject Read(KitItem item) => item.Shape switch
        {
            KitItemShape.Manifest => ReadManifest(item),
            KitItemShape.SecretFromFile => SecretFromFile(item),
            KitItemShape.SecretFromDirectory => SecretFromDirectory(item),
            _ => throw new ArgumentOutOfRangeException(nameof(item)),
        };

        private JsonObject ReadManifest(KitItem item)
        {
            var text = Guard(item, item.Path, () => BoundedFile.ReadText(Full(item.Path), InputLimits.MaxYamlFileBytes, "kit manifest", ct));
            IReadOnlyList<YamlItem> documents;
            try
            {
                documents = BoundedYaml.Parse(text, item.Path, "kit manifest");
            }
            catch (YamlInputException ex)
            {
                throw new KitProblem(KitErrors.YamlInvalid, $"{item.Path} is not valid YAML at line {ex.Line}{(ex.Column is { } c ? $", column {c}" : "")}: {ex.Message.TrimEnd('.')}");
            }
            catch (InputLimitException ex)
            {
                throw new KitProblem(KitErrors.InputRefused, ex.Message.TrimEnd('.'));
            }
            // kubectl's YAML-to-JSON step (YAML 1.1 scalars), as for every other manifest ClusterOps reads.
            var nodes = documents.Select(SchedulePolicyYaml.ToJson).Where(n => n is not null).ToList();
            var expected = $"{ApiVersionOf(item.Kind)} {item.Kind} '{item.Name}'";
            if (nodes.Count != 1 || nodes[0] is not JsonObject obj)
                throw new KitProblem(KitErrors.ObjectMismatch,
                    $"{item.Path} holds {nodes.Count} object(s); {layout.StartScript} creates exactly one object from it, {expected}");

            var (api, kind, name) = (Text(obj["apiVersion"]), Text(obj["kind"]), Text(obj["metadata"]?["name"]));
            if (api != ApiVersionOf(item.Kind) || kind != item.Kind || name != item.Name)
                throw new KitProblem(KitErrors.ObjectMismatch,
                    $"{item.Path} holds {api ?? "(no apiVersion)"} {kind ?? "(no kind)"} '{name}'; {layout.StartScript} creates {expected} from it");
            if (obj["metadata"]?["namespace"] is JsonNode nsNode && Text(nsNode) != ns)
                throw new KitProblem(KitErrors.ObjectMismatch,
                    $"{item.Path} sets metadata.namespace '{Text(nsNode)}', but the cluster is in namespace '{ns}' (kubectl refuses such a file as well)");
            if (item.Kind == nameof(WorkloadKind.StatefulSet))
                CheckClaimTemplates(item, obj);
            obj.Remove("status");
            // Re-read as JSON text so numbers behave as the server's do (replicas read as int, not as the YAML long).
            return (JsonObject)JsonNode.Parse(obj.ToJsonString())!;
        }

        /// <summary>
        /// The StatefulSet must make the very claims the stopped cluster kept (&lt;template&gt;-&lt;set&gt;-&lt;n&gt;): with
        /// other template names it would get new, empty volumes and the data would look lost.
        /// </summary>
        private void CheckClaimTemplates(KitItem item, JsonObject obj)
        {
            var component = profile.Components.First(c => c.Workload.Name == item.Name);
            var found = (obj["spec"]?["volumeClaimTemplates"] as JsonArray)?.OfType<JsonObject>()
                .Select(t => Text(t["metadata"]?["name"]) ?? "").ToList() ?? new List<string>();
            if (!found.ToHashSet(StringComparer.Ordinal).SetEquals(component.ClaimTemplates) || found.Count != component.ClaimTemplates.Count)
                throw new KitProblem(KitErrors.ClaimTemplateMismatch,
                    $"{item.Path}: statefulset/{item.Name} has claim templates [{string.Join(", ", found)}], but the cluster's claims "
                    + $"({string.Join(", ", component.ClaimNames(1))}) come from [{string.Join(", ", component.ClaimTemplates)}]; with other templates it would start on new, empty volumes");
        }

        private JsonObject SecretFromFile(KitItem item)
        {
            var key = Path.GetFileName(item.Path);
            var bytes = ReadSecretFile(item, item.Path);
            if (key.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
                CheckJson(item.Path, bytes);
            if (bytes.Length > MaxSecretBytes)
                throw TooLarge(item, bytes.Length);
            return Secret(item.Name, new JsonObject { [key] = Convert.ToBase64String(bytes) });
        }

        private JsonObject SecretFromDirectory(KitItem item)
        {
            var full = Full(item.Path);
            if (!System.IO.Directory.Exists(full))
                throw new KitProblem(KitErrors.FileMissing, File.Exists(full)
                    ? $"{item.Path} is a file; {layout.StartScript} makes secret/{item.Name} from the files in a directory of that name"
                    : $"{item.Path}/ is missing; {layout.StartScript} makes secret/{item.Name} from the files in it", FailureKind.ObjectNotFound);
            var data = new JsonObject();
            long total = 0;
            IEnumerable<FileSystemInfo> entries;
            try
            {
                entries = new DirectoryInfo(full).EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal).ToList();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new KitProblem(KitErrors.FileUnreadable, $"{item.Path}/ cannot be listed ({ex.Message.TrimEnd('.')})", FailureKind.PermissionDenied);
            }
            foreach (var entry in entries)
            {
                // kubectl --from-file=<dir> takes the directory's regular files only: subdirectories and symbolic links are skipped.
                if (entry is DirectoryInfo || entry.LinkTarget is not null)
                    continue;
                var relative = $"{item.Path}/{entry.Name}";
                CheckKey(relative, entry.Name);
                var bytes = ReadSecretFile(item, relative);
                total += bytes.Length;
                if (total > MaxSecretBytes)
                    throw TooLarge(item, total);
                data[entry.Name] = Convert.ToBase64String(bytes);
            }
            return Secret(item.Name, data);
        }

        private byte[] ReadSecretFile(KitItem item, string relative)
        {
            CheckKey(relative, Path.GetFileName(relative));
            return Guard(item, relative, () => BoundedFile.ReadBytes(Full(relative), MaxSecretBytes, "kit file", ct));
        }

        private KitProblem TooLarge(KitItem item, long bytes) => new(KitErrors.SecretTooLarge,
            $"{item.Path}: secret/{item.Name} would hold {bytes:N0} bytes; the API server accepts at most {MaxSecretBytes:N0} bytes (1 MiB) of Secret data");

        /// <summary>A Secret key as kubectl checks it (IsConfigMapKey): [-._a-zA-Z0-9]+, at most 253 characters, not "." or "..".</summary>
        private static void CheckKey(string relative, string key)
        {
            if (key.Length > 253 || !KeyPattern().IsMatch(key) || key is "." or ".." || key.StartsWith("..", StringComparison.Ordinal))
                throw new KitProblem(KitErrors.SecretKeyInvalid,
                    $"{relative}: the file name '{key}' cannot be a Secret key; allowed are letters, digits, '-', '_' and '.', at most 253 characters (kubectl refuses it as well)");
        }

        /// <summary>
        /// The components read their property files as JSON; a broken one would start a pod that fails later. Only
        /// the position is reported: the file may hold passwords.
        /// </summary>
        private static void CheckJson(string relative, byte[] bytes)
        {
            var span = bytes.AsMemory();
            if (span.Span.StartsWith(new byte[] { 0xEF, 0xBB, 0xBF }))
                span = span[3..];
            try
            {
                using var _ = JsonDocument.Parse(span, new JsonDocumentOptions { MaxDepth = InputLimits.MaxDepth });
            }
            catch (JsonException ex)
            {
                throw new KitProblem(KitErrors.PropertyFileInvalid,
                    $"{relative} is not valid JSON at line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1} (its content is not shown: it may hold passwords)");
            }
        }

        private T Guard<T>(KitItem item, string relative, Func<T> read)
        {
            try
            {
                return read();
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
            {
                throw new KitProblem(KitErrors.FileMissing,
                    $"{relative} is missing; {layout.StartScript} makes {item.Object} from it", FailureKind.ObjectNotFound);
            }
            catch (InputLimitException ex)
            {
                throw new KitProblem(KitErrors.InputRefused, ex.Message.TrimEnd('.'));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new KitProblem(KitErrors.FileUnreadable, $"{relative} cannot be read ({ex.Message.TrimEnd('.')})", FailureKind.PermissionDenied);
            }
        }

        private string Full(string relative) => Path.Combine(directory, relative);

        private static string ApiVersionOf(string kind) => kind is "Service" or "Secret" ? "v1" : "apps/v1";

        private static JsonObject Secret(string name, JsonObject data) => new()
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["type"] = "Opaque",
            ["data"] = data,
        };
    }

    [GeneratedRegex("^[-._a-zA-Z0-9]+$")]
    private static partial Regex KeyPattern();
}
