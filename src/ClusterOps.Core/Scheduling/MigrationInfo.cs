using ClusterOps.Core.Common;
using System.Text.Json.Nodes;

namespace ClusterOps.Core.Scheduling;

/// <summary>
/// One Migration with storkctl's columns (NAME CLUSTERPAIR STAGE STATUS VOLUMES RESOURCES CREATED ELAPSED TOTAL BYTES
/// TRANSFERRED): VOLUMES and RESOURCES are "migrated/total", from status.summary when Stork wrote one (v2.9+), else
/// counted from the per-item lists; "N/A" when the migration excludes them.
/// </summary>
public sealed class MigrationInfo : IKubeObjectRecord
{
    public string Kind => StorkResources.MigrationKind;
    public required string Name { get; init; }
    public required string Namespace { get; init; }
    public required string ClusterPair { get; init; }
    public required string Stage { get; init; }

    /// <summary>Initial (Stork's empty status), Pending, InProgress, Failed, PartialSuccess, Successful, Purged.</summary>
    public required string Status { get; init; }
    public required string Volumes { get; init; }
    public required string Resources { get; init; }
    public int? VolumesMigrated { get; init; }
    public int? VolumesTotal { get; init; }
    public int? ResourcesMigrated { get; init; }
    public int? ResourcesTotal { get; init; }
    public DateTimeOffset? Created { get; init; }
    public DateTimeOffset? Finished { get; init; }

    /// <summary>storkctl ELAPSED: "Volumes (1m2s) Resources (3s)".</summary>
    public required string Elapsed { get; init; }
    public long? TotalBytesTransferred { get; init; }

    /// <summary>The MigrationSchedule that started it (annotation), or null for a one-off migration.</summary>
    public string? Schedule { get; init; }

    public bool IsFinished => Status is "Successful" or "PartialSuccess" or "Failed" or "Purged";
    /// <summary>The object as read; PowerShell sees it as the Object property (PSCustomObject tree), see IKubeObjectRecord.</summary>
    internal JsonObject Object { get; init; } = new();

    JsonObject IKubeObjectRecord.ToKubeObject() => Object;

    private const string NotAvailable = "N/A";
    internal const string NeedsSummary = "Available with stork v2.9.0+";

    public static MigrationInfo From(JsonObject migration)
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
            elapsed = $"Volumes ({StorkResources.Text(summary["elapsedTimeForVolumeMigration"]) ?? NotAvailable}) Resources ({StorkResources.Text(summary["elapsedTimeForResourceMigration"]) ?? NotAvailable})";
            bytes = StorkResources.Long(summary["totalBytesMigrated"]);
        }
        else
        {
            vm = volumeItems.Count(v => StorkResources.Text(v["status"]) == "Successful");
            vt = volumeItems.Count;
            rm = resourceItems.Count(r => StorkResources.Text(r["status"]) == "Successful");
            rt = resourceItems.Count;
            elapsed = NeedsSummary;
            bytes = null;
        }
        if (!includeVolumes)
            vm = vt = null;
        if (!includeResources)
            rm = rt = null;
        var state = StorkResources.Text(status, "status");
        return new MigrationInfo
        {
            Name = StorkResources.Name(migration),
            Namespace = StorkResources.Namespace(migration) ?? "",
            ClusterPair = StorkResources.Text(migration, "spec", "clusterPair") ?? "",
            Stage = StorkResources.Text(status, "stage") ?? "",
            Status = string.IsNullOrEmpty(state) ? "Initial" : state,
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

    private static int? Int(JsonNode? node) => StorkResources.Long(node) is { } l ? (int)l : null;

    public override string ToString() => $"{Namespace}/{Name}";
}
