using ClusterOps.Core.Common;

namespace ClusterOps.Core.Lifecycle;

/// <summary>
/// Is there a cluster here at all, and is it whole? Answered before any change, so a stop or start never begins on a
/// namespace that holds nothing of the application or on one whose pieces cannot all be brought back.
/// </summary>
public static class ClusterPresence
{
    /// <summary>Objects the profile expects that are neither in the cluster nor in the definition source (restore record or kit).</summary>
    public static IReadOnlyList<string> MissingObjects(ClusterProfile profile, IReadOnlyList<ComponentObservation> observations, DefinitionSource? record)
    {
        var servicesPresent = observations.SelectMany(o => o.ServicesPresent).ToHashSet(StringComparer.Ordinal);
        var secretsPresent = observations.SelectMany(o => o.SecretsPresent).ToHashSet(StringComparer.Ordinal);
        var missing = new List<string>();
        void Check(bool present, string kind, string name)
        {
            var key = RecordedObject.KeyOf(kind, name);
            if (!present && record?.Contains(kind, name) != true && !missing.Contains(key))
                missing.Add(key);
        }
        foreach (var o in profile.InStartOrder().Select(c => observations.First(x => x.Definition == c)))
        {
            Check(o.Workload is not null, o.Definition.Workload.Kind.ToString(), o.Definition.Workload.Name);
            foreach (var s in o.Definition.Services)
                Check(servicesPresent.Contains(s), "Service", s);
            foreach (var s in o.Definition.Secrets)
                Check(secretsPresent.Contains(s), "Secret", s);
        }
        return missing;
    }

    /// <summary>True when the namespace holds none of the profile's workloads, services or secrets and no record.</summary>
    public static bool NothingFound(IReadOnlyList<ComponentObservation> observations, RestoreRecord? record) =>
        record is null && observations.All(o => o.Workload is null && o.ServicesPresent.Count == 0 && o.SecretsPresent.Count == 0 && o.Pods.Count == 0);

    /// <summary>
    /// Throw ClusterNotFound, ClusterDefinitionsMissing or ClusterIncomplete when the cluster cannot be stopped or
    /// started as a whole. <paramref name="traces"/> are what a script-stopped cluster leaves (its claims, the cluster
    /// secrets): with those but nothing else, the cluster exists but was stopped without a ClusterOps record, and only
    /// a start from the vendor's kit (<paramref name="kit"/>, -DefinitionPath) can bring it back.
    /// </summary>
    public static void EnsureComplete(ClusterProfile profile, string @namespace, IReadOnlyList<ComponentObservation> observations, RestoreRecord? record,
        IReadOnlyList<string>? traces = null, ClusterKit? kit = null)
    {
        if (NothingFound(observations, record))
        {
            if (traces is { Count: > 0 })
            {
                if (kit is not null)
                    return;
                throw new OperationException("ClusterDefinitionsMissing", FailureKind.ObjectNotFound,
                    $"The {profile.DisplayName} cluster in namespace '{@namespace}' has {string.Join(", ", traces)} but no workloads, services or component secrets: it was probably stopped outside ClusterOps (a kit's stop script such as stop-tml-cluster.sh deletes the definitions and keeps the claims). {SourcesLookedFor(profile, @namespace, record, kit)} Nothing was changed.",
                    @namespace)
                {
                    RecommendedAction = StartFromKitAdvice(profile, @namespace),
                };
            }
            var notFound = NotFound(profile, @namespace);
            if (kit is null)
                throw notFound;
            throw new OperationException(notFound.ErrorId, notFound.Kind,
                $"{notFound.Message} -DefinitionPath starts a stopped cluster from its kit; it does not create a new one (no claims or cluster secrets of one are here).",
                @namespace)
            {
                RecommendedAction = "Check -Namespace; create a new cluster with the kit's own create script.",
            };
        }
        var missing = MissingObjects(profile, observations, (DefinitionSource?)kit ?? record);
        if (missing.Count > 0)
            throw new OperationException("ClusterIncomplete", FailureKind.ObjectNotFound,
                $"The {profile.DisplayName} cluster in namespace '{@namespace}' is partly deleted; missing: {string.Join(", ", missing)}. {SourcesLookedFor(profile, @namespace, record, kit)} Nothing was changed.",
                missing)
            {
                RecommendedAction = profile.Kit is null
                    ? "Recreate the missing objects from the application's manifests (or remove the cluster), then run the command again."
                    : StartFromKitAdvice(profile, @namespace) + " A stop also needs every object: start the cluster from the kit first.",
            };
    }

    /// <summary>
    /// Which definition sources were consulted, for the errors of a start that has none: the restore record (by name
    /// and namespace) and the kit directory (given or not).
    /// </summary>
    public static string SourcesLookedFor(ClusterProfile profile, string @namespace, RestoreRecord? record, ClusterKit? kit) =>
        $"Looked for their definitions in: the ClusterOps restore record secret/{profile.RestoreRecordName} in namespace '{@namespace}' "
        + (record is null ? "(not found)" : "(found, without the missing objects)")
        + (profile.Kit is null
            ? "."
            : kit is null
                ? $"; a kit directory (none given: -DefinitionPath names the directory holding {profile.Kit.StartScript})."
                : $"; {kit.Description} (used).");

    private static string StartFromKitAdvice(ClusterProfile profile, string @namespace) => profile.Kit is null
        ? "Recreate the objects from the application's manifests, then run the command again."
        : $"Start it from the kit it was deployed with: run the start again with -Namespace {@namespace} -DefinitionPath <kit directory>, the directory holding {profile.Kit.StartScript} (for example ./manifest-single-zone).";

    /// <summary>
    /// A restore record covers exactly one profile and zone count. Starting (or extending) it with another -Zones would
    /// recreate only part of it and then delete it, losing the other zones' definitions, so that is refused.
    /// </summary>
    public static void EnsureRecordMatches(ClusterProfile profile, int zones, string @namespace, RestoreRecord? record)
    {
        if (record is null)
            return;
        var known = profile.Components.SelectMany(c => c.Services.Select(s => RecordedObject.KeyOf("Service", s))
                .Concat(c.Secrets.Select(s => RecordedObject.KeyOf("Secret", s)))
                .Append(RecordedObject.KeyOf(c.Workload.Kind.ToString(), c.Workload.Name)))
            .ToHashSet(StringComparer.Ordinal);
        var foreign = record.Objects.Where(o => !known.Contains(o.Key)).Select(o => o.Key).ToList();
        if (record.Profile != profile.Name || record.Zones != zones || foreign.Count > 0)
            throw new OperationException("RestoreRecordMismatch", FailureKind.InvalidArgument,
                $"The restore record secret/{profile.RestoreRecordName} in namespace '{@namespace}' was written for profile '{record.Profile}' with {record.Zones} zone(s)"
                + (foreign.Count > 0 ? $" and holds {string.Join(", ", foreign)}" : "")
                + $"; this run is for '{profile.Name}' with {zones} zone(s). Nothing was changed.",
                profile.RestoreRecordName)
            {
                RecommendedAction = $"Run the command again with -Zones {record.Zones}.",
            };
    }

    /// <summary>
    /// A StatefulSet whose persistentVolumeClaimRetentionPolicy says Delete makes Kubernetes delete its claims when it
    /// is scaled down (whenScaled) or deleted (whenDeleted): exactly what a stop must never cause. Refuse before any
    /// change and name the StatefulSets.
    /// </summary>
    public static void EnsureClaimsSurvive(IReadOnlyDictionary<string, System.Text.Json.Nodes.JsonObject> workloads, StopMode mode, string @namespace)
    {
        var field = mode == StopMode.ScaleToZero ? "whenScaled" : "whenDeleted";
        var risky = workloads.Values
            .Where(w => w["kind"]?.GetValue<string>() == "StatefulSet"
                && w["spec"]?["persistentVolumeClaimRetentionPolicy"]?[field]?.GetValue<string>() == "Delete")
            .Select(w => $"statefulset/{w["metadata"]?["name"]?.GetValue<string>()}")
            .ToList();
        if (risky.Count > 0)
            throw new OperationException("ClaimRetentionWouldDeleteData", FailureKind.InvalidOperation,
                $"Stopping with -Mode {mode} would make Kubernetes delete the claims of {string.Join(", ", risky)} in namespace '{@namespace}': their persistentVolumeClaimRetentionPolicy.{field} is Delete. Nothing was changed.",
                risky)
            {
                RecommendedAction = $"Set spec.persistentVolumeClaimRetentionPolicy.{field} to Retain on those StatefulSets"
                    + (mode == StopMode.ScaleToZero ? ", or use -Mode Undeploy if whenDeleted is Retain." : ", or use -Mode ScaleToZero if whenScaled is Retain."),
            };
    }

    public static OperationException NotFound(ClusterProfile profile, string @namespace)
    {
        var workloads = profile.InStartOrder().Select(c => c.Workload.ToString());
        var services = profile.ServicesInStopOrder().Select(s => $"service/{s}");
        return new OperationException("ClusterNotFound", FailureKind.ObjectNotFound,
            $"No {profile.DisplayName} cluster found in namespace '{@namespace}'. Looked for {string.Join(", ", workloads.Concat(services))}, their component secrets, and a restore record (secret/{profile.RestoreRecordName}).",
            @namespace)
        {
            RecommendedAction = "Check -Namespace (and -Zones for a multi-zone cluster).",
        };
    }
}
