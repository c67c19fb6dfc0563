using System.Globalization;
using System.Text.Json.Nodes;
using ClusterOps.Core.Common;
using ClusterOps.Kubernetes.Errors;
using ClusterOps.Kubernetes.Http;
using ClusterOps.Kubernetes.Resources;

namespace ClusterOps.Core.Scheduling;

/// <summary>
/// storkctl activate/deactivate migrations (pkg/storkctl/migration.go over pkg/resourceutils/updatereplicas.go
/// ScaleReplicas), per namespace and in storkctl's order:
/// <list type="bullet">
/// <item>StatefulSets, Deployments, ReplicaSets not owned by another object, and OpenShift DeploymentConfigs (only when
/// apps.openshift.io is served) that carry <c>stork.libopenstorage.org/migrationReplicas</c>: activating sets
/// spec.replicas to that count, deactivating to 0. Workloads without the annotation were not migrated by Stork and are
/// left alone.</item>
/// <item>Custom resources of every kind an ApplicationRegistration names: each suspend option's field is set as
/// <see cref="RegisteredApplication.SuspendValue"/> says.</item>
/// <item>Every CronJob of the namespace: spec.suspend = !activate.</item>
/// <item>The MigrationSchedules <see cref="MigrationScheduleActivation"/> says storkctl marks: status.applicationActivated.</item>
/// </list>
/// Each change is its own confirmed merge patch carrying the resourceVersion that was read, retried after a re-read
/// on 409; an object already in the wanted state is not written and yields nothing.
/// </summary>
public sealed class MigratedApplicationOperations
{
    public const string AnnotationInvalid = "MigrationReplicasAnnotationInvalid";
    public const string SuspendValueInvalid = "RegisteredApplicationSuspendValueInvalid";

    /// <summary>The scaled kinds in the order storkctl walks them.</summary>
    private static readonly ResourceType<JsonObject>[] ScaledKinds =
        [StorkResources.StatefulSets, StorkResources.Deployments, StorkResources.ReplicaSets, StorkResources.DeploymentConfigs];

    private readonly KubeClient _client;

    public MigratedApplicationOperations(KubeClient client) => _client = client;

    /// <summary>One planned write: the patch body (without metadata), what it changes, and the confirmation text.</summary>
    private sealed record Planned(JsonObject Patch, MigratedApplicationChange Change, string Action);

    /// <summary>
    /// Runs the namespaces one after the other, yielding one change per object changed (an object already in the wanted
    /// state, or declined with -WhatIf/-Confirm, yields nothing). A namespace with nothing to change is a warning, as is a
    /// schedule that stays activated after deactivation.
    /// </summary>
    /// <param name="keepRegisteredPods">
    /// Deactivation only: leave the pods a registration lists at podsPath running (storkctl deletes them so the stopped
    /// application's pods go away; a user whose operator stops them itself opts out with this).
    /// </param>
    public async IAsyncEnumerable<MigratedApplicationChange> RunAsync(IReadOnlyList<string> namespaces, bool activate, IOperationContext context,
        bool keepRegisteredPods = false)
    {
        var verb = activate ? "activate" : "deactivate";
        // The registrations are cluster-scoped: read and resolved once for every namespace of the run.
        var registered = await RegisteredKindsAsync(context).ConfigureAwait(false);
        foreach (var ns in namespaces.Distinct(StringComparer.Ordinal))
        {
            var tally = new Tally();
            foreach (var type in ScaledKinds)
            {
                await foreach (var change in ScaleAsync(type, ns, activate, tally, context).ConfigureAwait(false))
                    yield return change;
            }
            await foreach (var change in RegisteredAsync(registered, ns, activate, keepRegisteredPods, tally, context).ConfigureAwait(false))
                yield return change;
            await foreach (var change in CronJobsAsync(ns, activate, tally, context).ConfigureAwait(false))
                yield return change;
            await foreach (var change in MarkSchedulesAsync(ns, activate, tally, context).ConfigureAwait(false))
                yield return change;
            if (tally.Pending == 0)
            {
                context.WriteWarning(tally.Candidates == 0
                    ? $"Nothing to {verb} in namespace '{ns}': no workload carries {StorkApi.MigrationReplicasAnnotation} (so Stork migrated none here), and there is no CronJob, registered application or MigrationSchedule to change."
                    : $"Nothing to {verb} in namespace '{ns}': its {tally.Candidates} migrated object(s) are already {(activate ? "active" : "inactive")}.");
            }
        }
    }

    /// <summary>Objects storkctl would touch, and of those the ones not yet in the wanted state.</summary>
    private sealed class Tally
    {
        public int Candidates;
        public int Pending;
    }

    // ---------------------------------------------------------------- scaled workloads

    private async IAsyncEnumerable<MigratedApplicationChange> ScaleAsync(ResourceType<JsonObject> type, string ns, bool activate, Tally tally, IOperationContext context)
    {
        if (!await IsServedAsync(type, context).ConfigureAwait(false))
            yield break;
        await foreach (var workload in _client.ListAsync(type, ns, null, context.CancellationToken).ConfigureAwait(false))
        {
            // storkctl leaves a ReplicaSet that belongs to something (a Deployment) to its owner.
            if (type == StorkResources.ReplicaSets && StorkResources.At(workload, "metadata", "ownerReferences") is JsonArray { Count: > 0 })
                continue;
            MigratedApplicationChange? change = null;
            try
            {
                if (Plan(workload, activate) is null)
                    continue;
                tally.Candidates++;
                change = await ApplyAsync(type, workload, w => PlanScale(type, w, activate), activate, tally, context).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is KubeApiException or OperationException)
            {
                context.WriteError(ex, $"{type.Kind} {ns}/{StorkResources.Name(workload)}");
            }
            if (change is not null)
                yield return change;
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
        // An absent spec.replicas means 1 for the apps/v1 kinds and 0 for a DeploymentConfig (a plain int in Go).
        var absent = StorkResources.Text(workload, "kind") == StorkResources.DeploymentConfigs.Kind ? 0 : 1;
        var before = (int)(StorkResources.Long(StorkResources.At(workload, "spec", "replicas")) ?? absent);
        return (before, activate ? stored : 0, stored);
    }

    private static Planned? PlanScale(ResourceType<JsonObject> type, JsonObject workload, bool activate)
    {
        if (Plan(workload, activate) is not { } plan || plan.Before == plan.After)
            return null;
        var change = Change(type.Kind, workload, "spec.replicas", plan.Before.ToString(CultureInfo.InvariantCulture), plan.After.ToString(CultureInfo.InvariantCulture), activate, plan);
        return new Planned(new JsonObject { ["spec"] = new JsonObject { ["replicas"] = plan.After } }, change,
            $"Scale from {plan.Before} to {plan.After} replicas ({(activate ? "activate" : "deactivate")} the migrated application)");
    }

    // ---------------------------------------------------------------- registered custom resources

    /// <summary>Every kind the ApplicationRegistrations name whose API the cluster serves, with its resource.</summary>
    private async Task<IReadOnlyList<(RegisteredApplication App, ResourceType<JsonObject> Type)>> RegisteredKindsAsync(IOperationContext context)
    {
        var kinds = new List<(RegisteredApplication, ResourceType<JsonObject>)>();
        if (!await IsServedAsync(StorkResources.ApplicationRegistrations, context).ConfigureAwait(false))
            return kinds;
        await foreach (var registration in _client.ListAsync(StorkResources.ApplicationRegistrations, null, null, context.CancellationToken).ConfigureAwait(false))
        {
            foreach (var app in RegisteredApplication.From(registration))
            {
                if (await ResolveAsync(app, context).ConfigureAwait(false) is { } type)
                    kinds.Add((app, type));
            }
        }
        return kinds;
    }

    private async IAsyncEnumerable<MigratedApplicationChange> RegisteredAsync(IReadOnlyList<(RegisteredApplication App, ResourceType<JsonObject> Type)> registered,
        string ns, bool activate, bool keepPods, Tally tally, IOperationContext context)
    {
        foreach (var (app, type) in registered)
        {
            await foreach (var item in _client.ListAsync(type, ns, null, context.CancellationToken).ConfigureAwait(false))
            {
                var target = $"{app.Kind} {ns}/{StorkResources.Name(item)}";
                if (StorkResources.At(item, "metadata", "annotations") is not JsonObject)
                {
                    context.WriteWarning($"{target} is skipped: it has no annotations, so Stork did not migrate it (registered by ApplicationRegistration '{app.Registration}').");
                    continue;
                }
                if (app.Options.Count == 0)
                    continue;
                tally.Candidates++;
                MigratedApplicationChange? change = null;
                var suspending = false;
                try
                {
                    suspending = !activate && PlanRegistered(app, item, activate) is not null;
                    change = await ApplyAsync(type, item, o => PlanRegistered(app, o, activate), activate, tally, context).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is KubeApiException or OperationException)
                {
                    context.WriteError(ex, target);
                    continue;
                }
                if (change is not null)
                    yield return change;
                // A suspend declined under -WhatIf still lists its pod deletes (each is its own confirmation).
                if (!suspending || app.Pods(item) is not { Count: > 0 } pods)
                    continue;
                if (keepPods)
                {
                    context.WriteVerbose($"{target}: its pods listed at {app.PodsPath} ({string.Join(", ", pods)}) are kept (-KeepRegisteredPods).");
                    continue;
                }
                await foreach (var deleted in DeletePodsAsync(app, item, pods, context).ConfigureAwait(false))
                    yield return deleted;
            }
        }
    }

    /// <summary>
    /// storkctl's deactivation deletes the pods a suspended custom resource lists at podsPath, since its operator may
    /// keep them running after the suspend field is set. Each delete is confirmed; a pod already gone is not an error.
    /// </summary>
    private async IAsyncEnumerable<MigratedApplicationChange> DeletePodsAsync(RegisteredApplication app, JsonObject item, IReadOnlyList<string> pods,
        IOperationContext context)
    {
        var ns = StorkResources.Namespace(item) ?? "";
        foreach (var pod in pods)
        {
            if (!KubeNames.IsSubdomain(pod))
            {
                context.WriteWarning($"{app.Kind} {ns}/{StorkResources.Name(item)} lists '{pod}' at {app.PodsPath}, which is not a pod name; it is not deleted.");
                continue;
            }
            if (!context.ShouldProcess($"Pod {ns}/{pod}", $"Delete the pod, listed at {app.PodsPath} of {app.Kind} '{StorkResources.Name(item)}' (storkctl deletes these pods on deactivation)"))
                continue;
            var deleted = true;
            try
            {
                await _client.DeleteAsync(KubeResources.Pods, ns, pod, null, context.CancellationToken).ConfigureAwait(false);
            }
            catch (KubeApiException ex) when (ex.IsNotFound)
            {
                deleted = false;
                context.WriteVerbose($"Pod {ns}/{pod} is already gone.");
            }
            catch (KubeApiException ex)
            {
                deleted = false;
                context.WriteError(ex, $"Pod {ns}/{pod}");
            }
            if (deleted)
            {
                yield return new MigratedApplicationChange
                {
                    Kind = "Pod", Name = pod, Namespace = ns, Field = "(object)", Before = "present", After = "deleted", Action = "Deactivated",
                };
            }
        }
    }

    /// <summary>The registered kind's resource, found by discovery; null (with a verbose line) when its API is not served.</summary>
    private async Task<ResourceType<JsonObject>?> ResolveAsync(RegisteredApplication app, IOperationContext context)
    {
        var list = await _client.Discovery.GetResourcesAsync(app.Group, app.Version, context.CancellationToken).ConfigureAwait(false);
        var resource = list?.Resources.FirstOrDefault(r => r.Kind == app.Kind && !r.Name.Contains('/', StringComparison.Ordinal));
        if (resource is null)
        {
            context.WriteVerbose($"{app.Kind} ({app.Group}/{app.Version}, ApplicationRegistration '{app.Registration}') skipped: the cluster does not serve it.");
            return null;
        }
        return ResourceType.Custom(app.Group, app.Version, resource.Name, app.Kind, resource.Namespaced);
    }

    private static Planned? PlanRegistered(RegisteredApplication app, JsonObject item, bool activate)
    {
        var annotations = StorkResources.StringMap(StorkResources.At(item, "metadata", "annotations"));
        var patch = new JsonObject();
        var fields = new List<(string Path, string? Before, string After)>();
        foreach (var option in app.Options)
        {
            JsonNode? value;
            bool apply;
            try
            {
                value = RegisteredApplication.SuspendValue(option, annotations, activate, out apply);
            }
            catch (FormatException ex)
            {
                throw new OperationException(SuspendValueInvalid, FailureKind.InvalidData,
                    $"{app.Kind} {StorkResources.Namespace(item)}/{StorkResources.Name(item)}: the {option.Type} field {option.Path} (ApplicationRegistration '{app.Registration}') cannot be set: {ex.Message}.",
                    StorkResources.Name(item));
            }
            if (!apply)
                continue;
            var path = option.Path.Split('.');
            var current = StorkResources.At(item, path);
            if (current is not null && JsonNode.DeepEquals(current, value))
                continue;
            SetPath(patch, path, value!.DeepClone());
            fields.Add((option.Path, current?.ToJsonString().Trim('"'), value.ToJsonString().Trim('"')));
        }
        if (fields.Count == 0)
            return null;
        var change = Change(app.Kind, item, string.Join(",", fields.Select(f => f.Path)),
            fields.All(f => f.Before is null) ? null : string.Join(",", fields.Select(f => f.Before ?? "")), string.Join(",", fields.Select(f => f.After)), activate);
        return new Planned(patch, change, $"Set {string.Join(", ", fields.Select(f => $"{f.Path} to {f.After}"))} ({(activate ? "activate" : "deactivate")} the migrated application, as ApplicationRegistration '{app.Registration}' says)");
    }

    private static void SetPath(JsonObject root, string[] path, JsonNode value)
    {
        var node = root;
        foreach (var segment in path[..^1])
        {
            if (node[segment] is not JsonObject next)
                node[segment] = next = new JsonObject();
            node = next;
        }
        node[path[^1]] = value;
    }

    // ---------------------------------------------------------------- CronJobs

    private async IAsyncEnumerable<MigratedApplicationChange> CronJobsAsync(string ns, bool activate, Tally tally, IOperationContext context)
    {
        if (!await IsServedAsync(StorkResources.CronJobs, context).ConfigureAwait(false))
            yield break;
        await foreach (var job in _client.ListAsync(StorkResources.CronJobs, ns, null, context.CancellationToken).ConfigureAwait(false))
        {
            tally.Candidates++;
            MigratedApplicationChange? change = null;
            try
            {
                change = await ApplyAsync(StorkResources.CronJobs, job, j => PlanSuspend(j, activate), activate, tally, context).ConfigureAwait(false);
            }
            catch (KubeApiException ex)
            {
                context.WriteError(ex, $"CronJob {ns}/{StorkResources.Name(job)}");
            }
            if (change is not null)
                yield return change;
        }
    }

    private static Planned? PlanSuspend(JsonObject job, bool activate)
    {
        var suspended = StorkResources.Bool(StorkResources.At(job, "spec", "suspend")) ?? false;
        if (suspended == !activate)
            return null;
        var change = Change("CronJob", job, "spec.suspend", Lower(suspended), Lower(!activate), activate);
        return new Planned(new JsonObject { ["spec"] = new JsonObject { ["suspend"] = !activate } }, change,
            activate ? "Resume the CronJob (spec.suspend false), as storkctl does for every CronJob of the namespace"
                     : "Suspend the CronJob (spec.suspend true), as storkctl does for every CronJob of the namespace");
    }

    // ---------------------------------------------------------------- MigrationSchedules

    /// <summary>status.applicationActivated on the schedules storkctl marks (see <see cref="MigrationScheduleActivation"/>).</summary>
    private async IAsyncEnumerable<MigratedApplicationChange> MarkSchedulesAsync(string ns, bool activate, Tally tally, IOperationContext context)
    {
        var ct = context.CancellationToken;
        if (!await StorkResources.IsServedAsync(_client, StorkResources.MigrationSchedules, ct).ConfigureAwait(false))
            yield break;
        var scheduleNamespace = await MigrationScheduleActivation.ScheduleNamespaceAsync(_client, ns, context).ConfigureAwait(false);
        var labels = await MigrationScheduleActivation.NamespaceLabelsAsync(_client, ns, ct).ConfigureAwait(false);
        await foreach (var schedule in _client.ListAsync(StorkResources.MigrationSchedules, scheduleNamespace, null, ct).ConfigureAwait(false))
        {
            if (!MigrationScheduleActivation.Migrates(schedule, ns, labels))
                continue;
            var info = MigrationScheduleInfo.From(schedule);
            if (!MigrationScheduleActivation.IsMarked(schedule, activate))
            {
                if (info.ApplicationActivated)
                    context.WriteWarning($"MigrationSchedule {scheduleNamespace}/{info.Name} stays activated (status.applicationActivated true): storkctl's rule clears it only on the static copies Stork keeps on the destination cluster ({StorkApi.StaticCopyAnnotation}), and this schedule is not one.");
                continue;
            }
            tally.Candidates++;
            MigratedApplicationChange? change = null;
            try
            {
                change = await ApplyAsync(StorkResources.MigrationSchedules, schedule, s => PlanActivated(s, activate), activate, tally, context).ConfigureAwait(false);
            }
            catch (KubeApiException ex)
            {
                context.WriteError(ex, $"MigrationSchedule {scheduleNamespace}/{info.Name}");
            }
            if (change is not null)
                yield return change;
        }
    }

    private static Planned? PlanActivated(JsonObject schedule, bool activate)
    {
        var current = StorkResources.Bool(StorkResources.At(schedule, "status", "applicationActivated")) ?? false;
        if (current == activate)
            return null;
        var change = Change(StorkApi.MigrationScheduleKind, schedule, "status.applicationActivated", Lower(current), Lower(activate), activate);
        return new Planned(new JsonObject { ["status"] = new JsonObject { ["applicationActivated"] = activate } }, change,
            $"Set status.applicationActivated to {Lower(activate)}");
    }

    // ---------------------------------------------------------------- shared

    private async Task<bool> IsServedAsync(ResourceType<JsonObject> type, IOperationContext context)
    {
        if (await StorkResources.IsServedAsync(_client, type, context.CancellationToken).ConfigureAwait(false))
            return true;
        context.WriteVerbose($"{type.Kind}s skipped: the cluster does not serve {type.Plural}.{(type.Group.Length == 0 ? "core" : type.Group)}/{type.Version}.");
        return false;
    }

    /// <summary>
    /// One confirmed merge patch with the resourceVersion that was read as a precondition, so a concurrent edit is never
    /// overwritten. A workload's controller bumps the version all the time (status), so a 409 is read again and
    /// re-planned, as the design's rule 5 says; if the re-read plan differs, the next run decides, not a stale plan.
    /// </summary>
    private async Task<MigratedApplicationChange?> ApplyAsync(ResourceType<JsonObject> type, JsonObject item, Func<JsonObject, Planned?> plan, bool activate,
        Tally tally, IOperationContext context)
    {
        var name = StorkResources.Name(item);
        var ns = StorkResources.Namespace(item) ?? "";
        if (plan(item) is not { } planned)
        {
            context.WriteVerbose($"{type.Kind} {ns}/{name} is already {(activate ? "active" : "inactive")}; nothing to change.");
            return null;
        }
        tally.Pending++; // counted before the confirmation: a change declined with -WhatIf is not "nothing to change"
        if (!context.ShouldProcess($"{type.Kind} {ns}/{name}", planned.Action))
            return null;
        for (var attempt = 1; ; attempt++)
        {
            var patch = (JsonObject)planned.Patch.DeepClone();
            patch["metadata"] = new JsonObject { ["resourceVersion"] = StorkResources.Text(item, "metadata", "resourceVersion") };
            try
            {
                await _client.PatchAsync(type, ns, name, KubePatch.Merge(patch), null, context.CancellationToken).ConfigureAwait(false);
                return planned.Change;
            }
            catch (KubeApiException ex) when (ex.IsConflict && attempt < 3)
            {
                context.WriteVerbose($"{type.Kind} {ns}/{name} changed while it was being {(type == StorkResources.MigrationSchedules ? "marked" : "scaled")}; reading it again.");
                item = await _client.GetAsync(type, ns, name, context.CancellationToken).ConfigureAwait(false);
                if (plan(item) is not { } again || again.Change.After != planned.Change.After)
                    return null;
                planned = again;
            }
        }
    }

    private static MigratedApplicationChange Change(string kind, JsonObject item, string field, string? before, string after, bool activate,
        (int Before, int After, int Stored)? replicas = null) => new()
    {
        Kind = kind, Name = StorkResources.Name(item), Namespace = StorkResources.Namespace(item) ?? "",
        Field = field, Before = before, After = after, Action = activate ? "Activated" : "Deactivated",
        ReplicasBefore = replicas?.Before, ReplicasAfter = replicas?.After, MigrationReplicas = replicas?.Stored,
    };

    private static string Lower(bool value) => value ? "true" : "false";
}
