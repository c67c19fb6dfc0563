using ClusterOps.Core.Common;
using System.Text.Json.Nodes;

namespace ClusterOps.Core.Scheduling;

/// <summary>
/// One event of an object, as kubectl describe lists them (Type, Reason, Age, From, Message). Age is the time since
/// the last occurrence (a duration, so it sorts); the table prints it as <see cref="AgeCell"/>, kubectl's
/// "4m55s (x53 over 164m)" when the event repeated; Count, FirstSeen and LastSeen carry the same as values.
/// </summary>
public sealed class KubeEventInfo : IKubeObjectRecord
{
    public required string Type { get; init; }
    public required string Reason { get; init; }
    public TimeSpan? Age { get; init; }
    /// <summary>kubectl's From column (the reporting component).</summary>
    public required string From { get; init; }
    public required string Message { get; init; }
    public required int Count { get; init; }
    public DateTimeOffset? FirstSeen { get; init; }
    public DateTimeOffset? LastSeen { get; init; }

    /// <summary>The object the event is about.</summary>
    public required string ObjectKind { get; init; }
    public required string ObjectName { get; init; }
    public string? ObjectNamespace { get; init; }

    /// <summary>The Event object's own name and namespace.</summary>
    public required string Name { get; init; }
    public string? Namespace { get; init; }
    /// <summary>The object as read; PowerShell sees it as the Object property (PSCustomObject tree), see IKubeObjectRecord.</summary>
    internal JsonObject Object { get; init; } = new();

    JsonObject IKubeObjectRecord.ToKubeObject() => Object;

    public static KubeEventInfo Read(JsonObject e, DateTimeOffset now)
    {
        var first = StorkResources.Time(e["firstTimestamp"]) ?? StorkResources.Time(e["eventTime"]) ?? StorkResources.Time(StorkResources.At(e, "metadata", "creationTimestamp"));
        var last = StorkResources.Time(e["lastTimestamp"]) ?? StorkResources.Time(StorkResources.At(e, "series", "lastObservedTime")) ?? first;
        var count = (int)(StorkResources.Long(e["count"]) ?? StorkResources.Long(StorkResources.At(e, "series", "count")) ?? 1);
        return new KubeEventInfo
        {
            Type = StorkResources.Text(e["type"]) ?? "",
            Reason = StorkResources.Text(e["reason"]) ?? "",
            Age = KubeAge.Since(last, now),
            From = SourceOf(e),
            Message = (StorkResources.Text(e["message"]) ?? "").Trim(),
            Count = count,
            FirstSeen = first,
            LastSeen = last,
            ObjectKind = StorkResources.Text(e, "involvedObject", "kind") ?? StorkResources.Text(e, "regarding", "kind") ?? "",
            ObjectName = StorkResources.Text(e, "involvedObject", "name") ?? StorkResources.Text(e, "regarding", "name") ?? "",
            ObjectNamespace = StorkResources.Text(e, "involvedObject", "namespace") ?? StorkResources.Text(e, "regarding", "namespace"),
            Name = StorkResources.Name(e),
            Namespace = StorkResources.Namespace(e),
            Object = e,
        };
    }

    /// <summary>The table's AGE cell for an event read earlier: its Age, plus "(xN over D)" for repeats.</summary>
    public static string AgeCell(KubeEventInfo e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Age is not { } age)
            return KubeAge.Of((TimeSpan?)null);
        var reference = e.LastSeen is { } last ? last + age : DateTimeOffset.UtcNow;
        return Describe(e.FirstSeen, e.LastSeen, e.Count, reference);
    }

    /// <summary>kubectl describe's age cell: the last occurrence, plus "(xN over D)" for repeats.</summary>
    public static string Describe(DateTimeOffset? first, DateTimeOffset? last, int count, DateTimeOffset now)
    {
        var age = KubeAge.Of(last, now);
        return count > 1 && first is not null ? $"{age} (x{count} over {KubeAge.Of(first, now)})" : age;
    }

    /// <summary>kubectl's From: source.component[, source.host], else the reporting controller.</summary>
    public static string SourceOf(JsonObject e)
    {
        var component = StorkResources.Text(e, "source", "component");
        var host = StorkResources.Text(e, "source", "host");
        if (!string.IsNullOrEmpty(component))
            return string.IsNullOrEmpty(host) ? component : $"{component}, {host}";
        return StorkResources.Text(e["reportingComponent"]) ?? StorkResources.Text(e["reportingController"]) ?? "";
    }

    public override string ToString() => $"{Type} {Reason}: {Message}";
}
