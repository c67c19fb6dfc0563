namespace ClusterOps.Core.Scheduling;

/// <summary>What to replay: a policy over [Start, End] as one MigrationSchedule's controller would see it.</summary>
public sealed record ScheduleTriggerRequest
{
    /// <summary>The requeue delay of Stork's controllers after a successful pass (pkg/controllers DefaultRequeue).</summary>
    public static readonly TimeSpan ControllerRequeue = TimeSpan.FromSeconds(10);

    public required SchedulePolicySpec Policy { get; init; }
    public required DateTimeOffset Start { get; init; }
    public required DateTimeOffset End { get; init; }

    /// <summary>The stork pod's zone (Go's time.Local). UTC unless the image or pod sets TZ or /etc/localtime.</summary>
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Utc;

    /// <summary>
    /// The newest creationTimestamp per type in the schedule's status before Start (what Stork calls the last
    /// trigger). A type without an entry has never run: an interval fires at the first pass.
    /// </summary>
    public IReadOnlyDictionary<SchedulePolicyType, DateTimeOffset> LastTriggers { get; init; } =
        new Dictionary<SchedulePolicyType, DateTimeOffset>();

    /// <summary>
    /// How long each migration runs. While one runs, no type can trigger. Zero means it is seen complete at the
    /// next pass. The newest last trigger is taken as still running at Start if it began less than this long before.
    /// </summary>
    public TimeSpan MigrationDuration { get; init; } = TimeSpan.Zero;

    /// <summary>The simulated controller's pass interval: its 10-second requeue. See <see cref="ScheduleTriggerSimulator"/>.</summary>
    public TimeSpan Step { get; init; } = ControllerRequeue;

    /// <summary>When set, each trigger carries the Migration name Stork would give it.</summary>
    public string? ScheduleName { get; init; }

    public string? PolicyName { get; init; }

    /// <summary>Also report daily/weekly/monthly windows lost to a migration in progress.</summary>
    public bool IncludeMissed { get; init; }
}
