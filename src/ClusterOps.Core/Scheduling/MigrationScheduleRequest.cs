namespace ClusterOps.Core.Scheduling;

/// <summary>What New-MigrationSchedule asks for (storkctl create migrationschedule's flags).</summary>
public sealed record MigrationScheduleRequest
{
    public required string Name { get; init; }
    public required string Namespace { get; init; }
    public required string ClusterPair { get; init; }
    public required IReadOnlyList<string> Namespaces { get; init; }

    /// <summary>The policy to use; null means Stork's default-migration-policy, created when missing (unless <see cref="IntervalMinutes"/>).</summary>
    public string? SchedulePolicyName { get; init; }

    /// <summary>Also create a SchedulePolicy named after the schedule with this interval (storkctl -i).</summary>
    public int? IntervalMinutes { get; init; }

    public bool ExcludeResources { get; init; }
    public bool ExcludeVolumes { get; init; }
    public bool StartApplications { get; init; }
    public bool PurgeDeletedResources { get; init; }
    public bool Suspend { get; init; }
    /// <summary>storkctl's default: on unless --disable-auto-suspend.</summary>
    public bool AutoSuspend { get; init; } = true;
    public string? PreExecRule { get; init; }
    public string? PostExecRule { get; init; }
    public IReadOnlyDictionary<string, string>? Selectors { get; init; }
    public IReadOnlyDictionary<string, string>? ExcludeSelectors { get; init; }

    /// <summary>Stork's admin namespace, where a schedule may migrate other namespaces; null reads it from the cluster (<see cref="StorkResources.AdminNamespaceAsync"/>).</summary>
    public string? AdminNamespace { get; init; }
}

/// <summary>Get-MigrationSchedule's filter: <see cref="Namespace"/> null means all namespaces.</summary>
public sealed record MigrationScheduleQuery(string? Namespace, IReadOnlyList<string>? Names = null, string? ClusterPair = null);
