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

    /// <summary>
    /// Where a migration stores the source replica count on the destination's Deployments and StatefulSets
    /// (pkg/migration/controllers/migration.go). The Portworx docs (the seed) call it
    /// <c>stork.openstorage.org/migrationReplicas</c>; the code writes and reads this key, and so does ClusterOps.
    /// </summary>
    public const string MigrationReplicasAnnotation = Group + "/migrationReplicas";

    /// <summary>Label Stork puts on workloads it scaled to 0 on the destination.</summary>
    public const string MigratedLabel = Group + "/migrated";

    /// <summary>Annotation on each Migration naming the MigrationSchedule that started it.</summary>
    public const string MigrationScheduleNameAnnotation = Group + "/migration-schedule-name";

    /// <summary>Annotation on the suspended copy of a MigrationSchedule that Stork keeps on the destination cluster.</summary>
    public const string StaticCopyAnnotation = Group + "/static-copy";

    /// <summary>Finalizer on a MigrationSchedule: on delete Stork deletes every Migration listed in its status.</summary>
    public const string CleanupFinalizer = Group + "/finalizer-cleanup";

    /// <summary>
    /// The name Stork gives a scheduled Migration: <c>&lt;schedule&gt;-&lt;type in lower case&gt;-yyyy-MM-dd-HHmmss</c>,
    /// the time being the stork pod's local clock (migrationschedule.go formatMigrationName). Two triggers in the same
    /// second collide (AlreadyExists).
    /// </summary>
    public static string MigrationName(string scheduleName, SchedulePolicyType type, DateTimeOffset controllerLocalTime) =>
        $"{scheduleName}-{type.ToString().ToLowerInvariant()}-{controllerLocalTime.ToString("yyyy-MM-dd-HHmmss", System.Globalization.CultureInfo.InvariantCulture)}";

    public static string KindFor(SchedulePolicyScope scope) =>
        scope == SchedulePolicyScope.Cluster ? SchedulePolicyKind : NamespacedSchedulePolicyKind;

    public static string PluralFor(SchedulePolicyScope scope) =>
        scope == SchedulePolicyScope.Cluster ? SchedulePolicyPlural : NamespacedSchedulePolicyPlural;
}
