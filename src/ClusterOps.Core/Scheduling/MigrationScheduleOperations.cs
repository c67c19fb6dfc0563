using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using ClusterOps.Core.Common;
using ClusterOps.Kubernetes.Errors;
using ClusterOps.Kubernetes.Http;

namespace ClusterOps.Core.Scheduling;

/// <summary>
/// MigrationSchedules: create with storkctl's checks, list, history, suspend/resume and remove. Stork's controller
/// does the migrating; these operations only write the objects it reads.
/// </summary>
public sealed class MigrationScheduleOperations
{
    public const string ClusterPairNotFound = "ClusterPairNotFound";
    public const string NamespaceNotAllowed = "MigrationScheduleNamespaceNotAllowed";
    public const string PolicyNotFound = "MigrationSchedulePolicyNotFound";
    public const string PolicyExists = "MigrationSchedulePolicyExists";
    public const string NoNamespaces = "MigrationScheduleNoNamespaces";
    public const string PolicyConflict = "MigrationSchedulePolicyAndInterval";

    private readonly KubeClient _client;

    public MigrationScheduleOperations(KubeClient client) => _client = client;

    /// <summary>
    /// New-MigrationSchedule. Checks first, writes after: the ClusterPair must exist (without storage options volumes are
    /// excluded, with a warning), only the admin namespace (read from Stork's controller ConfigMap unless the request
    /// names one) may migrate other namespaces, a named policy must exist (or, with an interval, one named after the
    /// schedule is created). When no policy is named, default-migration-policy is created if it is missing, as storkctl
    /// create migrationschedule does (an interval of 30 minutes, what Stork itself creates at start). A policy created
    /// with an interval is removed again if the schedule cannot be created, so no orphan policy is left behind.
    /// </summary>
    public async Task<MigrationScheduleInfo?> CreateAsync(MigrationScheduleRequest request, IOperationContext context)
    {
        var ct = context.CancellationToken;
        if (request.SchedulePolicyName is not null && request.IntervalMinutes is not null)
            throw new OperationException(PolicyConflict, FailureKind.InvalidArgument,
                "Give either -SchedulePolicyName or -IntervalMinutes, not both.", request.Name);
        var namespaces = request.Namespaces.Where(n => !string.IsNullOrWhiteSpace(n)).Distinct(StringComparer.Ordinal).ToList();
        if (namespaces.Count == 0)
            throw new OperationException(NoNamespaces, FailureKind.InvalidArgument, "Give at least one namespace to migrate (-Namespaces).", request.Name);
        // Only a schedule that migrates other namespaces needs the admin namespace, so only then is it looked up.
        var foreign = namespaces.Where(n => n != request.Namespace).ToList();
        if (foreign.Count > 0)
        {
            var admin = request.AdminNamespace ?? await StorkResources.AdminNamespaceAsync(_client, context).ConfigureAwait(false);
            if (request.Namespace != admin)
                throw new OperationException(NamespaceNotAllowed, FailureKind.InvalidArgument,
                    $"A MigrationSchedule in namespace '{request.Namespace}' can only migrate '{request.Namespace}'; {string.Join(", ", foreign.Select(n => $"'{n}'"))} can only be migrated by a schedule in Stork's admin namespace '{admin}'" +
                    (request.AdminNamespace is null ? $" (key {StorkResources.AdminNamespaceKey} of ConfigMap {StorkResources.DefaultAdminNamespace}/{StorkResources.ControllerConfigMap}, or {StorkResources.DefaultAdminNamespace} without it)." : " (-AdminNamespace)."),
                    request.Name);
        }
        // The CRD stores any map, so a bad label would only fail later, when Stork turns it into a selector for a
        // migration; kubectl-style validation refuses it now, before anything is created.
        Storage.LabelSelector.ValidateLabels(request.Selectors, "-Selector");
        Storage.LabelSelector.ValidateLabels(request.ExcludeSelectors, "-ExcludeSelector");
        await StorkResources.EnsureInstalledAsync(_client, StorkResources.MigrationSchedules, ct).ConfigureAwait(false);

        var pair = await _client.TryGetAsync(StorkResources.ClusterPairs, request.Namespace, request.ClusterPair, ct).ConfigureAwait(false)
            ?? throw new OperationException(ClusterPairNotFound, FailureKind.ObjectNotFound,
                $"ClusterPair '{request.ClusterPair}' was not found in namespace '{request.Namespace}'. A MigrationSchedule uses a ClusterPair of its own namespace.",
                request.ClusterPair);
        var includeVolumes = !request.ExcludeVolumes;
        if (includeVolumes && !ClusterPairInfo.PairHasStorageOptions(pair))
        {
            includeVolumes = false;
            context.WriteWarning($"ClusterPair '{request.ClusterPair}' has no storage options (no storage pairing, as with a single storage fabric): volumes are excluded from the migrations, as storkctl does.");
        }

        var policies = new SchedulePolicyOperations(_client);
        string policyName;
        SchedulePolicyDocument? newPolicy = null;      // the interval policy named after the schedule
        SchedulePolicyDocument? defaultPolicy = null;  // default-migration-policy, when it is missing
        if (request.IntervalMinutes is { } minutes)
        {
            policyName = request.Name;
            var (spec, _) = new SchedulePolicyParameters { IntervalMinutes = minutes }.BuildNew(policyName);
            // Resolved as Stork will: a NamespacedSchedulePolicy of that name would shadow the policy created here.
            if (await policies.TryResolveAsync(policyName, request.Namespace, ct).ConfigureAwait(false) is { } existing)
            {
                if (existing.Scope != SchedulePolicyScope.Cluster || existing.Spec != spec)
                    throw new OperationException(PolicyExists, FailureKind.ResourceExists,
                        $"A {existing.Kind} named '{policyName}' already exists with other settings (interval {existing.Interval}, daily {existing.Daily}, weekly {existing.Weekly}, monthly {existing.Monthly}), and Stork would use it for this schedule. Use -SchedulePolicyName {policyName}, or another schedule name.",
                        policyName);
                context.WriteVerbose($"SchedulePolicy '{policyName}' already has an interval of {minutes} minutes; using it.");
            }
            else
            {
                newPolicy = SchedulePolicyDocument.Create(policyName, null, spec);
            }
        }
        else if (request.SchedulePolicyName is null)
        {
            policyName = StorkApi.DefaultMigrationPolicyName;
            if (await policies.TryResolveAsync(policyName, request.Namespace, ct).ConfigureAwait(false) is { } policy)
                WarnIfInvalid(policy, context);
            else
                defaultPolicy = DefaultMigrationPolicy();
        }
        else
        {
            policyName = request.SchedulePolicyName;
            var policy = await policies.TryResolveAsync(policyName, request.Namespace, ct).ConfigureAwait(false)
                ?? throw new OperationException(PolicyNotFound, FailureKind.ObjectNotFound,
                    $"Schedule policy '{policyName}' was not found (neither a NamespacedSchedulePolicy in '{request.Namespace}' nor a SchedulePolicy). Stork would only log events against the schedule.",
                    policyName)
                { RecommendedAction = "Create it with New-SchedulePolicy, use -IntervalMinutes, or leave -SchedulePolicyName out to use default-migration-policy." };
            WarnIfInvalid(policy, context);
        }

        var schedule = Build(request, namespaces, policyName, includeVolumes);
        var target = $"MigrationSchedule {request.Namespace}/{request.Name}";
        var action = $"Create a migration schedule to ClusterPair '{request.ClusterPair}' for {string.Join(",", namespaces)} with policy '{policyName}'" +
                     (newPolicy is null ? "" : $" (and a new SchedulePolicy '{policyName}' every {request.IntervalMinutes} min)") +
                     (defaultPolicy is null ? "" : $" (and SchedulePolicy '{policyName}', every {DefaultMigrationIntervalMinutes} min, which is missing)");
        if (!context.ShouldProcess(target, action))
            return null;
        if (newPolicy is not null)
            await _client.CreateAsync(StorkResources.SchedulePolicies, null, newPolicy.Json, null, ct).ConfigureAwait(false);
        if (defaultPolicy is not null)
            await CreateDefaultPolicyAsync(defaultPolicy, context).ConfigureAwait(false);
        try
        {
            var created = await _client.CreateAsync(StorkResources.MigrationSchedules, request.Namespace, schedule, null, ct).ConfigureAwait(false);
            return MigrationScheduleInfo.From(created);
        }
        catch (Exception) when (newPolicy is not null)
        {
            await TryRemoveOrphanAsync(policyName, context).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The interval storkctl gives default-migration-policy when it creates it (and Stork at start).</summary>
    public const int DefaultMigrationIntervalMinutes = 30;

    internal static SchedulePolicyDocument DefaultMigrationPolicy()
    {
        var (spec, _) = new SchedulePolicyParameters { IntervalMinutes = DefaultMigrationIntervalMinutes }.BuildNew(StorkApi.DefaultMigrationPolicyName);
        return SchedulePolicyDocument.Create(StorkApi.DefaultMigrationPolicyName, null, spec);
    }

    /// <summary>Created as storkctl does: someone else creating it first (Stork starting up) is as good.</summary>
    private async Task CreateDefaultPolicyAsync(SchedulePolicyDocument policy, IOperationContext context)
    {
        try
        {
            await _client.CreateAsync(StorkResources.SchedulePolicies, null, policy.Json, null, context.CancellationToken).ConfigureAwait(false);
            context.WriteWarning($"SchedulePolicy '{StorkApi.DefaultMigrationPolicyName}' was missing and has been created (every {DefaultMigrationIntervalMinutes} minutes), as storkctl does.");
        }
        catch (KubeApiException ex) when (ex.IsAlreadyExists)
        {
            context.WriteVerbose($"SchedulePolicy '{StorkApi.DefaultMigrationPolicyName}' was created meanwhile; using it.");
        }
    }

    private static void WarnIfInvalid(SchedulePolicyInfo policy, IOperationContext context)
    {
        if (!policy.IsValid)
            context.WriteWarning($"Schedule policy '{policy.Name}' is not valid for Stork: no migration will be triggered until it is fixed (Test-SchedulePolicy shows why).");
    }

    private async Task TryRemoveOrphanAsync(string policyName, IOperationContext context)
    {
        try
        {
            await _client.DeleteAsync(StorkResources.SchedulePolicies, null, policyName, null, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is KubeApiException or HttpRequestException)
        {
            context.WriteWarning($"SchedulePolicy '{policyName}' was created for the schedule but could not be removed after the schedule failed: {ex.Message}");
        }
    }

    internal static JsonObject Build(MigrationScheduleRequest request, IReadOnlyList<string> namespaces, string policyName, bool includeVolumes)
    {
        var template = new JsonObject
        {
            ["clusterPair"] = request.ClusterPair,
            ["namespaces"] = new JsonArray(namespaces.Select(n => (JsonNode)JsonValue.Create(n)!).ToArray()),
            ["includeResources"] = !request.ExcludeResources,
            ["includeVolumes"] = includeVolumes,
            ["startApplications"] = request.StartApplications,
            ["purgeDeletedResources"] = request.PurgeDeletedResources,
        };
        if (!string.IsNullOrEmpty(request.PreExecRule))
            template["preExecRule"] = request.PreExecRule;
        if (!string.IsNullOrEmpty(request.PostExecRule))
            template["postExecRule"] = request.PostExecRule;
        if (request.Selectors is { Count: > 0 } selectors)
            template["selectors"] = Map(selectors);
        if (request.ExcludeSelectors is { Count: > 0 } excluded)
            template["excludeSelectors"] = Map(excluded);
        return new JsonObject
        {
            ["apiVersion"] = StorkApi.ApiVersion,
            ["kind"] = StorkApi.MigrationScheduleKind,
            ["metadata"] = new JsonObject { ["name"] = request.Name, ["namespace"] = request.Namespace },
            ["spec"] = new JsonObject
            {
                ["template"] = new JsonObject { ["spec"] = template },
                ["schedulePolicyName"] = policyName,
                ["suspend"] = request.Suspend,
                ["autoSuspend"] = request.AutoSuspend,
            },
        };
    }

    private static JsonObject Map(IReadOnlyDictionary<string, string> map)
    {
        var o = new JsonObject();
        foreach (var (k, v) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
            o[k] = v;
        return o;
    }

    /// <summary>Get-MigrationSchedule.</summary>
    public async IAsyncEnumerable<MigrationScheduleInfo> GetAsync(MigrationScheduleQuery query, IOperationContext context,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await StorkResources.EnsureInstalledAsync(_client, StorkResources.MigrationSchedules, cancellationToken).ConfigureAwait(false);
        await foreach (var item in StorkQuery.GetAsync(_client, StorkResources.MigrationSchedules, query.Namespace, query.Names, context, cancellationToken).ConfigureAwait(false))
        {
            var info = MigrationScheduleInfo.From(item);
            if (query.ClusterPair is null || info.ClusterPair == query.ClusterPair)
                yield return info;
        }
    }

    /// <summary>Get-MigrationSchedule -History: one flat row per status entry of each schedule.</summary>
    public async IAsyncEnumerable<MigrationScheduleHistoryItem> GetHistoryAsync(MigrationScheduleQuery query, IOperationContext context,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var schedule in GetAsync(query, context, cancellationToken).ConfigureAwait(false))
        {
            foreach (var row in MigrationScheduleStatus.History(schedule.Object))
                yield return row;
        }
    }

    /// <summary>Suspend- / Resume-MigrationSchedule: a merge patch of spec.suspend only.</summary>
    public async Task<MigrationScheduleInfo?> SetSuspendAsync(string name, string @namespace, bool suspend, IOperationContext context)
    {
        var ct = context.CancellationToken;
        await StorkResources.EnsureInstalledAsync(_client, StorkResources.MigrationSchedules, ct).ConfigureAwait(false);
        var current = await _client.TryGetAsync(StorkResources.MigrationSchedules, @namespace, name, ct).ConfigureAwait(false)
            ?? throw StorkQuery.NotFound(StorkResources.MigrationSchedules, name, @namespace);
        var info = MigrationScheduleInfo.From(current);
        if (info.Suspend == suspend)
        {
            context.WriteVerbose($"MigrationSchedule {@namespace}/{name} is already {(suspend ? "suspended" : "active")}.");
            return info;
        }
        var action = suspend
            ? "Suspend the schedule (Stork starts no new migration; a running one finishes)"
            : "Resume the schedule (Stork triggers again by its policy)";
        if (!context.ShouldProcess($"MigrationSchedule {@namespace}/{name}", action))
            return null;
        var patch = new JsonObject { ["spec"] = new JsonObject { ["suspend"] = suspend } };
        var patched = await _client.PatchAsync(StorkResources.MigrationSchedules, @namespace, name, KubePatch.Merge(patch), null, ct).ConfigureAwait(false);
        return MigrationScheduleInfo.From(patched);
    }

    /// <summary>
    /// Remove-MigrationSchedule. Stork's finalizer deletes every Migration listed in the schedule's status with it;
    /// the confirmation says so and names them.
    /// </summary>
    public async Task<MigrationScheduleInfo?> RemoveAsync(string name, string @namespace, IOperationContext context)
    {
        var ct = context.CancellationToken;
        await StorkResources.EnsureInstalledAsync(_client, StorkResources.MigrationSchedules, ct).ConfigureAwait(false);
        var current = await _client.TryGetAsync(StorkResources.MigrationSchedules, @namespace, name, ct).ConfigureAwait(false)
            ?? throw StorkQuery.NotFound(StorkResources.MigrationSchedules, name, @namespace);
        var migrations = MigrationScheduleStatus.History(current).Select(h => h.Migration).Where(m => m.Length > 0).ToList();
        var action = migrations.Count == 0
            ? "Delete the migration schedule"
            : $"Delete the migration schedule; Stork deletes its {migrations.Count} Migration(s) with it ({string.Join(", ", migrations)})";
        if (!context.ShouldProcess($"MigrationSchedule {@namespace}/{name}", action))
            return null;
        await _client.DeleteAsync(StorkResources.MigrationSchedules, @namespace, name, null, ct).ConfigureAwait(false);
        if (migrations.Count > 0)
            context.WriteVerbose($"Stork deletes the Migrations of {@namespace}/{name} when it removes its finalizer: {string.Join(", ", migrations)}.");
        return MigrationScheduleInfo.From(current);
    }
}
