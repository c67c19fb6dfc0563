using System.Text.Json;
using System.Text.Json.Serialization;
using ClusterOps.Core.Common;

namespace ClusterOps.Core.PersistentState;

/// <summary>
/// The completion marker at the volume root. A directory counts as populated only when listed here: the marker is
/// rewritten (atomically) after each directory's copy is flushed and renamed into place, never before.
/// Unknown fields are carried through, so a newer writer's additions survive an older one.
/// </summary>
public sealed class StateMarker
{
    public const int CurrentSchemaVersion = 1;

    [JsonPropertyName("schemaVersion")] public int SchemaVersion { get; set; } = CurrentSchemaVersion;
    [JsonPropertyName("writer")] public string? Writer { get; set; }
    [JsonPropertyName("createdUtc")] public DateTimeOffset CreatedUtc { get; set; }
    [JsonPropertyName("updatedUtc")] public DateTimeOffset UpdatedUtc { get; set; }
    [JsonPropertyName("directories")] public List<StateMarkerDirectory> Directories { get; set; } = [];
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }

    public StateMarkerDirectory? Find(string directory) =>
        Directories.FirstOrDefault(d => string.Equals(d.Directory, directory, StringComparison.Ordinal));
}

public sealed class StateMarkerDirectory
{
    [JsonPropertyName("directory")] public string Directory { get; set; } = "";
    [JsonPropertyName("persistentPath")] public string PersistentPath { get; set; } = "";
    [JsonPropertyName("copiedUtc")] public DateTimeOffset CopiedUtc { get; set; }
    [JsonPropertyName("files")] public long Files { get; set; }
    [JsonPropertyName("bytes")] public long Bytes { get; set; }
    [JsonPropertyName("writer")] public string? Writer { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

internal sealed class StateMarkerStore(IPersistentFileSystem fs, PersistentStateLayout layout)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static string WriterName { get; } =
        "ClusterOps " + (typeof(StateMarker).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");

    public StateMarker? Read()
    {
        byte[]? bytes;
        try
        {
            bytes = fs.ReadFile(layout.MarkerPath);
        }
        catch (ClusterOps.Kubernetes.Input.InputLimitException ex)
        {
            // A marker that is a pipe, a device or megabytes long was not written by us.
            throw new OperationException(PersistentStateErrors.MarkerInvalid, FailureKind.InvalidData, ex.Message, layout.MarkerPath, ex)
            {
                RecommendedAction = "Inspect the volume: the completion marker must be the small regular file ClusterOps writes.",
            };
        }
        if (bytes is null)
            return null;
        StateMarker? marker;
        try
        {
            marker = JsonSerializer.Deserialize<StateMarker>(bytes, Json);
        }
        catch (JsonException ex)
        {
            throw new OperationException(PersistentStateErrors.MarkerInvalid, FailureKind.InvalidData,
                $"The completion marker '{layout.MarkerPath}' is not valid JSON: {ex.Message}", layout.MarkerPath, ex)
            {
                RecommendedAction = "Inspect the volume; the marker is written atomically, so a damaged one was edited or the disk is failing.",
            };
        }
        if (marker is null)
            throw new OperationException(PersistentStateErrors.MarkerInvalid, FailureKind.InvalidData,
                $"The completion marker '{layout.MarkerPath}' is empty.", layout.MarkerPath);
        if (marker.SchemaVersion > StateMarker.CurrentSchemaVersion)
            throw new OperationException(PersistentStateErrors.MarkerUnsupported, FailureKind.InvalidData,
                $"The completion marker '{layout.MarkerPath}' has schema version {marker.SchemaVersion}; this ClusterOps understands up to {StateMarker.CurrentSchemaVersion}.",
                layout.MarkerPath) { RecommendedAction = "Use the ClusterOps version that wrote the volume, or a newer one." };
        return marker;
    }

    /// <summary>Write to a temporary file, flush, rename over the marker, flush the volume directory.</summary>
    public void Write(StateMarker marker)
    {
        var temporary = layout.MarkerPath + ".tmp";
        if (fs.GetEntry(temporary) is not null)
            fs.Delete(temporary);
        fs.WriteNewFile(temporary, JsonSerializer.SerializeToUtf8Bytes(marker, Json));
        fs.Rename(temporary, layout.MarkerPath);
        fs.FlushDirectory(layout.Volume);
    }
}
