using System.Globalization;
using System.Text.Json.Nodes;
using ClusterOps.Kubernetes.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ClusterOps.Kubernetes.Config;

/// <summary>
/// One kubeconfig file, parsed from its YAML node tree (never through a lossy typed deserializer). Stanzas keep file
/// order; relative paths are already resolved against this file's directory.
/// </summary>
public sealed class KubeConfigFile
{
    private KubeConfigFile(string path) => Path = path;

    public string Path { get; }
    public string? CurrentContext { get; private init; }
    public IReadOnlyList<ClusterEntry> Clusters { get; private init; } = Array.Empty<ClusterEntry>();
    public IReadOnlyList<UserEntry> Users { get; private init; } = Array.Empty<UserEntry>();
    public IReadOnlyList<ContextEntry> Contexts { get; private init; } = Array.Empty<ContextEntry>();

    public static KubeConfigFile Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new KubeConfigException($"Cannot read kubeconfig file '{path}': {ex.Message}", path, inner: ex);
        }
        return Parse(text, path);
    }

    /// <summary>Parse YAML text; <paramref name="path"/> names the file in errors and anchors relative paths.</summary>
    public static KubeConfigFile Parse(string yaml, string path)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        var stream = new YamlStream();
        var parser = new PositionTrackingParser(new Parser(new StringReader(yaml)));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException ex)
        {
            var line = (int)ex.Start.Line;
            throw new KubeConfigException(
                $"The kubeconfig file '{fullPath}' is not valid YAML at line {line.ToString(CultureInfo.InvariantCulture)}: {ex.Message}",
                fullPath, line, ex);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException)
        {
            // YamlDotNet reports some syntax errors without a position: use the last well-formed event seen.
            var line = parser.LastLine;
            throw new KubeConfigException(
                $"The kubeconfig file '{fullPath}' is not valid YAML near line {line.ToString(CultureInfo.InvariantCulture)}.",
                fullPath, line, ex);
        }
        if (stream.Documents.Count == 0 || IsNull(stream.Documents[0].RootNode))
            return new KubeConfigFile(fullPath); // an empty file is an empty config, as in kubectl
        if (stream.Documents[0].RootNode is not YamlMappingNode root)
            throw Invalid(fullPath, stream.Documents[0].RootNode, "the document is not a mapping");

        var reader = new StanzaReader(fullPath);
        return new KubeConfigFile(fullPath)
        {
            CurrentContext = reader.Scalar(root, "current-context"),
            Clusters = reader.NamedList(root, "clusters", "cluster", reader.Cluster),
            Users = reader.NamedList(root, "users", "user", reader.User),
            Contexts = reader.NamedList(root, "contexts", "context", reader.Context),
        };
    }

    internal static bool IsNull(YamlNode? node) => node is null
        || node is YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    internal static KubeConfigException Invalid(string file, YamlNode node, string problem)
    {
        var line = (int)node.Start.Line;
        return new KubeConfigException(
            $"The kubeconfig file '{file}' is invalid at line {line.ToString(CultureInfo.InvariantCulture)}: {problem}.", file, line);
    }

    /// <summary>Reads stanza bodies of one file; knows the file for errors and relative paths.</summary>
    private sealed class StanzaReader(string file)
    {
        private readonly string _dir = System.IO.Path.GetDirectoryName(file) ?? ".";

        public IReadOnlyList<T> NamedList<T>(YamlMappingNode root, string key, string bodyKey, Func<string, YamlMappingNode, T> build)
        {
            var node = Get(root, key);
            if (IsNull(node))
                return Array.Empty<T>();
            if (node is not YamlSequenceNode seq)
                throw Invalid(file, node!, $"'{key}' must be a list");
            var result = new List<T>();
            foreach (var item in seq.Children)
            {
                if (IsNull(item))
                    continue;
                if (item is not YamlMappingNode entry)
                    throw Invalid(file, item, $"each '{key}' entry must be a mapping");
                var name = Scalar(entry, "name");
                if (string.IsNullOrEmpty(name))
                    throw Invalid(file, item, $"a '{key}' entry has no name");
                var body = Get(entry, bodyKey);
                if (!IsNull(body) && body is not YamlMappingNode)
                    throw Invalid(file, body!, $"'{key}[{name}].{bodyKey}' must be a mapping");
                result.Add(build(name, body as YamlMappingNode ?? new YamlMappingNode()));
            }
            return result;
        }

        public ClusterEntry Cluster(string name, YamlMappingNode m) => new()
        {
            Name = name,
            SourceFile = file,
            Server = Scalar(m, "server"),
            CertificateAuthority = PathValue(m, "certificate-authority"),
            CertificateAuthorityData = Scalar(m, "certificate-authority-data"),
            InsecureSkipTlsVerify = Bool(m, "insecure-skip-tls-verify"),
            TlsServerName = Scalar(m, "tls-server-name"),
            ProxyUrl = Scalar(m, "proxy-url"),
            DisableCompression = Bool(m, "disable-compression"),
            ExecExtension = ExecExtension(m),
        };

        public UserEntry User(string name, YamlMappingNode m) => new()
        {
            Name = name,
            SourceFile = file,
            Token = Scalar(m, "token"),
            TokenFile = PathValue(m, "tokenFile"),
            ClientCertificate = PathValue(m, "client-certificate"),
            ClientCertificateData = Scalar(m, "client-certificate-data"),
            ClientKey = PathValue(m, "client-key"),
            ClientKeyData = Scalar(m, "client-key-data"),
            Username = Scalar(m, "username"),
            Password = Scalar(m, "password"),
            Exec = Exec(m),
            AuthProvider = AuthProvider(m),
            Impersonate = Scalar(m, "as"),
            ImpersonateUid = Scalar(m, "as-uid"),
            ImpersonateGroups = StringList(m, "as-groups"),
            ImpersonateUserExtra = Extra(m),
        };

        public ContextEntry Context(string name, YamlMappingNode m) => new()
        {
            Name = name,
            SourceFile = file,
            Cluster = Scalar(m, "cluster"),
            User = Scalar(m, "user"),
            Namespace = Scalar(m, "namespace"),
        };

        private ExecConfig? Exec(YamlMappingNode user)
        {
            var node = Get(user, "exec");
            if (IsNull(node))
                return null;
            if (node is not YamlMappingNode m)
                throw Invalid(file, node!, "'exec' must be a mapping");
            var command = Scalar(m, "command");
            if (string.IsNullOrEmpty(command))
                throw Invalid(file, m, "'exec.command' is required");
            var apiVersion = Scalar(m, "apiVersion");
            if (string.IsNullOrEmpty(apiVersion))
                throw Invalid(file, m, "'exec.apiVersion' is required");
            var env = new List<KeyValuePair<string, string>>();
            if (Get(m, "env") is YamlSequenceNode envSeq)
            {
                foreach (var e in envSeq.Children.OfType<YamlMappingNode>())
                {
                    var envName = Scalar(e, "name");
                    if (!string.IsNullOrEmpty(envName))
                        env.Add(new(envName, Scalar(e, "value") ?? ""));
                }
            }
            return new ExecConfig
            {
                ApiVersion = apiVersion,
                Command = ResolveCommand(command),
                Args = StringList(m, "args"),
                Env = env,
                InstallHint = Scalar(m, "installHint"),
                ProvideClusterInfo = Bool(m, "provideClusterInfo"),
                InteractiveMode = Scalar(m, "interactiveMode"),
            };
        }

        private AuthProviderConfig? AuthProvider(YamlMappingNode user)
        {
            if (Get(user, "auth-provider") is not YamlMappingNode m)
                return null;
            var config = new Dictionary<string, string>(StringComparer.Ordinal);
            if (Get(m, "config") is YamlMappingNode cfg)
            {
                foreach (var (k, v) in cfg.Children)
                {
                    if (k is YamlScalarNode { Value: { } key } && v is YamlScalarNode sv && !IsNull(sv))
                        config[key] = sv.Value ?? "";
                }
            }
            return new AuthProviderConfig(Scalar(m, "name") ?? "", config);
        }

        private static Dictionary<string, IReadOnlyList<string>> Extra(YamlMappingNode m)
        {
            var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            if (Get(m, "as-user-extra") is YamlMappingNode extra)
            {
                foreach (var (k, v) in extra.Children)
                {
                    if (k is YamlScalarNode { Value: { } key })
                        result[key] = v is YamlSequenceNode s ? Strings(s) : v is YamlScalarNode sc && !IsNull(sc) ? new[] { sc.Value ?? "" } : Array.Empty<string>();
                }
            }
            return result;
        }

        private JsonNode? ExecExtension(YamlMappingNode cluster)
        {
            if (Get(cluster, "extensions") is not YamlSequenceNode seq)
                return null;
            foreach (var e in seq.Children.OfType<YamlMappingNode>())
            {
                if (Scalar(e, "name") == "client.authentication.k8s.io/exec")
                    return ToJson(Get(e, "extension"));
            }
            return null;
        }

        private string? PathValue(YamlMappingNode m, string key)
        {
            var value = Scalar(m, key);
            return string.IsNullOrEmpty(value) ? null : System.IO.Path.GetFullPath(value, _dir);
        }

        private string ResolveCommand(string command) =>
            !System.IO.Path.IsPathRooted(command) && (command.Contains('/') || command.Contains(System.IO.Path.DirectorySeparatorChar))
                ? System.IO.Path.GetFullPath(command, _dir)
                : command;

        public string? Scalar(YamlMappingNode m, string key)
        {
            var node = Get(m, key);
            if (IsNull(node))
                return null;
            if (node is not YamlScalarNode s)
                throw Invalid(file, node!, $"'{key}' must be a single value");
            return string.IsNullOrEmpty(s.Value) ? null : s.Value;
        }

        private bool Bool(YamlMappingNode m, string key)
        {
            var value = Scalar(m, key);
            if (value is null)
                return false;
            return value.ToLowerInvariant() switch
            {
                "true" or "yes" or "on" => true,
                "false" or "no" or "off" => false,
                _ => throw Invalid(file, Get(m, key)!, $"'{key}' must be true or false, not '{value}'"),
            };
        }

        private IReadOnlyList<string> StringList(YamlMappingNode m, string key)
        {
            var node = Get(m, key);
            if (IsNull(node))
                return Array.Empty<string>();
            if (node is not YamlSequenceNode seq)
                throw Invalid(file, node!, $"'{key}' must be a list");
            return Strings(seq);
        }

        private static string[] Strings(YamlSequenceNode seq) =>
            seq.Children.OfType<YamlScalarNode>().Select(s => s.Value ?? "").ToArray();
    }

    /// <summary>Remembers where the parser last was, for errors YamlDotNet raises without a position.</summary>
    private sealed class PositionTrackingParser(IParser inner) : IParser
    {
        public int LastLine { get; private set; } = 1;

        public YamlDotNet.Core.Events.ParsingEvent? Current => inner.Current;

        public bool MoveNext()
        {
            var moved = inner.MoveNext();
            if (inner.Current is { } current)
                LastLine = (int)current.End.Line;
            return moved;
        }
    }

    internal static YamlNode? Get(YamlMappingNode m, string key)
    {
        foreach (var (k, v) in m.Children)
        {
            if (k is YamlScalarNode { Value: { } name } && string.Equals(name, key, StringComparison.Ordinal))
                return v;
        }
        return null;
    }

    /// <summary>YAML node → JSON node (plain scalars typed as YAML 1.2 core schema would read them).</summary>
    internal static JsonNode? ToJson(YamlNode? node)
    {
        switch (node)
        {
            case null:
                return null;
            case YamlMappingNode map:
                var obj = new JsonObject();
                foreach (var (k, v) in map.Children)
                {
                    if (k is YamlScalarNode { Value: { } key })
                        obj[key] = ToJson(v);
                }
                return obj;
            case YamlSequenceNode seq:
                var arr = new JsonArray();
                foreach (var item in seq.Children)
                    arr.Add(ToJson(item));
                return arr;
            case YamlScalarNode s when IsNull(s):
                return null;
            case YamlScalarNode { Style: ScalarStyle.Plain } s:
                if (s.Value is "true" or "false")
                    return JsonValue.Create(s.Value == "true");
                if (long.TryParse(s.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l))
                    return JsonValue.Create(l);
                if (double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
                    return JsonValue.Create(d);
                return JsonValue.Create(s.Value);
            case YamlScalarNode s:
                return JsonValue.Create(s.Value);
            default:
                return null;
        }
    }
}
