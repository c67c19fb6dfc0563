namespace ClusterOps.Core.Scheduling;

/// <summary>What New-MigrationSchedule asks for (storkctl create migrationschedule's flags).</summary>
public sealed record MigrationScheduleRequest
{
    public required string Name { get; init; }
    public required string Namespace { get; init; }
    public required string ClusterPair { get; init; }
    public required IReadOnlyList<string> Namespaces { get; init; }

    /// <summary>The policy to use; null means Stork's default-migration-policy (unless <see cref="IntervalMinutes"/>).</summary>
    public string? SchedulePolicyName { get; init; }

    /// <summary>Also create a SchedulePolicy named after the schedule with this interval (storkctl -i).</summary>
    public int? IntervalMinutes { get; init; }

    public bool ExcludeResources { get; init; }
    public bool ExcludeVolumes { get; init; }
    public bool StartApplications { get; init; }
    public bool PurgeDeletedResources { get; init; }
    public bool Suspend { get; init; }
    public bool AutoSuspend { get; init; }
    public string? PreExecRule { get; init; }
    public string? PostExecRule { get; init; }
    public IReadOnlyDictionary<string, string>? Selectors { get; init; }
    public IReadOnlyDictionary<string, string>? ExcludeSelectors { get; init; }

    /// <summary>Stork's admin namespace: only there may a schedule migrate other namespaces.</summary>
    public string AdminNamespace { get; init; } = StorkResources.DefaultAdminNamespace;
}

/// <summary>Get-MigrationSchedule's filter: <see cref="Namespace"/> null means all namespaces.</summary>
public sealed record MigrationScheduleQuery(string? Namespace, IReadOnlyList<string>? Names = null, string? ClusterPair = null);
