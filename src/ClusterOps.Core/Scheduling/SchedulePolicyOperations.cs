using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using ClusterOps.Core.Common;
using ClusterOps.Kubernetes.Errors;
using ClusterOps.Kubernetes.Http;

namespace ClusterOps.Core.Scheduling;

/// <summary>Which policies Get-SchedulePolicy lists: cluster-scoped ones, or with a namespace the namespaced ones there.</summary>
public sealed record SchedulePolicyQuery(IReadOnlyList<string>? Names = null, string? Namespace = null);

/// <summary>A MigrationSchedule that names a policy (what blocks Remove-SchedulePolicy).</summary>
public sealed record SchedulePolicyReference(string Namespace, string Schedule)
{
    public override string ToString() => $"{Namespace}/{Schedule}";
}

/// <summary>
/// Schedule policies in the cluster: create, list, change by merge patch, remove (refused while referenced), and the
/// lookup Stork's controller does (namespaced policy first, then the cluster policy).
/// </summary>
public sealed class SchedulePolicyOperations
{
    public const string NotFound = "SchedulePolicyNotFound";
    public const string InUse = "SchedulePolicyInUse";
    public const string Conflict = "SchedulePolicyChangedConcurrently";

    private readonly KubeClient _client;

    public SchedulePolicyOperations(KubeClient client) => _client = client;

    /// <summary>New-SchedulePolicy: validated as Stork validates; warnings (e.g. a date Stork skips in short months) are shown.</summary>
    public async Task<SchedulePolicyInfo?> CreateAsync(string name, string? @namespace, SchedulePolicyParameters parameters, IOperationContext context)
    {
        var (spec, warnings) = parameters.BuildNew(name);
        foreach (var warning in warnings)
            context.WriteWarning(warning.Message);
        var document = SchedulePolicyDocument.Create(name, @namespace, spec);
        var type = StorkResources.Policies(document.Scope);
        await StorkResources.EnsureInstalledAsync(_client, type, context.CancellationToken).ConfigureAwait(false);
        var target = Describe(document.Scope, @namespace, name);
        if (!context.ShouldProcess(target, $"Create {document.Kind} ({Summary(spec)})"))
            return null;
        var created = await _client.CreateAsync(type, @namespace, document.Json, null, context.CancellationToken).ConfigureAwait(false);
        return SchedulePolicyInfo.From(SchedulePolicyDocument.FromJson(created));
    }

    /// <summary>Get-SchedulePolicy: literal names are fetched (a missing one is a non-terminating error), wildcards filter a list.</summary>
    public async IAsyncEnumerable<SchedulePolicyInfo> GetAsync(SchedulePolicyQuery query, IOperationContext context,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var scope = query.Namespace is null ? SchedulePolicyScope.Cluster : SchedulePolicyScope.Namespaced;
        var type = StorkResources.Policies(scope);
        await StorkResources.EnsureInstalledAsync(_client, type, cancellationToken).ConfigureAwait(false);
        await foreach (var item in StorkQuery.GetAsync(_client, type, query.Namespace, query.Names, context, cancellationToken).ConfigureAwait(false))
            yield return SchedulePolicyInfo.From(SchedulePolicyDocument.FromJson(item));
    }

    /// <summary>
    /// Set-SchedulePolicy: the given values replace the current ones, <paramref name="clear"/> removes sections. Sent as a
    /// merge patch carrying the resourceVersion that was read: a concurrent change is re-read and re-applied (three tries).
    /// </summary>
    public async Task<SchedulePolicyInfo?> SetAsync(string name, string? @namespace, SchedulePolicyParameters parameters,
        IReadOnlyCollection<SchedulePolicyType> clear, IOperationContext context)
    {
        var scope = @namespace is null ? SchedulePolicyScope.Cluster : SchedulePolicyScope.Namespaced;
        var type = StorkResources.Policies(scope);
        await StorkResources.EnsureInstalledAsync(_client, type, context.CancellationToken).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            var current = await _client.TryGetAsync(type, @namespace, name, context.CancellationToken).ConfigureAwait(false)
                ?? throw Missing(scope, @namespace, name);
            var document = SchedulePolicyDocument.FromJson(current);
            var currentSpec = document.ReadSpec();
            var (desired, warnings) = parameters.ApplyTo(currentSpec, name, clear);
            var patch = SchedulePolicyPatch.ForSpec(currentSpec, desired, document.ResourceVersion);
            if (patch is null)
            {
                context.WriteVerbose($"{Describe(scope, @namespace, name)} already has these values; nothing to change.");
                return SchedulePolicyInfo.From(document);
            }
            if (attempt == 1)
            {
                foreach (var warning in warnings)
                    context.WriteWarning(warning.Message);
                if (!context.ShouldProcess(Describe(scope, @namespace, name), $"Change the policy to {Summary(desired)}"))
                    return null;
            }
            try
            {
                var patched = await _client.PatchAsync(type, @namespace, name, KubePatch.Merge(patch), null, context.CancellationToken).ConfigureAwait(false);
                return SchedulePolicyInfo.From(SchedulePolicyDocument.FromJson(patched));
            }
            catch (KubeApiException ex) when (ex.IsConflict && attempt < 3)
            {
                context.WriteVerbose($"{Describe(scope, @namespace, name)} changed while it was being updated; reading it again.");
            }
            catch (KubeApiException ex) when (ex.IsConflict)
            {
                throw new OperationException(Conflict, FailureKind.ResourceBusy,
                    $"{Describe(scope, @namespace, name)} kept changing while it was being updated; nothing was changed. Try again.", name, ex);
            }
        }
    }

    /// <summary>
    /// Remove-SchedulePolicy: refused while any MigrationSchedule (any namespace) names the policy, unless
    /// <paramref name="force"/>; the schedules are listed either way.
    /// </summary>
    public async Task<SchedulePolicyInfo?> RemoveAsync(string name, string? @namespace, bool force, IOperationContext context)
    {
        var scope = @namespace is null ? SchedulePolicyScope.Cluster : SchedulePolicyScope.Namespaced;
        var type = StorkResources.Policies(scope);
        await StorkResources.EnsureInstalledAsync(_client, type, context.CancellationToken).ConfigureAwait(false);
        var current = await _client.TryGetAsync(type, @namespace, name, context.CancellationToken).ConfigureAwait(false)
            ?? throw Missing(scope, @namespace, name);
        var users = await ReferencesAsync(name, @namespace, context.CancellationToken).ConfigureAwait(false);
        var target = Describe(scope, @namespace, name);
        if (users.Count > 0)
        {
            var list = string.Join(", ", users);
            if (!force)
                throw new OperationException(InUse, FailureKind.ResourceBusy,
                    $"{target} is used by {users.Count} MigrationSchedule(s): {list}. Stork stops migrating for them if it is removed. Remove or repoint them first, or use -Force.", name)
                {
                    RecommendedAction = "Get-MigrationSchedule -AllNamespaces | Where-Object PolicyName -eq '" + name + "'",
                };
            context.WriteWarning($"{target} is used by {list}: those schedules will log 'Error checking if migration should be triggered' and stop migrating.");
        }
        if (!context.ShouldProcess(target, "Delete the schedule policy"))
            return null;
        await _client.DeleteAsync(type, @namespace, name, null, context.CancellationToken).ConfigureAwait(false);
        return SchedulePolicyInfo.From(SchedulePolicyDocument.FromJson(current));
    }

    /// <summary>
    /// The policy a schedule in <paramref name="namespace"/> would use, as Stork looks it up: the NamespacedSchedulePolicy
    /// namespace/name first (when the cluster serves that kind), then the cluster-scoped SchedulePolicy.
    /// </summary>
    public async Task<SchedulePolicyInfo?> TryResolveAsync(string name, string? @namespace, CancellationToken cancellationToken)
    {
        await StorkResources.EnsureInstalledAsync(_client, StorkResources.SchedulePolicies, cancellationToken).ConfigureAwait(false);
        if (@namespace is not null && await StorkResources.IsServedAsync(_client, StorkResources.NamespacedSchedulePolicies, cancellationToken).ConfigureAwait(false)
            && await _client.TryGetAsync(StorkResources.NamespacedSchedulePolicies, @namespace, name, cancellationToken).ConfigureAwait(false) is { } namespaced)
            return SchedulePolicyInfo.From(SchedulePolicyDocument.FromJson(namespaced));
        var cluster = await _client.TryGetAsync(StorkResources.SchedulePolicies, null, name, cancellationToken).ConfigureAwait(false);
        return cluster is null ? null : SchedulePolicyInfo.From(SchedulePolicyDocument.FromJson(cluster));
    }

    public async Task<SchedulePolicyInfo> ResolveAsync(string name, string? @namespace, CancellationToken cancellationToken) =>
        await TryResolveAsync(name, @namespace, cancellationToken).ConfigureAwait(false)
        ?? throw new OperationException(NotFound, FailureKind.ObjectNotFound,
            @namespace is null
                ? $"Schedule policy '{name}' was not found."
                : $"Schedule policy '{name}' was not found: neither a NamespacedSchedulePolicy in namespace '{@namespace}' nor a cluster SchedulePolicy has that name.",
            name);

    /// <summary>Schedules that would use the policy: for a namespaced policy those of its namespace, else those of every namespace.</summary>
    public async Task<IReadOnlyList<SchedulePolicyReference>> ReferencesAsync(string name, string? @namespace, CancellationToken cancellationToken)
    {
        var found = new List<SchedulePolicyReference>();
        if (!await StorkResources.IsServedAsync(_client, StorkResources.MigrationSchedules, cancellationToken).ConfigureAwait(false))
            return found;
        await foreach (var schedule in _client.ListAsync(StorkResources.MigrationSchedules, @namespace, null, cancellationToken).ConfigureAwait(false))
        {
            if (StorkResources.Text(schedule, "spec", "schedulePolicyName") == name)
                found.Add(new SchedulePolicyReference(StorkResources.Namespace(schedule) ?? "", StorkResources.Name(schedule)));
        }
        if (@namespace is null && found.Count > 0
            && await StorkResources.IsServedAsync(_client, StorkResources.NamespacedSchedulePolicies, cancellationToken).ConfigureAwait(false))
        {
            // A schedule whose namespace has its own NamespacedSchedulePolicy of that name never reads the cluster policy.
            var shadowed = new HashSet<string>(StringComparer.Ordinal);
            await foreach (var policy in _client.ListAsync(StorkResources.NamespacedSchedulePolicies, null, null, cancellationToken).ConfigureAwait(false))
            {
                if (StorkResources.Name(policy) == name)
                    shadowed.Add(StorkResources.Namespace(policy) ?? "");
            }
            found.RemoveAll(r => shadowed.Contains(r.Namespace));
        }
        return found.OrderBy(r => r.Namespace, StringComparer.Ordinal).ThenBy(r => r.Schedule, StringComparer.Ordinal).ToList();
    }

    internal static string Summary(SchedulePolicySpec spec)
    {
        var parts = new List<string>();
        if (spec.Interval is { } i) parts.Add($"interval {i.IntervalMinutes} min");
        if (spec.Daily is { } d) parts.Add($"daily {d.Time}");
        if (spec.Weekly is { } w) parts.Add($"weekly {w.Day}@{w.Time}");
        if (spec.Monthly is { } m) parts.Add($"monthly {m.Date}@{m.Time}");
        return parts.Count == 0 ? "no sections" : string.Join(", ", parts);
    }

    private static string Describe(SchedulePolicyScope scope, string? ns, string name) =>
        scope == SchedulePolicyScope.Cluster ? $"SchedulePolicy {name}" : $"NamespacedSchedulePolicy {ns}/{name}";

    private static OperationException Missing(SchedulePolicyScope scope, string? ns, string name) =>
        new(NotFound, FailureKind.ObjectNotFound,
            scope == SchedulePolicyScope.Cluster ? $"SchedulePolicy '{name}' was not found." : $"NamespacedSchedulePolicy '{name}' was not found in namespace '{ns}'.", name);
}

/// <summary>Get-ScheduleTrigger -Name: the cluster's policy (looked up as Stork does) and, optionally, a schedule's history.</summary>
public static class ClusterTriggerPreview
{
    /// <summary>
    /// The policy a schedule in <paramref name="namespace"/> named <paramref name="policyName"/> would use, and, when
    /// <paramref name="scheduleName"/> names an existing MigrationSchedule there, its last trigger per type (the newest
    /// creationTimestamp in its status), so the preview continues from the schedule's real history.
    /// </summary>
    public static async Task<(SchedulePolicyInfo Policy, IReadOnlyDictionary<SchedulePolicyType, DateTimeOffset>? LastTriggers)> LoadAsync(
        KubeClient client, string policyName, string? @namespace, string? scheduleName, IOperationContext context)
    {
        var policy = await new SchedulePolicyOperations(client).ResolveAsync(policyName, @namespace, context.CancellationToken).ConfigureAwait(false);
        context.WriteVerbose($"Using {policy.Kind} '{policy.Name}'{(policy.Namespace is null ? "" : $" of namespace '{policy.Namespace}'")}.");
        if (scheduleName is null || @namespace is null)
            return (policy, null);
        var schedule = await client.TryGetAsync(StorkResources.MigrationSchedules, @namespace, scheduleName, context.CancellationToken).ConfigureAwait(false);
        if (schedule is null)
            return (policy, null);
        var last = MigrationScheduleStatus.LastTriggers(schedule);
        context.WriteVerbose($"Continuing from MigrationSchedule {@namespace}/{scheduleName}: " +
            (last.Count == 0 ? "it has not triggered yet." : string.Join(", ", last.Select(p => $"{p.Key} last at {p.Value:o}"))));
        return (policy, last);
    }
}
