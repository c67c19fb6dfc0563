namespace ClusterOps.Core.Scheduling;

/// <summary>
/// The four sections of a Stork schedule policy. The declaration order is the order in which Stork's migration
/// schedule controller checks them (pkg/migration/controllers/migrationschedule.go shouldStartMigration): when two
/// are due in the same pass, the earlier one wins and the other waits for a later pass.
/// </summary>
public enum SchedulePolicyType
{
    Interval,
    Daily,
    Weekly,
    Monthly,
}

/// <summary>
/// Cluster: kind SchedulePolicy (cluster-scoped). Namespaced: kind NamespacedSchedulePolicy, which Stork looks up
/// first (namespace/name) before falling back to the cluster policy of the same name.
/// </summary>
public enum SchedulePolicyScope
{
    Cluster,
    Namespaced,
}

/// <summary>Names of the Stork API that the scheduling code reads and writes.</summary>
public static class StorkApi
{
    public const string Group = "stork.libopenstorage.org";
    public const string Version = "v1alpha1";
    public const string ApiVersion = Group + "/" + Version;

    public const string SchedulePolicyKind = "SchedulePolicy";
    public const string SchedulePolicyPlural = "schedulepolicies";
    public const string NamespacedSchedulePolicyKind = "NamespacedSchedulePolicy";
    public const string NamespacedSchedulePolicyPlural = "namespacedschedulepolicies";

    public const string MigrationScheduleKind = "MigrationSchedule";
    public const string MigrationSchedulePlural = "migrationschedules";

    /// <summary>The policy Stork creates at start and storkctl uses when no policy is named.</summary>
    public const string DefaultMigrationPolicyName = "default-migration-policy";

    public static string KindFor(SchedulePolicyScope scope) =>
        scope == SchedulePolicyScope.Cluster ? SchedulePolicyKind : NamespacedSchedulePolicyKind;

    public static string PluralFor(SchedulePolicyScope scope) =>
        scope == SchedulePolicyScope.Cluster ? SchedulePolicyPlural : NamespacedSchedulePolicyPlural;
}
