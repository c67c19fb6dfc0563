namespace ClusterOps.Core.Scheduling;

public enum ScheduleTriggerOutcome
{
    /// <summary>Stork starts a migration at this pass.</summary>
    Triggered,

    /// <summary>A daily/weekly/monthly window closed without a run because a migration was still in progress.</summary>
    Missed,
}

/// <summary>
/// One predicted trigger of a schedule policy (Get-ScheduleTrigger). Time is the controller pass that starts the
/// migration, in the controller's zone; Target is the daily/weekly/monthly time it was aiming at (null for
/// interval) and Delay the gap between them. Finished is when the simulated migration is seen complete (null when
/// that is after the end of the preview).
/// </summary>
public sealed class ScheduleTriggerInfo
{
    public required DateTimeOffset Time { get; init; }
    public required SchedulePolicyType PolicyType { get; init; }
    public required ScheduleTriggerOutcome Outcome { get; init; }
    public required string Reason { get; init; }
    public DateTimeOffset? Target { get; init; }
    public TimeSpan Delay { get; init; }
    public DateTimeOffset? Finished { get; init; }

    /// <summary>The Migration name Stork would create (when a schedule name was given): &lt;schedule&gt;-&lt;type&gt;-yyyy-MM-dd-HHmmss.</summary>
    public string? MigrationName { get; init; }

    public string? PolicyName { get; init; }
    public required string TimeZone { get; init; }

    public override string ToString() => $"{Time:yyyy-MM-dd HH:mm:ss zzz} {PolicyType} {Outcome}";
}
