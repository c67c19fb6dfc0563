using System.Globalization;
using System.Text.Json.Nodes;
using ClusterOps.Core.Common;
using ClusterOps.Kubernetes.Errors;
using ClusterOps.Kubernetes.Http;
using ClusterOps.Kubernetes.Resources;

namespace ClusterOps.Core.Scheduling;

/// <summary>One workload that Enable-/Disable-MigratedApplication scaled (or found already at the wanted count).</summary>
public sealed class MigratedApplicationChange
{
    public required string Kind { get; init; }
    public required string Name { get; init; }
    public required string Namespace { get; init; }
    public required int ReplicasBefore { get; init; }
    public required int ReplicasAfter { get; init; }

    /// <summary>Activated, Deactivated, or Unchanged (already at the wanted count).</summary>
    public required string Action { get; init; }

    /// <summary>The count stored by Stork in stork.libopenstorage.org/migrationReplicas.</summary>
    public int? MigrationReplicas { get; init; }

    public override string ToString() => $"{Kind} {Namespace}/{Name}: {ReplicasBefore} -> {ReplicasAfter}";
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

    public async Task RunAsync(IReadOnlyList<string> namespaces, bool activate, IOperationContext context)
    {
        var ct = context.CancellationToken;
        foreach (var ns in namespaces.Distinct(StringComparer.Ordinal))
        {
            var changed = 0;
            foreach (var type in Workloads)
            {
                await foreach (var workload in _client.ListAsync(type, ns, null, ct).ConfigureAwait(false))
                {
                    try
                    {
                        if (await ScaleAsync(type, workload, activate, context).ConfigureAwait(false) is { } change)
                        {
                            context.WriteObject(change);
                            changed++;
                        }
                    }
                    catch (Exception ex) when (ex is KubeApiException or OperationException)
                    {
                        context.WriteError(ex, $"{type.Kind} {ns}/{StorkResources.Name(workload)}");
                    }
                }
            }
            if (changed == 0)
                context.WriteVerbose($"No workload in namespace '{ns}' carries {StorkApi.MigrationReplicasAnnotation}: nothing migrated by Stork to {(activate ? "activate" : "deactivate")}.");
            await MarkSchedulesAsync(ns, activate, context).ConfigureAwait(false);
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

    private async Task<MigratedApplicationChange?> ScaleAsync(ResourceType<JsonObject> type, JsonObject workload, bool activate, IOperationContext context)
    {
        if (Plan(workload, activate) is not { } plan)
            return null;
        var name = StorkResources.Name(workload);
        var ns = StorkResources.Namespace(workload) ?? "";
        MigratedApplicationChange Change(string action) => new()
        {
            Kind = type.Kind, Name = name, Namespace = ns, ReplicasBefore = plan.Before, ReplicasAfter = plan.After,
            Action = action, MigrationReplicas = plan.Stored,
        };
        if (plan.Before == plan.After)
            return Change("Unchanged");
        if (!context.ShouldProcess($"{type.Kind} {ns}/{name}", $"Scale from {plan.Before} to {plan.After} replicas ({(activate ? "activate" : "deactivate")} the migrated application)"))
            return null;
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject { ["resourceVersion"] = StorkResources.Text(workload, "metadata", "resourceVersion") },
            ["spec"] = new JsonObject { ["replicas"] = plan.After },
        };
        await _client.PatchAsync(type, ns, name, KubePatch.Merge(patch), null, context.CancellationToken).ConfigureAwait(false);
        return Change(activate ? "Activated" : "Deactivated");
    }

    /// <summary>
    /// status.applicationActivated on the namespace's MigrationSchedules, as storkctl sets it: activation marks every
    /// schedule, deactivation only the static copies Stork keeps on the destination. Schedules with autoSuspend on the
    /// source read it to stop migrating over an activated application.
    /// </summary>
    private async Task MarkSchedulesAsync(string ns, bool activate, IOperationContext context)
    {
        var ct = context.CancellationToken;
        if (!await StorkResources.IsServedAsync(_client, StorkResources.MigrationSchedules, ct).ConfigureAwait(false))
            return;
        await foreach (var schedule in _client.ListAsync(StorkResources.MigrationSchedules, ns, null, ct).ConfigureAwait(false))
        {
            var info = MigrationScheduleInfo.From(schedule);
            if (info.ApplicationActivated == activate || (!activate && !info.IsStaticCopy))
                continue;
            if (!context.ShouldProcess($"MigrationSchedule {ns}/{info.Name}", $"Set status.applicationActivated to {(activate ? "true" : "false")}"))
                continue;
            var patch = new JsonObject { ["status"] = new JsonObject { ["applicationActivated"] = activate } };
            try
            {
                await _client.PatchAsync(StorkResources.MigrationSchedules, ns, info.Name, KubePatch.Merge(patch), null, ct).ConfigureAwait(false);
            }
            catch (KubeApiException ex)
            {
                context.WriteError(ex, $"MigrationSchedule {ns}/{info.Name}");
            }
        }
    }
}
