using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ClusterOps.Core.Common;
using ClusterOps.Kubernetes.Resources;

namespace ClusterOps.Core.Lifecycle;

/// <summary>
/// The application's objects in one namespace, read in one pass (a handful of list calls), plus the observations
/// and the restore record derived from them. Live objects are kept whole (JsonObject) for the restore record.
/// </summary>
public sealed class ClusterSnapshot
{
    private ClusterSnapshot(ClusterProfile profile, string ns) { Profile = profile; Namespace = ns; }

    public ClusterProfile Profile { get; }
    public string Namespace { get; }
    public Dictionary<string, JsonObject> Workloads { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, JsonObject> Services { get; } = new(StringComparer.Ordinal);
    /// <summary>Component and cluster secrets of the profile. Holds Secret data: never print.</summary>
    public Dictionary<string, JsonObject> Secrets { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, JsonObject> Claims { get; } = new(StringComparer.Ordinal);
    public List<JsonObject> Pods { get; } = new();
    public RestoreRecord? Record { get; private set; }
    public bool RecordSecretExists { get; private set; }

    /// <summary>The version of the restore record as read: its deletion is conditional on it, so only the run that
    /// consumed this record can delete it.</summary>
    public string? RecordResourceVersion { get; private set; }
    public IReadOnlyList<ComponentObservation> Observations { get; private set; } = Array.Empty<ComponentObservation>();

    public ComponentObservation Of(ComponentDefinition c) => Observations.First(o => o.Definition == c);

    /// <summary>What remains of the cluster even when its definitions are gone: its claims and cluster secrets.</summary>
    public IReadOnlyList<string> Traces =>
        Observations.SelectMany(o => o.Claims).Where(c => c.Exists).Select(c => $"persistentvolumeclaim/{c.Name}")
            .Concat(Profile.ClusterSecrets.Where(Secrets.ContainsKey).Select(s => $"secret/{s}"))
            .Distinct().ToList();

    /// <summary>After the record was written: later writes in the same run extend it (patch, not create).</summary>
    public void MarkRecordSaved(RestoreRecord record)
    {
        Record = record;
        RecordSecretExists = true;
    }

    public static async Task<ClusterSnapshot> ReadAsync(IClusterApi api, ClusterProfile profile, string ns, CancellationToken ct)
    {
        if (await api.TryGetAsync(ApiKind.Namespace, null, ns, ct).ConfigureAwait(false) is null)
            throw new OperationException("NamespaceNotFound", FailureKind.ObjectNotFound, $"Namespace '{ns}' does not exist.", ns)
            {
                RecommendedAction = "Check -Namespace (kubectl get namespaces).",
            };

        var s = new ClusterSnapshot(profile, ns);
        var workloadNames = profile.Components.Select(c => c.Workload.Name).ToHashSet(StringComparer.Ordinal);
        var serviceNames = profile.Components.SelectMany(c => c.Services).ToHashSet(StringComparer.Ordinal);
        var secretNames = profile.Components.SelectMany(c => c.Secrets).Concat(profile.ClusterSecrets).ToHashSet(StringComparer.Ordinal);

        foreach (var kind in new[] { ApiKind.StatefulSet, ApiKind.Deployment })
            foreach (var o in (await api.ListAsync(kind, ns, null, ct).ConfigureAwait(false)).Items)
                if (workloadNames.Contains(NameOf(o)) && profile.Components.Any(c => c.Workload.Name == NameOf(o) && c.Workload.Kind.ToString() == kind.ToString()))
                    s.Workloads[NameOf(o)] = o;
        foreach (var o in (await api.ListAsync(ApiKind.Service, ns, null, ct).ConfigureAwait(false)).Items)
            if (serviceNames.Contains(NameOf(o)))
                s.Services[NameOf(o)] = o;
        JsonObject? recordSecret = null;
        foreach (var o in (await api.ListAsync(ApiKind.Secret, ns, null, ct).ConfigureAwait(false)).Items)
        {
            if (secretNames.Contains(NameOf(o)))
                s.Secrets[NameOf(o)] = o;
            else if (NameOf(o) == profile.RestoreRecordName)
                recordSecret = o;
        }
        s.Pods.AddRange((await api.ListAsync(ApiKind.Pod, ns, null, ct).ConfigureAwait(false)).Items);
        foreach (var o in (await api.ListAsync(ApiKind.PersistentVolumeClaim, ns, null, ct).ConfigureAwait(false)).Items)
            s.Claims[NameOf(o)] = o;

        if (recordSecret is not null)
        {
            s.RecordSecretExists = true;
            s.RecordResourceVersion = recordSecret["metadata"]?["resourceVersion"]?.GetValue<string>();
            s.Record = ParseRecord(recordSecret, profile.RestoreRecordName);
        }
        s.Observations = profile.Components.Select(s.Observe).ToList();
        return s;
    }

    public static RestoreRecord ParseRecord(JsonObject secret, string name)
    {
        var data = secret["data"]?[RestoreRecord.DataKey]?.GetValue<string>();
        if (data is null)
            throw new OperationException("RestoreRecordUnreadable", FailureKind.InvalidData,
                $"The restore record Secret '{name}' has no '{RestoreRecord.DataKey}' entry. It was left in place; nothing was changed.", name);
        var checksum = secret["metadata"]?["annotations"]?[RestoreRecord.ChecksumAnnotation]?.GetValue<string>();
        return RestoreRecord.Deserialize(Convert.FromBase64String(data), checksum, name);
    }

    /// <summary>The pods that belong to a workload: matching its selector (when it exists) and its name pattern.</summary>
    public IEnumerable<JsonObject> PodsOf(ComponentDefinition c) => Pods.Where(p => BelongsTo(c, Workloads.GetValueOrDefault(c.Workload.Name), p));

    public static bool BelongsTo(ComponentDefinition c, JsonObject? workload, JsonObject pod)
    {
        var name = NameOf(pod);
        var pattern = c.Workload.Kind == WorkloadKind.StatefulSet
            ? $"^{Regex.Escape(c.Workload.Name)}-[0-9]+$"
            : $"^{Regex.Escape(c.Workload.Name)}-[a-z0-9]+-[a-z0-9]+$";
        if (!Regex.IsMatch(name, pattern))
            return false;
        var match = workload?["spec"]?["selector"]?["matchLabels"] as JsonObject;
        if (match is null)
            return true;
        var labels = pod["metadata"]?["labels"] as JsonObject;
        return match.All(kv => labels?[kv.Key]?.GetValue<string>() == kv.Value?.GetValue<string>());
    }

    /// <summary>The label selector of a workload's pods ("app=x,interface=y"), or null.</summary>
    public static string? SelectorOf(JsonObject? workload) =>
        workload?["spec"]?["selector"]?["matchLabels"] is JsonObject m && m.Count > 0
            ? string.Join(",", m.Select(kv => $"{kv.Key}={kv.Value?.GetValue<string>()}"))
            : null;

    private ComponentObservation Observe(ComponentDefinition c)
    {
        Workloads.TryGetValue(c.Workload.Name, out var w);
        WorkloadObservation? wo = null;
        if (w is not null)
        {
            var desired = w["spec"]?["replicas"]?.GetValue<int>() ?? 1;
            var ready = w["status"]?["readyReplicas"]?.GetValue<int>() ?? 0;
            int? stopped = int.TryParse(w["metadata"]?["annotations"]?[LifecycleAnnotations.StoppedReplicas]?.GetValue<string>(), out var n) ? n : null;
            wo = new WorkloadObservation(desired, ready, stopped);
        }
        var replicas = Math.Max(wo?.DesiredReplicas ?? 0, Math.Max(wo?.StoppedReplicas ?? 0, RecordedReplicas(c) ?? c.DefaultReplicas));
        var claims = c.ClaimNames(replicas).Select(n => Claims.TryGetValue(n, out var pvc) ? ClaimOf(pvc) : new ClaimObservation(n, "")).ToList();
        return new ComponentObservation(
            c, wo, PodsOf(c).Select(PodOf).ToList(),
            c.Secrets.Where(Secrets.ContainsKey).ToList(),
            c.Services.Where(Services.ContainsKey).ToList(),
            claims,
            Record?.Contains(c.Workload.Kind.ToString(), c.Workload.Name) == true);
    }

    private int? RecordedReplicas(ComponentDefinition c) =>
        Record?.Find(c.Workload.Kind.ToString(), c.Workload.Name)?.Manifest["spec"]?["replicas"]?.GetValue<int>();

    public static ClaimObservation ClaimOf(JsonObject pvc) => new(
        NameOf(pvc),
        pvc["status"]?["phase"]?.GetValue<string>() ?? "Pending",
        pvc["spec"]?["volumeName"]?.GetValue<string>(),
        pvc["metadata"]?["deletionTimestamp"] is not null);

    private static readonly HashSet<string> StuckWaitingReasons = new(StringComparer.Ordinal)
    {
        "CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "InvalidImageName", "CreateContainerConfigError",
    };

    /// <summary>Ready, terminating, and — when waiting cannot help — why (CrashLoopBackOff, ImagePullBackOff, Unschedulable).</summary>
    public static PodObservation PodOf(JsonObject pod)
    {
        var status = pod["status"] as JsonObject;
        var conditions = status?["conditions"] as JsonArray;
        bool Condition(string type, string value, out JsonObject? c)
        {
            c = conditions?.OfType<JsonObject>().FirstOrDefault(x => x["type"]?.GetValue<string>() == type);
            return c?["status"]?.GetValue<string>() == value;
        }
        var ready = Condition("Ready", "True", out _);
        string? reason = null, message = null;
        foreach (var cs in (status?["containerStatuses"] as JsonArray)?.OfType<JsonObject>() ?? Enumerable.Empty<JsonObject>())
        {
            var waiting = cs["state"]?["waiting"];
            var r = waiting?["reason"]?.GetValue<string>();
            if (r is not null && StuckWaitingReasons.Contains(r))
            {
                reason = r;
                message = waiting?["message"]?.GetValue<string>() ?? cs["lastState"]?["terminated"]?["message"]?.GetValue<string>()
                    ?? cs["lastState"]?["terminated"]?["reason"]?.GetValue<string>();
                break;
            }
        }
        if (reason is null && Condition("PodScheduled", "False", out var scheduled) && scheduled?["reason"]?.GetValue<string>() == "Unschedulable")
        {
            reason = "Unschedulable";
            message = scheduled["message"]?.GetValue<string>();
        }
        return new PodObservation(NameOf(pod), ready, pod["metadata"]?["deletionTimestamp"] is not null, reason, message);
    }

    public static string NameOf(JsonObject o) => o["metadata"]?["name"]?.GetValue<string>() ?? "";
}
