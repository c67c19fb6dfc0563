using ClusterOps.Core.Common;
using System.Text.Json.Nodes;

namespace ClusterOps.Core.Scheduling;

/// <summary>
/// One Migration with storkctl's columns (NAME CLUSTERPAIR STAGE STATUS VOLUMES RESOURCES CREATED ELAPSED TOTAL BYTES
/// TRANSFERRED), as pkg/storkctl/migration.go's migrationPrinter fills them. With status.summary (Stork v2.9+):
/// VOLUMES and RESOURCES are the summary's "migrated/total", ELAPSED is "Volumes (x) Resources (y)" and TOTAL BYTES
/// the summary's byte count. Without one: the per-item lists are counted (Successful items / all, "N/A" when the
/// migration excludes them), ELAPSED is finish - creation once the stage is Final (empty while it has no finish time)
/// and the time since creation before that, and TOTAL BYTES is the text "Available with stork v2.9.0+".
/// </summary>
public sealed class MigrationInfo : IKubeObjectRecord
{
    public string Kind => StorkResources.MigrationKind;
    public required string Name { get; init; }
    public required string Namespace { get; init; }
    public required string ClusterPair { get; init; }
    public required string Stage { get; init; }

    /// <summary>Empty until Stork first writes it (storkctl prints it empty), then Pending, InProgress, Failed, PartialSuccess, Successful, Purged.</summary>
    public required string Status { get; init; }
    public required string Volumes { get; init; }
    public required string Resources { get; init; }
    public int? VolumesMigrated { get; init; }
    public int? VolumesTotal { get; init; }
    public int? ResourcesMigrated { get; init; }
    public int? ResourcesTotal { get; init; }
    public DateTimeOffset? Created { get; init; }
    public DateTimeOffset? Finished { get; init; }

    /// <summary>storkctl ELAPSED: "Volumes (1m2s) Resources (3s)" from a summary, else a Go duration ("2m30s") or empty.</summary>
    public required string Elapsed { get; init; }

    /// <summary>The summary's byte count; null without a summary.</summary>
    public long? TotalBytesTransferred { get; init; }

    /// <summary>storkctl TOTAL BYTES TRANSFERRED: the byte count, or "Available with stork v2.9.0+" without a summary.</summary>
    public required string TotalBytes { get; init; }

    /// <summary>The MigrationSchedule that started it (annotation), or null for a one-off migration.</summary>
    public string? Schedule { get; init; }

    public bool IsFinished => Status is "Successful" or "PartialSuccess" or "Failed" or "Purged";
    /// <summary>The object as read; PowerShell sees it as the Object property (PSCustomObject tree), see IKubeObjectRecord.</summary>
    internal JsonObject Object { get; init; } = new();

    JsonObject IKubeObjectRecord.ToKubeObject() => Object;

    private const string NotAvailable = "N/A";
    internal const string NeedsSummary = "Available with stork v2.9.0+";

    public static MigrationInfo From(JsonObject migration) => From(migration, DateTimeOffset.UtcNow);

    /// <param name="now">The clock storkctl reads (time.Since) for a migration without a summary that is not Final yet.</param>
    public static MigrationInfo From(JsonObject migration, DateTimeOffset now)
    {
        var status = StorkResources.At(migration, "status");
        var summary = StorkResources.At(status, "summary") as JsonObject;
        var includeVolumes = StorkResources.Bool(StorkResources.At(migration, "spec", "includeVolumes")) ?? true;
        var includeResources = StorkResources.Bool(StorkResources.At(migration, "spec", "includeResources")) ?? true;
        var volumeItems = (StorkResources.At(status, "volumes") as JsonArray ?? []).OfType<JsonObject>().ToList();
        var resourceItems = (StorkResources.At(status, "resources") as JsonArray ?? []).OfType<JsonObject>().ToList();

        int? vm, vt, rm, rt;
        string elapsed;
        long? bytes;
        if (summary is not null)
        {
            vm = Int(summary["numOfMigratedVolumes"]);
            vt = Int(summary["totalNumberOfVolumes"]);
            rm = Int(summary["numOfMigratedResources"]);
            rt = Int(summary["totalNumberOfResources"]);
            elapsed = $"Volumes ({StorkResources.Text(summary["elapsedTimeForVolumeMigration"]) ?? ""}) Resources ({StorkResources.Text(summary["elapsedTimeForResourceMigration"]) ?? ""})";
            bytes = StorkResources.Long(summary["totalBytesMigrated"]) ?? 0;
        }
        else
        {
            vm = volumeItems.Count(v => StorkResources.Text(v["status"]) == "Successful");
            vt = volumeItems.Count;
            rm = resourceItems.Count(r => StorkResources.Text(r["status"]) == "Successful");
            rt = resourceItems.Count;
            elapsed = ElapsedWithoutSummary(migration, now);
            bytes = null;
            // Only this branch says N/A for an excluded part; with a summary storkctl prints its counts as they are.
            if (!includeVolumes)
                vm = vt = null;
            if (!includeResources)
                rm = rt = null;
        }
        var state = StorkResources.Text(status, "status");
        return new MigrationInfo
        {
            Name = StorkResources.Name(migration),
            Namespace = StorkResources.Namespace(migration) ?? "",
            ClusterPair = StorkResources.Text(migration, "spec", "clusterPair") ?? "",
            Stage = StorkResources.Text(status, "stage") ?? "",
            Status = state ?? "",
            Volumes = vt is null ? NotAvailable : $"{vm}/{vt}",
            Resources = rt is null ? NotAvailable : $"{rm}/{rt}",
            VolumesMigrated = vm,
            VolumesTotal = vt,
            ResourcesMigrated = rm,
            ResourcesTotal = rt,
            Created = StorkResources.Time(StorkResources.At(migration, "metadata", "creationTimestamp")),
            Finished = StorkResources.Time(StorkResources.At(status, "finishTimestamp")),
            Elapsed = elapsed,
            TotalBytesTransferred = bytes,
            TotalBytes = bytes is { } b ? b.ToString(System.Globalization.CultureInfo.InvariantCulture) : NeedsSummary,
            Schedule = StorkResources.Text(migration, "metadata", "annotations", StorkApi.MigrationScheduleNameAnnotation),
            Object = migration,
        };
    }

    /// <summary>The resources and volumes that did not succeed, as "Kind ns/name: reason" lines.</summary>
    public IReadOnlyList<string> Failures()
    {
        var lines = new List<string>();
        foreach (var r in (StorkResources.At(Object, "status", "resources") as JsonArray ?? []).OfType<JsonObject>())
        {
            if (StorkResources.Text(r["status"]) is "Successful" or null)
                continue;
            lines.Add($"{StorkResources.Text(r["kind"])} {StorkResources.Text(r["namespace"])}/{StorkResources.Text(r["name"])}: {StorkResources.Text(r["status"])} {StorkResources.Text(r["reason"])}".TrimEnd());
        }
        foreach (var v in (StorkResources.At(Object, "status", "volumes") as JsonArray ?? []).OfType<JsonObject>())
        {
            if (StorkResources.Text(v["status"]) is "Successful" or null)
                continue;
            lines.Add($"Volume {StorkResources.Text(v["namespace"])}/{StorkResources.Text(v["persistentVolumeClaim"])} ({StorkResources.Text(v["volume"])}): {StorkResources.Text(v["status"])} {StorkResources.Text(v["reason"])}".TrimEnd());
        }
        return lines;
    }

    /// <summary>storkctl's fallback: Final means finish - creation (empty without a finish time), otherwise time.Since(creation).</summary>
    private static string ElapsedWithoutSummary(JsonObject migration, DateTimeOffset now)
    {
        if (StorkResources.Time(StorkResources.At(migration, "metadata", "creationTimestamp")) is not { } created)
            return "";
        if (StorkResources.Text(migration, "status", "stage") == "Final")
            return StorkResources.Time(StorkResources.At(migration, "status", "finishTimestamp")) is { } finished
                ? GoFormat.Duration(finished - created)
                : "";
        return GoFormat.Duration(now - created);
    }

    private static int? Int(JsonNode? node) => StorkResources.Long(node) is { } l ? (int)l : null;

    public override string ToString() => $"{Namespace}/{Name}";
}
