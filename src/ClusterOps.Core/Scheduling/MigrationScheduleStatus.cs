using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ClusterOps.Core.Scheduling;

/// <summary>
/// One entry of a MigrationSchedule's <c>status.items</c>: the flat row of Get-MigrationSchedule -History, ready for
/// Export-Csv. PolicyType is the status key as written (Interval, Daily, Weekly, Monthly).
/// </summary>
public sealed class MigrationScheduleHistoryItem
{
    public required string Schedule { get; init; }
    public string? Namespace { get; init; }
    public required string PolicyType { get; init; }
    public required string Migration { get; init; }

    /// <summary>Pending, InProgress, Successful, PartialSuccess, Failed... as Stork wrote it.</summary>
    public required string Status { get; init; }

    public DateTimeOffset? Created { get; init; }
    public DateTimeOffset? Finished { get; init; }
    public TimeSpan? Duration => Created is { } c && Finished is { } f ? f - c : null;

    /// <summary>Pending or InProgress: while any entry of any type is, Stork starts nothing for this schedule.</summary>
    public bool IsRunning => Status is "Pending" or "InProgress";

    public override string ToString() => $"{Migration} {Status}";
}

/// <summary>
/// Reads what Stork's MigrationSchedule controller keeps in <c>status</c> (pkg/migration/controllers/migrationschedule.go).
/// Stork stores no "last triggered" field: it takes, per policy type, the newest creationTimestamp among that type's
/// entries, which is what <see cref="LastTriggers"/> returns for the trigger preview.
/// </summary>
public static class MigrationScheduleStatus
{
    /// <summary>Every status entry, types in Stork's order, entries in status order.</summary>
    public static IReadOnlyList<MigrationScheduleHistoryItem> History(JsonObject schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var name = Text(schedule["metadata"]?["name"]) ?? "";
        var ns = Text(schedule["metadata"]?["namespace"]);
        var rows = new List<MigrationScheduleHistoryItem>();
        if (schedule["status"]?["items"] is not JsonObject items)
            return rows;
        var keys = items.Select(p => p.Key)
            .OrderBy(k => Enum.TryParse<SchedulePolicyType>(k, out var t) ? (int)t : int.MaxValue)
            .ThenBy(k => k, StringComparer.Ordinal);
        foreach (var key in keys)
        {
            if (items[key] is not JsonArray entries)
                continue;
            foreach (var entry in entries.OfType<JsonObject>())
            {
                rows.Add(new MigrationScheduleHistoryItem
                {
                    Schedule = name,
                    Namespace = ns,
                    PolicyType = key,
                    Migration = Text(entry["name"]) ?? "",
                    Status = Text(entry["status"]) ?? "",
                    Created = Time(entry["creationTimestamp"]),
                    Finished = Time(entry["finishTimestamp"]),
                });
            }
        }
        return rows;
    }

    /// <summary>Per type, the newest creationTimestamp: Stork's "last trigger" (shouldStartMigration).</summary>
    public static IReadOnlyDictionary<SchedulePolicyType, DateTimeOffset> LastTriggers(JsonObject schedule) =>
        History(schedule)
            .Where(r => r.Created is not null && Enum.TryParse<SchedulePolicyType>(r.PolicyType, out _))
            .GroupBy(r => Enum.Parse<SchedulePolicyType>(r.PolicyType))
            .ToDictionary(g => g.Key, g => g.Max(r => r.Created!.Value));

    /// <summary>The entry that blocks every new trigger, if any.</summary>
    public static MigrationScheduleHistoryItem? Running(JsonObject schedule) =>
        History(schedule).FirstOrDefault(r => r.IsRunning);

    /// <summary>
    /// storkctl's LAST-SUCCESS-TIME and LAST-SUCCESS-DURATION: the newest finishTimestamp among entries whose status
    /// is exactly Successful (PartialSuccess does not count), and finish minus creation.
    /// </summary>
    public static (DateTimeOffset? Time, TimeSpan? Duration) LastSuccess(JsonObject schedule)
    {
        var last = History(schedule)
            .Where(r => r.Status == "Successful" && r.Finished is not null)
            .MaxBy(r => r.Finished!.Value);
        return (last?.Finished, last?.Duration);
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static DateTimeOffset? Time(JsonNode? node) =>
        Text(node) is { } s && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;
}
