using System.Text.Json.Nodes;
using ClusterOps.Core.Common;

namespace ClusterOps.Core.Lifecycle;

/// <summary>
/// What delete-tml-cluster.sh does, made visible: everything a stop removes, plus the claims (by the profile's
/// labels), the StorageClasses and the cluster secrets. Before anything goes it says which PersistentVolumes will be
/// destroyed (reclaim policy Delete) and which retained; every deletion is its own -WhatIf/-Confirm question.
/// A StorageClass still used by claims in other namespaces is kept (the script would break those).
/// </summary>
public sealed class ClusterRemoval
{
    private readonly IClusterApi _api;
    private readonly Func<int, ClusterProfile> _profile;
    private readonly LeaseOptions _lease;
    private readonly TimeProvider _time;

    public ClusterRemoval(IClusterApi api, Func<int, ClusterProfile>? profile = null, LeaseOptions? lease = null, TimeProvider? time = null)
    {
        _api = api;
        _profile = profile ?? (zones => TmlProfile.Create(zones));
        _lease = lease ?? LeaseOptions.Default;
        _time = time ?? TimeProvider.System;
    }

    public async Task RemoveAsync(RemoveRequest request, IOperationContext caller)
    {
        var profile = _profile(request.Zones);
        var ns = request.Namespace;
        await using var lease = await LifecycleLease.AcquireAsync(_api, profile, ns, _lease, _time, caller).ConfigureAwait(false);
        var ctx = lease.Context;
        var ct = ctx.CancellationToken;
        var snap = await ClusterSnapshot.ReadAsync(_api, profile, ns, ct).ConfigureAwait(false);

        var claims = new List<JsonObject>();
        foreach (var selector in profile.ClaimLabelSelectors)
            foreach (var pvc in (await _api.ListAsync(ApiKind.PersistentVolumeClaim, ns, selector, ct).ConfigureAwait(false)).Items)
                if (!claims.Any(c => ClusterSnapshot.NameOf(c) == ClusterSnapshot.NameOf(pvc)))
                    claims.Add(pvc);
        var clusterSecrets = profile.ClusterSecrets.Where(snap.Secrets.ContainsKey).ToList();
        if (ClusterPresence.NothingFound(snap.Observations, snap.Record) && claims.Count == 0 && clusterSecrets.Count == 0)
            throw ClusterPresence.NotFound(profile, ns);

        // Which data goes with the claims: decided by each bound volume's reclaim policy.
        var destroyed = new List<string>();
        var retained = new List<string>();
        var volumeNote = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pvc in claims)
        {
            var volume = pvc["spec"]?["volumeName"]?.GetValue<string>();
            if (string.IsNullOrEmpty(volume))
                continue;
            var pv = await _api.TryGetAsync(ApiKind.PersistentVolume, null, volume, ct).ConfigureAwait(false);
            var policy = pv?["spec"]?["persistentVolumeReclaimPolicy"]?.GetValue<string>() ?? "Unknown";
            var line = $"{volume} (claim {ClusterSnapshot.NameOf(pvc)}, reclaim policy {policy})";
            (policy == "Delete" ? destroyed : retained).Add(line);
            volumeNote[ClusterSnapshot.NameOf(pvc)] = policy == "Delete" ? $"volume {volume} will be destroyed (reclaim policy Delete)" : $"volume {volume} is kept (reclaim policy {policy})";
        }
        if (destroyed.Count > 0)
            ctx.WriteWarning($"Deleting the claims destroys these PersistentVolumes and their data: {string.Join("; ", destroyed)}.");
        if (retained.Count > 0)
            ctx.WriteWarning($"These PersistentVolumes are retained after their claims are deleted (Released; reclaim by hand): {string.Join("; ", retained)}.");

        // StorageClasses are cluster-wide: keep one that claims elsewhere still use.
        var usedElsewhere = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pvc in (await _api.ListAsync(ApiKind.PersistentVolumeClaim, null, null, ct).ConfigureAwait(false)).Items)
        {
            if (pvc["metadata"]?["namespace"]?.GetValue<string>() != ns && pvc["spec"]?["storageClassName"]?.GetValue<string>() is { } sc)
                usedElsewhere.Add(sc);
        }

        var steps = new List<(PlannedStep Step, bool Present, string Note)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Add(ComponentDefinition? c, StepAction action, string kind, string name, bool present, string note = "")
        {
            var step = new PlannedStep(c, action, kind, name);
            if (seen.Add(step.Object))
                steps.Add((step, present, note));
        }
        foreach (var c in profile.InStopOrder())
        {
            foreach (var s in c.Secrets)
                Add(c, StepAction.DeleteSecret, "Secret", s, snap.Secrets.ContainsKey(s));
            Add(c, StepAction.DeleteWorkload, c.Workload.Kind.ToString(), c.Workload.Name, snap.Workloads.ContainsKey(c.Workload.Name));
            // Claims in use stay Terminating (pvc-protection) until their pods are gone: wait for them here.
            if (snap.Workloads.ContainsKey(c.Workload.Name) || snap.Of(c).Pods.Count > 0)
                Add(c, StepAction.WaitForPodsGone, c.Workload.Kind.ToString(), c.Workload.Name, true);
        }
        foreach (var s in profile.ServicesInStopOrder())
            Add(profile.InStopOrder().First(c => c.Services.Contains(s)), StepAction.DeleteService, "Service", s, snap.Services.ContainsKey(s));
        foreach (var pvc in claims)
            Add(null, StepAction.DeleteClaim, "PersistentVolumeClaim", ClusterSnapshot.NameOf(pvc), true, volumeNote.GetValueOrDefault(ClusterSnapshot.NameOf(pvc), "not bound to a volume"));
        foreach (var sc in profile.StorageClasses)
        {
            var present = await _api.TryGetAsync(ApiKind.StorageClass, null, sc, ct).ConfigureAwait(false) is not null;
            if (present && usedElsewhere.Contains(sc))
            {
                ctx.WriteWarning($"StorageClass {sc} is kept: claims in other namespaces use it.");
                continue;
            }
            Add(null, StepAction.DeleteStorageClass, "StorageClass", sc, present);
        }
        foreach (var s in profile.ClusterSecrets)
            Add(null, StepAction.DeleteSecret, "Secret", s, snap.Secrets.ContainsKey(s));
        if (snap.RecordSecretExists)
            Add(null, StepAction.DeleteSecret, "Secret", profile.RestoreRecordName, true, "the restore record of an Undeploy stop");

        var run = new StepRunner(ctx, ns, $"Removing {profile.DisplayName} from namespace '{ns}'", steps.Count);
        var waiter = new PodWaiter(_api);
        var kept = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (step, present, note) in steps)
        {
            if (step.Action == StepAction.WaitForPodsGone)
            {
                if (!kept.Contains(step.ObjectName))
                    await run.RunAsync(step, null, async progress =>
                    {
                        await waiter.WaitGoneAsync(ns, step.Component!, snap.Workloads.GetValueOrDefault(step.ObjectName), request.EffectiveTimeout, progress, ct).ConfigureAwait(false);
                        return (StepResult.Done, "no pods left");
                    }).ConfigureAwait(false);
                continue;
            }
            if (!present)
            {
                run.Emit(StepRunner.ComponentName(step), step.Action, step.Object, StepResult.Skipped, TimeSpan.Zero, "not found");
                continue;
            }
            var kind = KubeClusterApi.KindOf(step.ObjectKind);
            var scoped = kind is ApiKind.StorageClass ? null : ns;
            var result = await run.RunAsync(step, note.Length > 0 ? $"Delete ({note})" : "Delete", async _ =>
            {
                var existed = await _api.DeleteAsync(kind, scoped, step.ObjectName, ct).ConfigureAwait(false);
                return existed ? (StepResult.Done, note.Length > 0 ? $"deleted; {note}" : "deleted") : (StepResult.Skipped, "already gone");
            }).ConfigureAwait(false);
            if (result == StepResult.NotConfirmed)
                kept.Add(step.ObjectName);
        }
        run.Complete();
        // -PassThru: the cluster acted on, as it was read before the removal (as Remove-SchedulePolicy -PassThru does).
        if (request.PassThru)
        {
            foreach (var row in ClusterLifecycle.Rows(snap))
                ctx.WriteObject(row);
        }
    }
}
