using System.Text.Json.Nodes;
using ClusterOps.Core.Common;
using ClusterOps.Kubernetes.Errors;
using ClusterOps.Kubernetes.Http;
using ClusterOps.Kubernetes.Resources;

namespace ClusterOps.Core.Backup;

/// <summary>How long and whether to follow an operation the operator carries out.</summary>
public sealed record WaitOptions(bool Wait, TimeSpan? Timeout, bool PassThru);

/// <summary>Which backups or restores to list: -Name patterns (wildcards allowed) in one namespace or in all.</summary>
public sealed record BackupQuery(string? Namespace, IReadOnlyList<string>? Names = null, bool AllNamespaces = false);

/// <summary>Remove one backup: its resource always, its data claim only with <see cref="IncludeVolume"/>.</summary>
public sealed record BackupRemoval(string Name, string Namespace, bool IncludeVolume);

/// <summary>APIManagerBackup: create after preflight, follow, list, remove.</summary>
public sealed class ApiManagerBackupOperations
{
    internal const int ProgressActivityId = 3701;
    private readonly KubeClient _client;

    public ApiManagerBackupOperations(KubeClient client) => _client = client;

    /// <summary>
    /// Checks every precondition, then creates the APIManagerBackup. With <see cref="WaitOptions.Wait"/> follows it
    /// to completion; emits the backup when waiting or with PassThru. Returns null when ShouldProcess said no.
    /// </summary>
    public async Task<ApiManagerBackupInfo?> StartAsync(BackupRequest request, WaitOptions wait, IOperationContext context)
    {
        var ct = context.CancellationToken;
        BackupPreflight.ValidateRequest(request);
        await ThreescaleResources.EnsureInstalledAsync(_client, ThreescaleApi.BackupPlural, ct).ConfigureAwait(false);

        var ns = request.Namespace;
        var apiManagers = _client.ListAllAsync(ThreescaleResources.ApiManagers, ns, null, ct);
        var claim = _client.TryGetAsync(ThreescaleResources.Claims, ns, request.Name, ct);
        var systemStorage = _client.TryGetAsync(ThreescaleResources.Claims, ns, ThreescaleApi.SystemStorageClaim, ct);
        var secrets = ThreescaleResources.NamesAsync(_client, KubeResources.Secrets, ns, ct);
        var configMaps = ThreescaleResources.NamesAsync(_client, KubeResources.ConfigMaps, ns, ct);
        var storage = ReadStorageAsync(request.VolumeName, ct);
        // The namespace's backups and restores: the one of this name, and any still running (OperationsInFlight).
        var operations = OperationsInFlight.ListAsync(_client, ns, ct);
        await Task.WhenAll(apiManagers, claim, systemStorage, secrets, configMaps, storage, operations).ConfigureAwait(false);

        var plan = BackupPreflight.Evaluate(request, new BackupClusterState(
            (await apiManagers.ConfigureAwait(false)).Items, (await operations.ConfigureAwait(false)).Backup(request.Name), await claim.ConfigureAwait(false),
            await systemStorage.ConfigureAwait(false), await secrets.ConfigureAwait(false), await configMaps.ConfigureAwait(false),
            await storage.ConfigureAwait(false)));
        foreach (var warning in plan.Warnings)
            context.WriteWarning(warning);
        // After the preflight: a backup of this name that already exists is its own, more precise, error.
        if (OperationsInFlight.Check(await operations.ConfigureAwait(false), $"{ThreescaleApi.BackupKind} '{request.Name}'", ns, request.Force) is { } busy)
            context.WriteWarning(busy);

        var target = $"APIManagerBackup {ns}/{request.Name}";
        var destination = string.IsNullOrEmpty(request.VolumeName)
            ? $"a new {request.StorageSize} claim '{request.Name}'{(string.IsNullOrEmpty(request.StorageClass) ? "" : $" of class {request.StorageClass}")}"
            : $"claim '{request.Name}' bound to volume {request.VolumeName}";
        if (!context.ShouldProcess(target, $"Back up APIManager '{plan.ApiManagerName}' to {destination}"))
            return null;

        var created = await _client.CreateAsync(ThreescaleResources.Backups, ns, plan.Resource, null, ct).ConfigureAwait(false);
        context.WriteVerbose($"Created {target} (uid {created.Uid()}); the 3scale operator now performs the backup.");
        if (wait.Wait)
        {
            var follower = new OperatorFollower(_client, new FollowSpec(ThreescaleResources.Backups, ns, request.Name,
                $"Backing up APIManager '{plan.ApiManagerName}' to '{request.Name}'", ProgressActivityId,
                (cr, jobs, pods, _) => BackupProgress.Interpret(cr, jobs, pods), false,
                BackupErrorIds.BackupJobFailed, BackupErrorIds.BackupTimedOut), context);
            try
            {
                created = await follower.FollowAsync(wait.Timeout).ConfigureAwait(false);
            }
            catch (OperationException ex) when (ex.ErrorId == BackupErrorIds.BackupTimedOut)
            {
                // A claim that cannot bind keeps the Job pods unschedulable: say so rather than only "timed out".
                // Only a claim that exists: without one the operator never got that far, which the timeout already says.
                var pending = await _client.TryGetAsync(ThreescaleResources.Claims, ns, request.Name, ct).ConfigureAwait(false);
                var unbound = pending is null ? null
                    : await new BackupClaimCheck(_client).FindUnboundAsync(ns, request.Name, ex.Message, ct, pending).ConfigureAwait(false);
                if (unbound is null)
                    throw;
                // Still the timeout id runbooks match on; the message and the events say why it never finished.
                throw new BackupClaimNotBoundException(ex.ErrorId, unbound.Message, unbound.ClaimName, unbound.Phase, unbound.Events, ex.Kind)
                {
                    RecommendedAction = unbound.RecommendedAction,
                };
            }
        }
        if (!wait.Wait && !wait.PassThru)
            return null;
        var claimName = created.Str("status", "backupPersistentVolumeClaimName") ?? request.Name;
        var finalClaim = await _client.TryGetAsync(ThreescaleResources.Claims, ns, claimName, ct).ConfigureAwait(false);
        if (wait.Wait && created.Bool("status", "completed") == true)
        {
            // The operator counts the backup done when its Jobs succeed; without a Bound claim nothing holds the data.
            var unbound = await new BackupClaimCheck(_client).FindUnboundAsync(ns, claimName,
                $"APIManagerBackup '{request.Name}' completed, but it is not a usable backup.", ct, finalClaim).ConfigureAwait(false);
            if (unbound is not null)
                context.WriteError(unbound, request.Name);
        }
        return ApiManagerBackupInfo.From(created, finalClaim, _client.ContextName);
    }

    /// <summary>The StorageClasses and the named PersistentVolume; null when the user may not read them.</summary>
    private async Task<BackupStorageView?> ReadStorageAsync(string? volumeName, CancellationToken ct)
    {
        try
        {
            var classes = _client.ListAllAsync(ThreescaleResources.StorageClasses, null, null, ct);
            var volume = string.IsNullOrEmpty(volumeName)
                ? Task.FromResult<JsonObject?>(null)
                : _client.TryGetAsync(ThreescaleResources.Volumes, null, volumeName, ct);
            await Task.WhenAll(classes, volume).ConfigureAwait(false);
            return new BackupStorageView((await classes.ConfigureAwait(false)).Items, await volume.ConfigureAwait(false));
        }
        catch (KubeApiException ex) when (ex.StatusCode == System.Net.HttpStatusCode.Forbidden)
        {
            return null;
        }
    }

    /// <summary>Lists backups with their claims. A name without wildcards that matches nothing is a per-item error.</summary>
    public async IAsyncEnumerable<ApiManagerBackupInfo> GetAsync(BackupQuery query, IOperationContext context)
    {
        var ct = context.CancellationToken;
        await ThreescaleResources.EnsureInstalledAsync(_client, ThreescaleApi.BackupPlural, ct).ConfigureAwait(false);
        var ns = query.AllNamespaces ? null : query.Namespace;
        var backups = ListMatching(ThreescaleResources.Backups, ns, query.Names, ct);
        var claims = _client.ListAllAsync(ThreescaleResources.Claims, ns, null, ct);
        var found = (await backups.ConfigureAwait(false)).OrderBy(b => b.Str("metadata", "namespace"), StringComparer.Ordinal)
            .ThenBy(b => b.Name(), StringComparer.Ordinal).ToList();
        var claimIndex = (await claims.ConfigureAwait(false)).Items
            .ToDictionary(c => (c.Str("metadata", "namespace") ?? "", c.Name()));
        foreach (var backup in found)
        {
            var claimName = backup.Str("status", "backupPersistentVolumeClaimName");
            claimIndex.TryGetValue((backup.Str("metadata", "namespace") ?? "", claimName ?? ""), out var claim);
            yield return ApiManagerBackupInfo.From(backup, claim, _client.ContextName);
        }
        ReportUnmatched(query, found, ThreescaleApi.BackupKind, BackupErrorIds.BackupNotFound, context);
    }

    /// <summary>
    /// Deletes the APIManagerBackup (its Jobs go with it) and, only with IncludeVolume and a confirmed prompt that
    /// shows the claim's size and phase, the claim holding the backup data, which otherwise outlives the resource.
    /// </summary>
    public async Task<ApiManagerBackupInfo?> RemoveAsync(BackupRemoval removal, IOperationContext context)
    {
        var ct = context.CancellationToken;
        await ThreescaleResources.EnsureInstalledAsync(_client, ThreescaleApi.BackupPlural, ct).ConfigureAwait(false);
        var ns = removal.Namespace;
        var backup = await _client.TryGetAsync(ThreescaleResources.Backups, ns, removal.Name, ct).ConfigureAwait(false);
        if (backup is null)
        {
            context.WriteError(new OperationException(BackupErrorIds.BackupNotFound, FailureKind.ObjectNotFound,
                $"No APIManagerBackup '{removal.Name}' in namespace '{ns}'.", removal.Name), removal.Name);
            return null;
        }
        var claimName = backup.Str("status", "backupPersistentVolumeClaimName") ?? removal.Name;
        var claim = await _client.TryGetAsync(ThreescaleResources.Claims, ns, claimName, ct).ConfigureAwait(false);
        var info = ApiManagerBackupInfo.From(backup, claim, _client.ContextName);

        var target = $"APIManagerBackup {ns}/{removal.Name}";
        if (context.ShouldProcess(target, "Remove the backup resource" + (removal.IncludeVolume ? "" : $" (its data claim '{claimName}' is kept)")))
        {
            if (!info.Completed)
                context.WriteWarning($"APIManagerBackup '{removal.Name}' has not completed; its running Jobs are deleted with it.");
            await _client.DeleteAsync(ThreescaleResources.Backups, ns, removal.Name,
                new DeleteOptions { PropagationPolicy = "Background", PreconditionUid = backup.Uid() }, ct).ConfigureAwait(false);
            context.WriteVerbose($"Removed {target}.");
        }

        if (!removal.IncludeVolume)
            return info;
        if (claim is null)
        {
            context.WriteVerbose($"The backup claim '{claimName}' does not exist; nothing else to remove.");
            return info;
        }
        var annotations = claim.Annotations();
        if (!annotations.TryGetValue(ThreescaleApi.ClaimBackupNameAnnotation, out var owner) || owner != removal.Name)
        {
            // The claim carries the backup's name but was not written by this backup: it is not ours to delete.
            context.WriteError(new OperationException(BackupErrorIds.ClaimDeleteSkipped, FailureKind.InvalidOperation,
                $"Claim '{claimName}' was not written by APIManagerBackup '{removal.Name}' (its apiManagerBackupName annotation is '{owner ?? "<none>"}'); it was not deleted.",
                claimName), claimName);
            return info;
        }
        var size = ClaimInfo.Size(claim) ?? "unknown size";
        var phase = claim.Str("status", "phase") ?? "Pending";
        if (context.ShouldProcess($"PersistentVolumeClaim {ns}/{claimName} ({size}, {phase})",
                "Delete the claim holding the backup data; with a Delete reclaim policy the data is destroyed"))
        {
            await _client.DeleteAsync(ThreescaleResources.Claims, ns, claimName,
                new DeleteOptions { PreconditionUid = claim.Uid() }, ct).ConfigureAwait(false);
            context.WriteVerbose($"Deleted claim {ns}/{claimName} ({size}).");
        }
        return info;
    }

    internal async Task<List<JsonObject>> ListMatching(ResourceType<JsonObject> type, string? ns, IReadOnlyList<string>? names, CancellationToken ct)
    {
        var all = await _client.ListAllAsync(type, ns, null, ct).ConfigureAwait(false);
        var patterns = NamePattern.From(names);
        return all.Items.Where(i => NamePattern.MatchesAny(patterns, i.Name())).ToList();
    }

    internal static void ReportUnmatched(BackupQuery query, IReadOnlyCollection<JsonObject> found, string kind, string errorId, IOperationContext context)
    {
        foreach (var name in query.Names ?? Array.Empty<string>())
        {
            if (NamePattern.ContainsWildcards(name) || found.Any(f => string.Equals(f.Name(), name, StringComparison.OrdinalIgnoreCase)))
                continue;
            var where = query.AllNamespaces ? "any namespace" : $"namespace '{query.Namespace}'";
            context.WriteError(new OperationException(errorId, FailureKind.ObjectNotFound, $"No {kind} '{name}' in {where}.", name), name);
        }
    }
}
