using System.Globalization;
using System.Text.Json.Nodes;
using ClusterOps.Core.Common;
using ClusterOps.Kubernetes.Errors;
using ClusterOps.Kubernetes.Http;
using ClusterOps.Kubernetes.Resources;

namespace ClusterOps.Core.Scheduling;

/// <summary>
/// One object Enable-/Disable-MigratedApplication changed: a Deployment or StatefulSet it scaled, or a
/// MigrationSchedule whose status.applicationActivated it set (then the replica counts are empty).
/// </summary>
public sealed class MigratedApplicationChange
{
    public required string Kind { get; init; }
    public required string Name { get; init; }
    public required string Namespace { get; init; }
    public int? ReplicasBefore { get; init; }
    public int? ReplicasAfter { get; init; }

    /// <summary>Activated or Deactivated.</summary>
    public required string Action { get; init; }

    /// <summary>The count stored by Stork in stork.libopenstorage.org/migrationReplicas.</summary>
    public int? MigrationReplicas { get; init; }

    public override string ToString() =>
        ReplicasBefore is null ? $"{Kind} {Namespace}/{Name}: {Action}" : $"{Kind} {Namespace}/{Name}: {ReplicasBefore} -> {ReplicasAfter}";
}

/// <summary>
/// storkctl activate/deactivate migrations (pkg/resourceutils/updatereplicas.go): on the destination cluster, the
/// Deployments and StatefulSets Stork migrated carry the source replica count in the annotation
/// <c>stork.libopenstorage.org/migrationReplicas</c> (the Portworx docs call it stork.openstorage.org/...; the code does
/// not). Activating sets spec.replicas to that count; deactivating sets it to 0. Workloads without the annotation were
/// not migrated by Stork and are left alone. Each scale is its own confirmed change, sent as a merge patch with the
/// resourceVersion that was read.
/// </summary>
public sealed class MigratedApplicationOperations
{
    public const string AnnotationInvalid = "MigrationReplicasAnnotationInvalid";

    private static readonly ResourceType<JsonObject>[] Workloads = [StorkResources.Deployments, StorkResources.StatefulSets];

    private readonly KubeClient _client;

    public MigratedApplicationOperations(KubeClient client) => _client = client;

    /// <summary>
    /// Scales the migrated workloads of each namespace and marks its schedules, yielding one change per object changed
    /// (a workload already at the wanted count, or declined with -WhatIf/-Confirm, yields nothing). A namespace with
    /// nothing to change is a warning, as is a schedule that stays activated after deactivation.
    /// </summary>
    public async IAsyncEnumerable<MigratedApplicationChange> RunAsync(IReadOnlyList<string> namespaces, bool activate, IOperationContext context)
    {
        var ct = context.CancellationToken;
        var verb = activate ? "activate" : "deactivate";
        foreach (var ns in namespaces.Distinct(StringComparer.Ordinal))
        {
            var migrated = 0;   // workloads Stork migrated (they carry the annotation)
            var toChange = 0;   // of those, not yet at the wanted count
            foreach (var type in Workloads)
            {
                await foreach (var workload in _client.ListAsync(type, ns, null, ct).ConfigureAwait(false))
                {
                    MigratedApplicationChange? change = null;
                    try
                    {
                        if (Plan(workload, activate) is not { } plan)
                            continue;
                        migrated++;
                        if (plan.Before == plan.After)
                        {
                            context.WriteVerbose($"{type.Kind} {ns}/{StorkResources.Name(workload)} is already at {plan.After} replicas.");
                            continue;
                        }
                        toChange++;
                        change = await ScaleAsync(type, workload, plan, activate, context).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is KubeApiException or OperationException)
                    {
                        context.WriteError(ex, $"{type.Kind} {ns}/{StorkResources.Name(workload)}");
                    }
                    if (change is not null)
                        yield return change;
                }
            }
            var schedules = 0;
            await foreach (var change in MarkSchedulesAsync(ns, activate, context).ConfigureAwait(false))
            {
                schedules++;
                yield return change;
            }
            if (toChange == 0 && schedules == 0)
            {
                context.WriteWarning(migrated == 0
                    ? $"Nothing to {verb} in namespace '{ns}': no Deployment or StatefulSet carries {StorkApi.MigrationReplicasAnnotation}, so Stork migrated none here."
                    : $"Nothing to {verb} in namespace '{ns}': its {migrated} migrated workload(s) are already at {(activate ? "their stored replica counts" : "0 replicas")}.");
            }
        }
    }

    /// <summary>The planned replica change of one workload, or null when Stork did not migrate it.</summary>
    public static (int Before, int After, int Stored)? Plan(JsonObject workload, bool activate)
    {
        var annotation = StorkResources.Text(workload, "metadata", "annotations", StorkApi.MigrationReplicasAnnotation);
        if (annotation is null)
            return null;
        if (!int.TryParse(annotation, NumberStyles.None, CultureInfo.InvariantCulture, out var stored))
            throw new OperationException(AnnotationInvalid, FailureKind.InvalidData,
                $"{StorkResources.Text(workload["kind"])} {StorkResources.Namespace(workload)}/{StorkResources.Name(workload)} has {StorkApi.MigrationReplicasAnnotation}='{annotation}', which is not a replica count.",
                StorkResources.Name(workload));
        // Go's default for an absent spec.replicas is 1 for both kinds.
        var before = (int)(StorkResources.Long(StorkResources.At(workload, "spec", "replicas")) ?? 1);
        return (before, activate ? stored : 0, stored);
    }

    private async Task<MigratedApplicationChange?> ScaleAsync(ResourceType<JsonObject> type, JsonObject workload,
        (int Before, int After, int Stored) plan, bool activate, IOperationContext context)
    {
        var name = StorkResources.Name(workload);
        var ns = StorkResources.Namespace(workload) ?? "";
        MigratedApplicationChange Change(string action) => new()
        {
            Kind = type.Kind, Name = name, Namespace = ns, ReplicasBefore = plan.Before, ReplicasAfter = plan.After,
            Action = action, MigrationReplicas = plan.Stored,
        };
        if (!context.ShouldProcess($"{type.Kind} {ns}/{name}", $"Scale from {plan.Before} to {plan.After} replicas ({(activate ? "activate" : "deactivate")} the migrated application)"))
            return null;
        // The resourceVersion read is a precondition, so a concurrent edit is never overwritten; a workload's own
        // controller bumps it all the time (status), so a 409 is read again and re-planned, as the design's rule 5 says.
        for (var attempt = 1; ; attempt++)
        {
            var patch = new JsonObject
            {
                ["metadata"] = new JsonObject { ["resourceVersion"] = StorkResources.Text(workload, "metadata", "resourceVersion") },
                ["spec"] = new JsonObject { ["replicas"] = plan.After },
            };
            try
            {
                await _client.PatchAsync(type, ns, name, KubePatch.Merge(patch), null, context.CancellationToken).ConfigureAwait(false);
                return Change(activate ? "Activated" : "Deactivated");
            }
            catch (KubeApiException ex) when (ex.IsConflict && attempt < 3)
            {
                context.WriteVerbose($"{type.Kind} {ns}/{name} changed while it was being scaled; reading it again.");
                workload = await _client.GetAsync(type, ns, name, context.CancellationToken).ConfigureAwait(false);
                if (Plan(workload, activate) is not { } again || again.Before == again.After)
                    return null; // someone else already did it, or the annotation is gone
                if (again.After != plan.After)
                    return null; // the stored count changed under us: the next run decides, not a stale plan
                plan = again;
            }
        }
    }

    /// <summary>
    /// status.applicationActivated on the namespace's MigrationSchedules, as storkctl sets it: activation marks every
    /// schedule, deactivation only the static copies Stork keeps on the destination. Schedules with autoSuspend on the
    /// source read it to stop migrating over an activated application. An activated schedule that is not a static
    /// copy stays activated on deactivation (storkctl's rule), which is said as a warning.
    /// </summary>
    private async IAsyncEnumerable<MigratedApplicationChange> MarkSchedulesAsync(string ns, bool activate, IOperationContext context)
    {
        var ct = context.CancellationToken;
        if (!await StorkResources.IsServedAsync(_client, StorkResources.MigrationSchedules, ct).ConfigureAwait(false))
            yield break;
        await foreach (var schedule in _client.ListAsync(StorkResources.MigrationSchedules, ns, null, ct).ConfigureAwait(false))
        {
            var info = MigrationScheduleInfo.From(schedule);
            if (info.ApplicationActivated == activate)
                continue;
            if (!activate && !info.IsStaticCopy)
            {
                context.WriteWarning($"MigrationSchedule {ns}/{info.Name} stays activated (status.applicationActivated true): storkctl's rule clears it only on the static copies Stork keeps on the destination cluster, and this schedule is not one.");
                continue;
            }
            if (!context.ShouldProcess($"MigrationSchedule {ns}/{info.Name}", $"Set status.applicationActivated to {(activate ? "true" : "false")}"))
                continue;
            var patch = new JsonObject { ["status"] = new JsonObject { ["applicationActivated"] = activate } };
            MigratedApplicationChange? change = null;
            try
            {
                await _client.PatchAsync(StorkResources.MigrationSchedules, ns, info.Name, KubePatch.Merge(patch), null, ct).ConfigureAwait(false);
                change = new MigratedApplicationChange
                {
                    Kind = StorkApi.MigrationScheduleKind, Name = info.Name, Namespace = ns, Action = activate ? "Activated" : "Deactivated",
                };
            }
            catch (KubeApiException ex)
            {
                context.WriteError(ex, $"MigrationSchedule {ns}/{info.Name}");
            }
            if (change is not null)
                yield return change;
        }
    }
}
