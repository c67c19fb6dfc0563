using ClusterOps.Core.Common;

namespace ClusterOps.Core.Lifecycle;

/// <summary>
/// Is there a cluster here at all, and is it whole? Answered before any change, so a stop or start never begins on a
/// namespace that holds nothing of the application or on one whose pieces cannot all be brought back.
/// </summary>
public static class ClusterPresence
{
    /// <summary>Objects the profile expects that are neither in the cluster nor in the restore record.</summary>
    public static IReadOnlyList<string> MissingObjects(ClusterProfile profile, IReadOnlyList<ComponentObservation> observations, RestoreRecord? record)
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

    /// <summary>Throw ClusterNotFound or ClusterIncomplete when the cluster cannot be stopped or started as a whole.</summary>
    public static void EnsureComplete(ClusterProfile profile, string @namespace, IReadOnlyList<ComponentObservation> observations, RestoreRecord? record)
    {
        if (NothingFound(observations, record))
            throw NotFound(profile, @namespace);
        var missing = MissingObjects(profile, observations, record);
        if (missing.Count > 0)
            throw new OperationException("ClusterIncomplete", FailureKind.ObjectNotFound,
                $"The {profile.DisplayName} cluster in namespace '{@namespace}' is partly deleted; missing: {string.Join(", ", missing)}. Nothing was changed.",
                missing)
            {
                RecommendedAction = "Recreate the missing objects from the application's manifests (or remove the cluster), then run the command again.",
            };
    }

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
