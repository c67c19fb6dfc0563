using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClusterOps.Core.Common;
using ClusterOps.Kubernetes.Input;

namespace ClusterOps.Core.Lifecycle;

/// <summary>One object an Undeploy stop deleted, with the definition that recreates it.</summary>
public sealed class RecordedObject
{
    public RecordedObject(string component, int zone, string kind, string name, JsonObject manifest)
    {
        Component = component;
        Zone = zone;
        Kind = kind;
        Name = name;
        Manifest = manifest;
    }

    public string Component { get; }
    public int Zone { get; }
    /// <summary>Deployment, StatefulSet, Service or Secret.</summary>
    public string Kind { get; }
    public string Name { get; }
    /// <summary>The cleaned definition. For a Secret it holds the Secret's data: never log or print it.</summary>
    internal JsonObject Manifest { get; }

    public string Key => KeyOf(Kind, Name);
    public static string KeyOf(string kind, string name) => $"{kind.ToLowerInvariant()}/{name}";

    /// <summary>Names only, never the manifest (it may carry Secret data).</summary>
    public override string ToString() => Key;
}

/// <summary>
/// The restore record of an Undeploy stop: every workload, service and component secret the stop deletes, cleaned so
/// it can be created again. It is written (and verified by reading it back) before anything is deleted, so an
/// interrupted stop resumes from it and a start recreates the cluster exactly. Because it contains the component
/// secrets' data it is itself stored as a Secret (gzip-compressed JSON under one key, with a SHA-256 in an
/// annotation), and its content is never written to any stream.
/// </summary>
public sealed class RestoreRecord : DefinitionSource
{
    public const int FormatVersion = 1;
    public const string DataKey = "record.json.gz";
    public const string SecretType = "clusterops.io/restore-record";
    public const string ProfileLabel = "clusterops.io/restore-record";
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";
    public const string ChecksumAnnotation = "clusterops.io/record-sha256";
    public const string ObjectsAnnotation = "clusterops.io/record-objects";

    /// <summary>The API server refuses Secrets whose data exceeds 1 MiB.</summary>
    public const int MaxSecretDataBytes = 1024 * 1024;

    /// <summary>
    /// Largest decompressed record read back (64 MiB): 1 MiB of gzip-compressed manifests is 5-15 MiB of JSON, so this
    /// never refuses a record we wrote, and it stops a gzip bomb long before it fills the session's memory.
    /// </summary>
    public const int MaxRecordJsonBytes = 64 * 1024 * 1024;

    private readonly Dictionary<string, RecordedObject> _objects = new(StringComparer.Ordinal);
    private readonly List<string> _order = new();

    public RestoreRecord(string profile, int zones, string @namespace, DateTimeOffset createdAt)
    {
        Profile = profile;
        Zones = zones;
        Namespace = @namespace;
        CreatedAt = createdAt;
    }

    public string Profile { get; }
    public int Zones { get; }
    public string Namespace { get; }
    public DateTimeOffset CreatedAt { get; }
    public IReadOnlyList<RecordedObject> Objects => _order.Select(k => _objects[k]).ToList();

    public override bool Contains(string kind, string name) => _objects.ContainsKey(RecordedObject.KeyOf(kind, name));

    public override string Description => $"the restore record in namespace '{Namespace}'";

    internal override JsonObject? ManifestOf(string kind, string name) => Find(kind, name)?.Manifest;
    public RecordedObject? Find(string kind, string name) => _objects.GetValueOrDefault(RecordedObject.KeyOf(kind, name));

    /// <summary>Add or replace (a newer definition of the same object wins; its position stays).</summary>
    public void Put(RecordedObject item)
    {
        if (!_objects.ContainsKey(item.Key))
            _order.Add(item.Key);
        _objects[item.Key] = item;
    }

    /// <summary>Names of what the record holds, for messages (no data).</summary>
    public override string ToString() => $"restore record ({_order.Count} objects: {string.Join(", ", _order)})";

    public byte[] Serialize()
    {
        var root = new JsonObject
        {
            ["version"] = FormatVersion,
            ["profile"] = Profile,
            ["zones"] = Zones,
            ["namespace"] = Namespace,
            ["createdAt"] = CreatedAt.ToString("O"),
            ["objects"] = new JsonArray(Objects.Select(o => (JsonNode)new JsonObject
            {
                ["component"] = o.Component,
                ["zone"] = o.Zone,
                ["kind"] = o.Kind,
                ["name"] = o.Name,
                ["manifest"] = o.Manifest.DeepClone(),
            }).ToArray()),
        };
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
            gzip.Write(Encoding.UTF8.GetBytes(root.ToJsonString()));
        return buffer.ToArray();
    }

    public static string Checksum(byte[] data) => Convert.ToHexString(SHA256.HashData(data)).ToLowerInvariant();

    /// <summary>Parse stored bytes; a wrong checksum, version or shape is a clear error, never a partial record.</summary>
    public static RestoreRecord Deserialize(byte[] data, string? expectedChecksum, string secretName)
    {
        if (expectedChecksum is not null && !string.Equals(Checksum(data), expectedChecksum, StringComparison.OrdinalIgnoreCase))
            throw Corrupt(secretName, "its checksum does not match the content");
        JsonObject root;
        try
        {
            // Bounded: at most 1 MiB of gzip can inflate about a thousandfold, and the Secret is cluster data that
            // anyone allowed to write Secrets in the namespace can replace (its checksum annotation with it).
            using var gzip = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
            var json = BoundedFile.ReadAtMost(gzip, MaxRecordJsonBytes)
                ?? throw Corrupt(secretName, $"it expands to more than {MaxRecordJsonBytes / (1024 * 1024)} MiB of JSON");
            root = JsonNode.Parse(json) as JsonObject ?? throw Corrupt(secretName, "it is not a JSON object");
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException)
        {
            // The exception text could quote content; keep only its type.
            throw Corrupt(secretName, $"it cannot be read ({ex.GetType().Name})");
        }

        var version = root["version"]?.GetValue<int>() ?? 0;
        if (version != FormatVersion)
            throw Corrupt(secretName, $"it has format version {version}; this ClusterOps reads version {FormatVersion}");
        var record = new RestoreRecord(
            root["profile"]?.GetValue<string>() ?? "",
            root["zones"]?.GetValue<int>() ?? 1,
            root["namespace"]?.GetValue<string>() ?? "",
            DateTimeOffset.Parse(root["createdAt"]?.GetValue<string>() ?? DateTimeOffset.MinValue.ToString("O"), System.Globalization.CultureInfo.InvariantCulture));
        foreach (var node in root["objects"]?.AsArray() ?? new JsonArray())
        {
            if (node is not JsonObject o || o["manifest"] is not JsonObject manifest)
                throw Corrupt(secretName, "an entry has no manifest");
            record.Put(new RecordedObject(
                o["component"]?.GetValue<string>() ?? "",
                o["zone"]?.GetValue<int>() ?? 0,
                o["kind"]?.GetValue<string>() ?? throw Corrupt(secretName, "an entry has no kind"),
                o["name"]?.GetValue<string>() ?? throw Corrupt(secretName, "an entry has no name"),
                (JsonObject)manifest.DeepClone()));
        }
        return record;
    }

    /// <summary>
    /// The Secret that stores this record. The object list (names only) rides in an annotation so `kubectl describe`
    /// shows what a start would recreate without decoding anything.
    /// </summary>
    public JsonObject ToSecret(string name, out string checksum)
    {
        var data = Serialize();
        if (data.Length > MaxSecretDataBytes)
            throw new OperationException("RestoreRecordTooLarge", FailureKind.InvalidData,
                $"The restore record for namespace '{Namespace}' would be {data.Length} bytes, over the 1 MiB Secret limit; nothing was deleted. Use -Mode ScaleToZero, which keeps every object.",
                name);
        checksum = Checksum(data);
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = Namespace,
                ["labels"] = new JsonObject { [ProfileLabel] = Profile, [ManagedByLabel] = "ClusterOps" },
                ["annotations"] = new JsonObject
                {
                    [ChecksumAnnotation] = checksum,
                    [ObjectsAnnotation] = string.Join(",", _order),
                },
            },
            ["type"] = SecretType,
            ["data"] = new JsonObject { [DataKey] = Convert.ToBase64String(data) },
        };
    }

    private static OperationException Corrupt(string secretName, string why) =>
        new("RestoreRecordUnreadable", FailureKind.InvalidData,
            $"The restore record Secret '{secretName}' cannot be used: {why}. It was left in place; nothing was changed.", secretName)
        {
            RecommendedAction = "Inspect the Secret's labels and annotations (never print its data) or restore the cluster's definitions by hand.",
        };
}
