using System.Text.Json.Nodes;
using ClusterOps.Core.Common;
using ClusterOps.Kubernetes.Errors;

namespace ClusterOps.Core.Lifecycle;

/// <summary>
/// Get, stop, start and remove an application cluster described by a <see cref="ClusterProfile"/> (TML by default).
/// Every run reads the cluster, plans from what it sees (<see cref="LifecyclePlanner"/>) and executes the plan, so a
/// run that stopped half-way — an API error, Ctrl+C, a stuck pod — is finished by running the same command again.
/// </summary>
public sealed class ClusterLifecycle
{
    private readonly IClusterApi _api;
    private readonly Func<int, ClusterProfile> _profile;
    private readonly TimeProvider _time;
    private readonly LeaseOptions _lease;

    public ClusterLifecycle(IClusterApi api, Func<int, ClusterProfile>? profile = null, TimeProvider? time = null, LeaseOptions? lease = null)
    {
        _api = api;
        _profile = profile ?? (zones => TmlProfile.Create(zones));
        _time = time ?? TimeProvider.System;
        _lease = lease ?? LeaseOptions.Default;
    }

    public async Task<IReadOnlyList<ClusterComponentInfo>> GetAsync(ClusterRequest request, IOperationContext ctx)
    {
        var profile = _profile(request.Zones);
        var snap = await ClusterSnapshot.ReadAsync(_api, profile, request.Namespace, ctx.CancellationToken).ConfigureAwait(false);
        // A cluster stopped by the scripts still shows (every component Missing) as long as its claims remain.
        if (ClusterPresence.NothingFound(snap.Observations, snap.Record) && snap.Traces.Count == 0)
            throw ClusterPresence.NotFound(profile, request.Namespace);
        return Rows(snap);
    }

    public static IReadOnlyList<ClusterComponentInfo> Rows(ClusterSnapshot snap)
    {
        var assessed = snap.Profile.InStartOrder().Select(c => (c, ComponentStateRules.Assess(snap.Of(c)))).ToList();
        var summary = ComponentStateRules.Summarize(assessed.Select(a => (a.c, a.Item2.State)).ToList());
        return assessed.Select(a =>
        {
            var (c, state) = a;
            var o = snap.Of(c);
            return new ClusterComponentInfo
            {
                Namespace = snap.Namespace,
                Component = c.Component,
                Zone = c.Zone,
                Workload = c.Workload.ToString(),
                Replicas = o.Workload is null ? "-" : $"{o.Pods.Count(p => p.Ready && !p.Terminating)}/{o.Workload.DesiredReplicas}",
                Pods = o.Pods.Count,
                Claims = string.Join(",", o.Claims.Select(x => x.Name)),
                ClaimsBound = $"{o.Claims.Count(x => x.IsBound)}/{o.Claims.Count}",
                SecretsPresent = $"{o.SecretsPresent.Count}/{c.Secrets.Count}",
                State = state.State,
                Detail = state.Detail,
                ClusterState = summary.State,
                ClusterDetail = summary.Detail,
            };
        }).ToList();
    }

    /// <summary>
    /// The cluster as it is now, refused unless it is a whole cluster of this profile and zone count, counting what
    /// the kit defines (a start from a kit) or the restore record as present.
    /// </summary>
    private async Task<ClusterSnapshot> ReadCompleteClusterAsync(ClusterProfile profile, int zones, string ns, CancellationToken ct, ClusterKit? kit = null)
    {
        var snap = await ClusterSnapshot.ReadAsync(_api, profile, ns, ct).ConfigureAwait(false);
        if (kit is null)
            ClusterPresence.EnsureRecordMatches(profile, zones, ns, snap.Record); // a start from a kit does not use the record
        ClusterPresence.EnsureComplete(profile, ns, snap.Observations, snap.Record, snap.Traces, kit);
        return snap;
    }

    // ---------------------------------------------------------------- stop

    public async Task StopAsync(StopRequest request, IOperationContext caller)
    {
        var profile = _profile(request.Zones);
        var ns = request.Namespace;
        await using var lease = await LifecycleLease.AcquireAsync(_api, profile, ns, _lease, _time, caller).ConfigureAwait(false);
        var ctx = lease.Context;
        var ct = ctx.CancellationToken;
        var snap = await ReadCompleteClusterAsync(profile, request.Zones, ns, ct).ConfigureAwait(false);
        ClusterPresence.EnsureClaimsSurvive(snap.Workloads, request.Mode, ns);
        var plan = LifecyclePlanner.PlanStop(profile, snap.Observations, request.Mode);
        var run = new StepRunner(ctx, ns, $"Stopping {profile.DisplayName} in namespace '{ns}' ({request.Mode})", plan.Steps.Count);
        var waiter = new PodWaiter(_api);

        if (plan.ChangesNothing && plan.Steps.All(s => s.Action == StepAction.CheckClaims))
        {
            ctx.WriteVerbose($"The {profile.DisplayName} cluster in namespace '{ns}' is already stopped; nothing to change.");
            foreach (var c in profile.InStopOrder())
                run.Emit(c.DisplayName, request.Mode == StopMode.ScaleToZero ? StepAction.ScaleToZero : StepAction.DeleteWorkload,
                    c.Workload.ToString(), StepResult.Skipped, TimeSpan.Zero, $"already stopped: {ComponentStateRules.Assess(snap.Of(c)).Detail}");
        }

        var declined = new HashSet<string>(StringComparer.Ordinal);
        var recordSaved = false;
        foreach (var step in plan.Steps)
        {
            var kind = step.ObjectKind;
            switch (step.Action)
            {
                case StepAction.SaveRestoreRecord:
                    break; // written just before the first confirmed delete, so -WhatIf and a declined -Confirm write nothing
                case StepAction.ScaleToZero:
                {
                    var n = step.Replicas!.Value;
                    var result = await run.RunAsync(step, $"Scale to 0 (recording {n} replicas)", async _ =>
                    {
                        var patch = new JsonObject
                        {
                            // One patch for both: no moment exists where replicas are 0 but the count is unrecorded.
                            ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [LifecycleAnnotations.StoppedReplicas] = n.ToString(System.Globalization.CultureInfo.InvariantCulture) } },
                            ["spec"] = new JsonObject { ["replicas"] = 0 },
                        };
                        await _api.PatchAsync(KubeClusterApi.KindOf(kind), ns, step.ObjectName, patch, ct).ConfigureAwait(false);
                        return (StepResult.Done, $"scaled from {n} to 0; {n} recorded in {LifecycleAnnotations.StoppedReplicas}");
                    }).ConfigureAwait(false);
                    if (result == StepResult.NotConfirmed)
                        declined.Add(step.ObjectName);
                    break;
                }
                case StepAction.WaitForPodsGone:
                    if (declined.Contains(step.ObjectName))
                        break;
                    await run.RunAsync(step, null, async progress =>
                    {
                        await waiter.WaitGoneAsync(ns, step.Component!, snap.Workloads.GetValueOrDefault(step.ObjectName), request.EffectiveTimeout, progress, ct).ConfigureAwait(false);
                        return (StepResult.Done, "no pods left");
                    }).ConfigureAwait(false);
                    break;
                case StepAction.DeleteSecret or StepAction.DeleteWorkload or StepAction.DeleteService:
                {
                    var result = await run.RunAsync(step, "Delete", async _ =>
                    {
                        if (!recordSaved)
                        {
                            await SaveRecordAsync(snap, request.Zones, run, ct).ConfigureAwait(false);
                            recordSaved = true;
                        }
                        var existed = await _api.DeleteAsync(KubeClusterApi.KindOf(kind), ns, step.ObjectName, ct).ConfigureAwait(false);
                        return existed ? (StepResult.Done, "deleted; definition kept in the restore record") : (StepResult.Skipped, "already gone");
                    }).ConfigureAwait(false);
                    if (result == StepResult.NotConfirmed && step.Action == StepAction.DeleteWorkload)
                        declined.Add(step.ObjectName);
                    break;
                }
                case StepAction.CheckClaims:
                    await CheckClaimsAsync(snap, run, step, ctx).ConfigureAwait(false);
                    break;
                default:
                    throw new InvalidOperationException($"A stop does not plan {step.Action}.");
            }
        }
        run.Complete();
        if (request.PassThru)
            await WriteRowsAsync(profile, ns, ctx).ConfigureAwait(false);
    }

    /// <summary>
    /// Write (or extend) the restore record and read it back. Any failure here ends the stop before the first delete.
    /// </summary>
    private async Task SaveRecordAsync(ClusterSnapshot snap, int zones, StepRunner run, CancellationToken ct)
    {
        var profile = snap.Profile;
        var name = profile.RestoreRecordName;
        var step = new PlannedStep(null, StepAction.SaveRestoreRecord, "Secret", name);
        await run.RunAsync(step, null, async _ =>
        {
            var record = snap.Record ?? new RestoreRecord(profile.Name, zones, snap.Namespace, _time.GetUtcNow());
            foreach (var c in profile.InStopOrder())
            {
                if (snap.Workloads.TryGetValue(c.Workload.Name, out var w))
                    record.Put(new RecordedObject(c.Component, c.Zone, c.Workload.Kind.ToString(), c.Workload.Name, PrepareWorkload(w)));
                foreach (var s in c.Services.Where(snap.Services.ContainsKey))
                    record.Put(new RecordedObject(c.Component, c.Zone, "Service", s, ManifestCleaner.Clean(snap.Services[s])));
                foreach (var s in c.Secrets.Where(snap.Secrets.ContainsKey))
                    record.Put(new RecordedObject(c.Component, c.Zone, "Secret", s, ManifestCleaner.Clean(snap.Secrets[s])));
            }
            var secret = record.ToSecret(name, out var checksum);
            try
            {
                if (snap.RecordSecretExists)
                {
                    await _api.PatchAsync(ApiKind.Secret, snap.Namespace, name, new JsonObject
                    {
                        ["metadata"] = new JsonObject { ["annotations"] = secret["metadata"]!["annotations"]!.DeepClone() },
                        ["data"] = secret["data"]!.DeepClone(),
                    }, ct).ConfigureAwait(false);
                }
                else
                {
                    await _api.CreateAsync(ApiKind.Secret, snap.Namespace, secret, ct).ConfigureAwait(false);
                }
                var back = await _api.TryGetAsync(ApiKind.Secret, snap.Namespace, name, ct).ConfigureAwait(false);
                var stored = back?["data"]?[RestoreRecord.DataKey]?.GetValue<string>();
                if (stored is null || RestoreRecord.Checksum(Convert.FromBase64String(stored)) != checksum)
                    throw new OperationException("RestoreRecordNotVerified", FailureKind.InvalidData,
                        $"The restore record secret/{name} read back differs from what was written; nothing was deleted.", name);
            }
            catch (Exception ex) when (ex is KubeApiException or HttpRequestException or TimeoutException or IOException)
            {
                throw new OperationException("RestoreRecordNotSaved", FailureKind.ResourceUnavailable,
                    $"The restore record secret/{name} could not be written ({ex.Message}); nothing was deleted. Run the stop again.", name, ex);
            }
            // Later deletes of a resumed run must extend this record, not overwrite it.
            snap.MarkRecordSaved(record);
            return (StepResult.Done, $"{record.Objects.Count} definitions recorded and verified (sha256 {checksum[..12]})");
        }).ConfigureAwait(false);
    }

    /// <summary>A workload's definition for the record: cleaned, and if a scale-down left it at 0, the recorded count.</summary>
    public static JsonObject PrepareWorkload(JsonObject live)
    {
        var stopped = live["metadata"]?["annotations"]?[LifecycleAnnotations.StoppedReplicas]?.GetValue<string>();
        var clean = ManifestCleaner.Clean(live, new[] { LifecycleAnnotations.StoppedReplicas });
        if (int.TryParse(stopped, out var n) && clean["spec"] is JsonObject spec && (spec["replicas"]?.GetValue<int>() ?? 1) == 0)
            spec["replicas"] = n;
        return clean;
    }

    private async Task CheckClaimsAsync(ClusterSnapshot snap, StepRunner run, PlannedStep step, IOperationContext ctx)
    {
        var expected = snap.Observations.SelectMany(o => o.Claims.Select(c => c.Name)).Distinct().ToList();
        await run.RunAsync(step, null, async _ =>
        {
            var live = (await _api.ListAsync(ApiKind.PersistentVolumeClaim, snap.Namespace, null, ctx.CancellationToken).ConfigureAwait(false))
                .Items.ToDictionary(ClusterSnapshot.NameOf, ClusterSnapshot.ClaimOf);
            var bad = expected.Select(n => live.TryGetValue(n, out var c) ? c : new ClaimObservation(n, "")).Where(c => !c.IsBound).ToList();
            foreach (var c in bad)
                ctx.WriteWarning($"Claim {c.Name} in namespace '{snap.Namespace}' is {(c.Exists ? (c.Terminating ? "Terminating" : c.Phase) : "missing")}, not Bound: its data may not be available to the cluster.");
            return bad.Count == 0
                ? (StepResult.Done, $"{expected.Count} claim(s) Bound: {string.Join(", ", expected)}")
                : (StepResult.Warning, $"not Bound: {string.Join(", ", bad.Select(c => $"{c.Name} ({(c.Exists ? c.Phase : "missing")})"))}");
        }).ConfigureAwait(false);
    }

    // ---------------------------------------------------------------- start

    public async Task StartAsync(StartRequest request, IOperationContext caller)
    {
        var profile = _profile(request.Zones);
        var ns = request.Namespace;
        // Every kit file is read and checked before anything is written (the lease included): a kit with one bad
        // file starts nothing.
        var kit = request.DefinitionPath is null ? null : ClusterKit.Load(profile, request.DefinitionPath, ns, caller.CancellationToken);
        await using var lease = await LifecycleLease.AcquireAsync(_api, profile, ns, _lease, _time, caller).ConfigureAwait(false);
        var ctx = lease.Context;
        var ct = ctx.CancellationToken;
        var snap = await ReadCompleteClusterAsync(profile, request.Zones, ns, ct, kit).ConfigureAwait(false);
        DefinitionSource? source = (DefinitionSource?)kit ?? snap.Record;
        if (kit is not null)
            ReportKitUse(kit, snap, ctx);

        var unbound = snap.Observations.SelectMany(o => o.Claims).Where(c => !c.IsBound).ToList();
        if (unbound.Count > 0)
        {
            var list = string.Join(", ", unbound.Select(c => $"{c.Name} ({(c.Exists ? (c.Terminating ? "Terminating" : c.Phase) : "missing")})"));
            if (!request.Force)
                throw new OperationException("ClaimsNotBound", FailureKind.InvalidOperation,
                    $"Cannot start: these claims are not Bound, so the components would start without their data: {list}. Nothing was changed.", ns)
                {
                    RecommendedAction = "Find out why (Get-PersistentVolumeClaim, kubectl describe pvc); use -Force to start anyway.",
                };
            ctx.WriteWarning($"Starting although these claims are not Bound (-Force): {list}.");
        }

        var plan = LifecyclePlanner.PlanStart(profile, snap.Observations, source);
        var run = new StepRunner(ctx, ns, $"Starting {profile.DisplayName} in namespace '{ns}'", plan.Steps.Count);
        var waiter = new PodWaiter(_api);
        if (plan.Steps.Count == 0)
        {
            ctx.WriteVerbose($"The {profile.DisplayName} cluster in namespace '{ns}' is already running; nothing to change.");
            foreach (var c in profile.InStartOrder())
                run.Emit(c.DisplayName, StepAction.WaitForReady, c.Workload.ToString(), StepResult.Skipped, TimeSpan.Zero, "already running");
        }

        var declined = new HashSet<ComponentDefinition>();
        var desired = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var step in plan.Steps)
        {
            var c = step.Component;
            var kind = KubeClusterApi.KindOf(step.ObjectKind);
            switch (step.Action)
            {
                case StepAction.CreateService or StepAction.CreateSecret or StepAction.CreateWorkload:
                {
                    var result = await run.RunAsync(step, $"Create from {source!.Description}", async _ =>
                    {
                        var manifest = (JsonObject)source.ManifestOf(step.ObjectKind, step.ObjectName)!.DeepClone();
                        var origin = source.OriginOf(step.ObjectKind, step.ObjectName);
                        if (manifest["metadata"] is JsonObject meta)
                            meta["namespace"] = ns;
                        try
                        {
                            var created = await _api.CreateAsync(kind, ns, manifest, ct).ConfigureAwait(false);
                            if (step.Action == StepAction.CreateWorkload)
                                snap.Workloads[step.ObjectName] = created;
                            return (StepResult.Done, origin is null ? "created" : $"created from {origin}");
                        }
                        catch (KubeApiException ex) when (ex.IsAlreadyExists)
                        {
                            if (step.Action == StepAction.CreateWorkload)
                                snap.Workloads[step.ObjectName] = await _api.TryGetAsync(kind, ns, step.ObjectName, ct).ConfigureAwait(false) ?? manifest;
                            return (StepResult.Skipped, "already exists; kept as it is");
                        }
                    }).ConfigureAwait(false);
                    if (result == StepResult.NotConfirmed)
                        declined.Add(c!);
                    if (step.Action == StepAction.CreateWorkload)
                        desired[step.ObjectName] = source!.ManifestOf(step.ObjectKind, step.ObjectName)!["spec"]?["replicas"]?.GetValue<int>() ?? 1;
                    break;
                }
                case StepAction.ScaleUp:
                {
                    var n = step.Replicas!.Value;
                    if (snap.Of(c!).Workload?.StoppedReplicas is null)
                        ctx.WriteWarning($"{c!.DisplayName}: {c.Workload} is at 0 replicas with no recorded count ({LifecycleAnnotations.StoppedReplicas}); starting {n}.");
                    var result = await run.RunAsync(step, $"Scale to {n}", async _ =>
                    {
                        snap.Workloads[step.ObjectName] = await _api.PatchAsync(kind, ns, step.ObjectName,
                            new JsonObject { ["spec"] = new JsonObject { ["replicas"] = n } }, ct).ConfigureAwait(false);
                        return (StepResult.Done, $"scaled from 0 to {n}");
                    }).ConfigureAwait(false);
                    if (result == StepResult.NotConfirmed)
                        declined.Add(c!);
                    desired[step.ObjectName] = n;
                    break;
                }
                case StepAction.WaitForReady:
                {
                    if (declined.Contains(c!))
                        break;
                    var want = desired.TryGetValue(step.ObjectName, out var d) ? d : snap.Of(c!).Workload?.DesiredReplicas ?? c!.DefaultReplicas;
                    try
                    {
                        await run.RunAsync(step, null, async progress =>
                        {
                            await waiter.WaitReadyAsync(ns, c!, snap.Workloads.GetValueOrDefault(step.ObjectName), want, request.EffectiveTimeout, progress, ct).ConfigureAwait(false);
                            return (StepResult.Done, $"{want}/{want} pods ready");
                        }).ConfigureAwait(false);
                    }
                    catch (OperationException ex) when (ex.ErrorId is "ComponentPodStuck" or "ComponentWaitTimeout")
                    {
                        var later = profile.InStartOrder().SkipWhile(x => x != c).Skip(1).Select(x => x.DisplayName).ToList();
                        throw new OperationException(ex.ErrorId, ex.Kind,
                            $"Start stopped at {c!.DisplayName}: {ex.Message}{(later.Count > 0 ? $" Not started: {string.Join(", ", later)}." : "")} {(kit is null ? "The restore record and annotations are kept" : "What was created stays")}; fix the cause and run the start again{(kit is null ? "" : " with the same -DefinitionPath")} to resume.",
                            ex.Target, ex) { RecommendedAction = ex.RecommendedAction };
                    }
                    break;
                }
                case StepAction.RemoveAnnotation:
                    if (declined.Count > 0)
                        break;
                    await run.RunAsync(step, null, async _ =>
                    {
                        await _api.PatchAsync(kind, ns, step.ObjectName, new JsonObject
                        {
                            ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [LifecycleAnnotations.StoppedReplicas] = null } },
                        }, ct).ConfigureAwait(false);
                        return (StepResult.Done, $"{LifecycleAnnotations.StoppedReplicas} removed");
                    }).ConfigureAwait(false);
                    break;
                case StepAction.DeleteRestoreRecord:
                    if (declined.Count > 0)
                        break;
                    await run.RunAsync(step, null, async _ =>
                    {
                        // Only the record this run read and consumed: one written since (a stop that ran meanwhile)
                        // holds definitions that exist nowhere else.
                        try
                        {
                            var existed = await _api.DeleteAsync(ApiKind.Secret, ns, step.ObjectName, ct, snap.RecordResourceVersion).ConfigureAwait(false);
                            return existed ? (StepResult.Done, "every component is running; the restore record is no longer needed") : (StepResult.Skipped, "already gone");
                        }
                        catch (KubeApiException ex) when (ex.IsConflict)
                        {
                            throw new OperationException("RestoreRecordChanged", FailureKind.ResourceBusy,
                                $"The restore record secret/{step.ObjectName} changed after this start read it (another command wrote it), so it was kept. Check the cluster with Get-TmlCluster.",
                                step.ObjectName, ex);
                        }
                    }).ConfigureAwait(false);
                    break;
                default:
                    throw new InvalidOperationException($"A start does not plan {step.Action}.");
            }
        }
        run.Complete();
        if (request.PassThru)
            await WriteRowsAsync(profile, ns, ctx).ConfigureAwait(false);
    }

    /// <summary>
    /// Say what a start from a kit will not do: objects that exist are kept as deployed (never overwritten), so a
    /// component secret whose kit file was edited keeps its old data; and a restore record is neither used nor
    /// deleted. Names only, never values.
    /// </summary>
    private static void ReportKitUse(ClusterKit kit, ClusterSnapshot snap, IOperationContext ctx)
    {
        var componentSecrets = snap.Profile.Components.SelectMany(c => c.Secrets).ToHashSet(StringComparer.Ordinal);
        var differing = kit.SecretsDifferingFrom(snap.Secrets.Where(kv => componentSecrets.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value));
        if (differing.Count > 0)
            ctx.WriteWarning($"These secrets exist in namespace '{snap.Namespace}' and differ from {kit.Description}; they are kept as deployed, not overwritten: {string.Join(", ", differing.Select(n => $"secret/{n} ({kit.OriginOf("Secret", n)})"))}. "
                + "To apply the kit's files, stop the cluster with -Mode Undeploy and start it again from the kit.");
        var present = kit.Items.Count(i => i.Kind switch
        {
            "Secret" => snap.Secrets.ContainsKey(i.Name),
            "Service" => snap.Services.ContainsKey(i.Name),
            _ => snap.Workloads.ContainsKey(i.Name),
        });
        ctx.WriteVerbose($"Read {kit.Items.Count} definitions from {kit.Description}; {present} of those objects exist and are kept as deployed"
            + (present < kit.Items.Count ? $", the other {kit.Items.Count - present} are created from the kit." : "."));
        if (snap.Record is not null)
            ctx.WriteWarning($"The restore record secret/{snap.Profile.RestoreRecordName} in namespace '{snap.Namespace}' is not used (-DefinitionPath names the kit) and is kept. "
                + "A later start without -DefinitionPath removes it once every component runs; until then it still holds the definitions the Undeploy stop saved.");
    }

    private async Task WriteRowsAsync(ClusterProfile profile, string ns, IOperationContext ctx)
    {
        var snap = await ClusterSnapshot.ReadAsync(_api, profile, ns, ctx.CancellationToken).ConfigureAwait(false);
        foreach (var row in Rows(snap))
            ctx.WriteObject(row);
    }
}
