using System.Globalization;
using System.Text.Json.Nodes;
using ClusterOps.Kubernetes.Errors;
using ClusterOps.Kubernetes.Input;

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

    /// <summary>
    /// Read and parse one kubeconfig through the shared bounded reader (<see cref="BoundedYaml"/>): a FIFO, a
    /// device, an oversized file, a cyclic alias, an alias bomb or hostile nesting is a <see cref="KubeConfigException"/>
    /// naming the file and the bound, never a hang or a crashed session (one bad file in KUBECONFIG must not kill it).
    /// </summary>
    public static KubeConfigFile Load(string path)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        string text;
        try
        {
            text = BoundedFile.ReadText(fullPath, InputLimits.MaxYamlFileBytes, "kubeconfig file");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new KubeConfigException($"Cannot read kubeconfig file '{path}': {ex.Message}", path, inner: ex);
        }
        catch (InputLimitException ex)
        {
            throw new KubeConfigException(ex.Message, fullPath, ex.Line, ex);
        }
        return Parse(text, path);
    }

    /// <summary>Parse YAML text; <paramref name="path"/> names the file in errors and anchors relative paths.</summary>
    public static KubeConfigFile Parse(string yaml, string path)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        IReadOnlyList<YamlItem> documents;
        try
        {
            documents = BoundedYaml.Parse(yaml, fullPath, "kubeconfig file");
        }
        catch (YamlInputException ex)
        {
            var line = ex.Line;
            throw new KubeConfigException(
                $"The kubeconfig file '{fullPath}' is not valid YAML at line {line.ToString(CultureInfo.InvariantCulture)}: {ex.Message}",
                fullPath, line, ex);
        }
        catch (InputLimitException ex)
        {
            throw new KubeConfigException(ex.Message, fullPath, ex.Line, ex);
        }
        if (documents.Count == 0 || IsNull(documents[0]))
            return new KubeConfigFile(fullPath); // an empty file is an empty config, as in kubectl
        if (documents[0] is not YamlMap root)
            throw Invalid(fullPath, documents[0], "the document is not a mapping");

        var reader = new StanzaReader(fullPath);
        return new KubeConfigFile(fullPath)
        {
            CurrentContext = reader.Scalar(root, "current-context"),
            Clusters = reader.NamedList(root, "clusters", "cluster", reader.Cluster),
            Users = reader.NamedList(root, "users", "user", reader.User),
            Contexts = reader.NamedList(root, "contexts", "context", reader.Context),
        };
    }

    internal static bool IsNull(YamlItem? node) => node is null || node is YamlScalar { IsNull: true };

    internal static KubeConfigException Invalid(string file, YamlItem node, string problem)
    {
        var line = node.Line;
        return new KubeConfigException(
            $"The kubeconfig file '{file}' is invalid at line {line.ToString(CultureInfo.InvariantCulture)}: {problem}.", file, line);
    }

    /// <summary>Reads stanza bodies of one file; knows the file for errors and relative paths.</summary>
    private sealed class StanzaReader(string file)
    {
        private readonly string _dir = System.IO.Path.GetDirectoryName(file) ?? ".";

        public IReadOnlyList<T> NamedList<T>(YamlMap root, string key, string bodyKey, Func<string, YamlMap, T> build)
        {
            var node = Get(root, key);
            if (IsNull(node))
                return Array.Empty<T>();
            if (node is not YamlList seq)
                throw Invalid(file, node!, $"'{key}' must be a list");
            var result = new List<T>();
            foreach (var item in seq.Items)
            {
                if (IsNull(item))
                    continue;
                if (item is not YamlMap entry)
                    throw Invalid(file, item, $"each '{key}' entry must be a mapping");
                var name = Scalar(entry, "name");
                if (string.IsNullOrEmpty(name))
                    throw Invalid(file, item, $"a '{key}' entry has no name");
                var body = Get(entry, bodyKey);
                if (!IsNull(body) && body is not YamlMap)
                    throw Invalid(file, body!, $"'{key}[{name}].{bodyKey}' must be a mapping");
                result.Add(build(name, body as YamlMap ?? new YamlMap(item.Line, item.Column)));
            }
            return result;
        }

        public ClusterEntry Cluster(string name, YamlMap m) => new()
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

        public UserEntry User(string name, YamlMap m) => new()
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

        public ContextEntry Context(string name, YamlMap m) => new()
        {
            Name = name,
            SourceFile = file,
            Cluster = Scalar(m, "cluster"),
            User = Scalar(m, "user"),
            Namespace = Scalar(m, "namespace"),
        };

        private ExecConfig? Exec(YamlMap user)
        {
            var node = Get(user, "exec");
            if (IsNull(node))
                return null;
            if (node is not YamlMap m)
                throw Invalid(file, node!, "'exec' must be a mapping");
            var command = Scalar(m, "command");
            if (string.IsNullOrEmpty(command))
                throw Invalid(file, m, "'exec.command' is required");
            var apiVersion = Scalar(m, "apiVersion");
            if (string.IsNullOrEmpty(apiVersion))
                throw Invalid(file, m, "'exec.apiVersion' is required");
            var env = new List<KeyValuePair<string, string>>();
            if (Get(m, "env") is YamlList envSeq)
            {
                foreach (var e in envSeq.Items.OfType<YamlMap>())
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

        private AuthProviderConfig? AuthProvider(YamlMap user)
        {
            if (Get(user, "auth-provider") is not YamlMap m)
                return null;
            var config = new Dictionary<string, string>(StringComparer.Ordinal);
            if (Get(m, "config") is YamlMap cfg)
            {
                foreach (var (k, v) in cfg.Entries)
                {
                    if (k is YamlScalar { Value: { } key } && v is YamlScalar sv && !IsNull(sv))
                        config[key] = sv.Value ?? "";
                }
            }
            return new AuthProviderConfig(Scalar(m, "name") ?? "", config);
        }

        private static Dictionary<string, IReadOnlyList<string>> Extra(YamlMap m)
        {
            var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            if (Get(m, "as-user-extra") is YamlMap extra)
            {
                foreach (var (k, v) in extra.Entries)
                {
                    if (k is YamlScalar { Value: { } key })
                        result[key] = v is YamlList s ? Strings(s) : v is YamlScalar sc && !IsNull(sc) ? new[] { sc.Value ?? "" } : Array.Empty<string>();
                }
            }
            return result;
        }

        private JsonNode? ExecExtension(YamlMap cluster)
        {
            if (Get(cluster, "extensions") is not YamlList seq)
                return null;
            foreach (var e in seq.Items.OfType<YamlMap>())
            {
                if (Scalar(e, "name") == "client.authentication.k8s.io/exec")
                    return ToJson(Get(e, "extension"));
            }
            return null;
        }

        private string? PathValue(YamlMap m, string key)
        {
            var value = Scalar(m, key);
            return string.IsNullOrEmpty(value) ? null : System.IO.Path.GetFullPath(value, _dir);
        }

        private string ResolveCommand(string command) =>
            !System.IO.Path.IsPathRooted(command) && (command.Contains('/') || command.Contains(System.IO.Path.DirectorySeparatorChar))
                ? System.IO.Path.GetFullPath(command, _dir)
                : command;

        public string? Scalar(YamlMap m, string key)
        {
            var node = Get(m, key);
            if (IsNull(node))
                return null;
            if (node is not YamlScalar s)
                throw Invalid(file, node!, $"'{key}' must be a single value");
            return string.IsNullOrEmpty(s.Value) ? null : s.Value;
        }

        private bool Bool(YamlMap m, string key)
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

        private IReadOnlyList<string> StringList(YamlMap m, string key)
        {
            var node = Get(m, key);
            if (IsNull(node))
                return Array.Empty<string>();
            if (node is not YamlList seq)
                throw Invalid(file, node!, $"'{key}' must be a list");
            return Strings(seq);
        }

        private static string[] Strings(YamlList seq) =>
            seq.Items.OfType<YamlScalar>().Select(s => s.Value ?? "").ToArray();
    }

    internal static YamlItem? Get(YamlMap m, string key) => m.Get(key);

    /// <summary>YAML node → JSON node (plain scalars typed as YAML 1.2 core schema would read them), without recursion.</summary>
    internal static JsonNode? ToJson(YamlItem? node) => node is null ? null : BoundedYaml.ToJson(node, ScalarToJson);

    private static JsonNode? ScalarToJson(YamlScalar s)
    {
        if (s.IsNull)
            return null;
        if (!s.Plain)
            return JsonValue.Create(s.Value);
        if (s.Value is "true" or "false")
            return JsonValue.Create(s.Value == "true");
        if (long.TryParse(s.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l))
            return JsonValue.Create(l);
        if (double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
            return JsonValue.Create(d);
        return JsonValue.Create(s.Value);
    }
}
