namespace ClusterOps.Core.Scheduling;

/// <summary>Error: Stork rejects the policy (TriggerRequired fails, so it never triggers, for any type). Warning: Stork accepts it, but it will not do what it seems to say.</summary>
public enum SchedulePolicySeverity
{
    Error,
    Warning,
}

/// <summary>
/// One problem found in a schedule policy: what Test-SchedulePolicy emits, one object per problem. Field uses the
/// cmdlet parameter names (WeeklyDay, MonthlyDate...) so a message can be acted on with New/Set-SchedulePolicy;
/// Path is the field in the object (policy.weekly.day). ErrorId is stable: runbooks match on it.
/// </summary>
public sealed class SchedulePolicyProblem
{
    public required string PolicyName { get; init; }
    public required SchedulePolicySeverity Severity { get; init; }

    /// <summary>Interval, Daily, Weekly, Monthly, Policy (the body as a whole) or Metadata.</summary>
    public required string Section { get; init; }

    public required string Field { get; init; }
    public required string Path { get; init; }

    /// <summary>The offending value as written (JSON text for non-strings), or null when missing.</summary>
    public string? Value { get; init; }

    public required string Message { get; init; }
    public required string ErrorId { get; init; }

    /// <summary>The file the policy came from (Test-SchedulePolicy -Path), or null.</summary>
    public string? Source { get; init; }

    public override string ToString() => $"{Severity}: {Message}";
}

/// <summary>Stable ErrorIds of schedule policy problems. Never rename one that has shipped.</summary>
public static class SchedulePolicyErrorIds
{
    public const string TimeInvalid = "SchedulePolicyTimeInvalid";
    public const string WeekdayInvalid = "SchedulePolicyWeekdayInvalid";
    public const string DateOutOfRange = "SchedulePolicyDateOutOfRange";
    public const string IntervalTooSmall = "SchedulePolicyIntervalTooSmall";
    public const string FieldType = "SchedulePolicyFieldType";
    public const string KindInvalid = "SchedulePolicyKindInvalid";
    public const string NameMissing = "SchedulePolicyNameMissing";
    public const string PolicyInvalid = "SchedulePolicyInvalid";

    public const string DateSkippedInShortMonths = "SchedulePolicyDateSkippedInShortMonths";
    public const string UnknownField = "SchedulePolicyUnknownField";
    public const string NoSections = "SchedulePolicyNoSections";
    public const string NamespaceIgnored = "SchedulePolicyNamespaceIgnored";
    public const string RetainNegative = "SchedulePolicyRetainNegative";
    public const string IntervalOverflow = "SchedulePolicyIntervalOverflow";
}
