using ClusterOps.Core.Common;
using ClusterOps.Kubernetes.Http;
using ClusterOps.Kubernetes.Resources;

namespace ClusterOps.Core.Backup;

/// <summary>APIManagerRestore: create after preflight, follow, list.</summary>
public sealed class ApiManagerRestoreOperations
{
    internal const int ProgressActivityId = 3702;
    private readonly KubeClient _client;

    public ApiManagerRestoreOperations(KubeClient client) => _client = client;

    public async Task<ApiManagerRestoreInfo?> StartAsync(RestoreRequest request, WaitOptions wait, IOperationContext context)
    {
        var ct = context.CancellationToken;
        RestorePreflight.ValidateRequest(request);
        await ThreescaleResources.EnsureInstalledAsync(_client, ThreescaleApi.RestorePlural, ct).ConfigureAwait(false);
        var ns = request.Namespace;

        var backup = string.IsNullOrEmpty(request.BackupName) ? null
            : await _client.TryGetAsync(ThreescaleResources.Backups, ns, request.BackupName, ct).ConfigureAwait(false);
        var claimName = RestorePreflight.ResolveClaimName(request, backup);
        var claim = _client.TryGetAsync(ThreescaleResources.Claims, ns, claimName, ct);
        var secrets = ThreescaleResources.NamesAsync(_client, KubeResources.Secrets, ns, ct);
        var apiManagers = _client.ListAllAsync(ThreescaleResources.ApiManagers, ns, null, ct);
        var systemStorage = _client.TryGetAsync(ThreescaleResources.Claims, ns, ThreescaleApi.SystemStorageClaim, ct);
        // The namespace's backups and restores: the one of this name, and any still running (OperationsInFlight).
        var operations = OperationsInFlight.ListAsync(_client, ns, ct);
        await Task.WhenAll(claim, secrets, apiManagers, systemStorage, operations).ConfigureAwait(false);

        var plan = RestorePreflight.Evaluate(request, claimName, new RestoreClusterState(
            (await operations.ConfigureAwait(false)).Restore(request.Name), await claim.ConfigureAwait(false), await secrets.ConfigureAwait(false),
            (await apiManagers.ConfigureAwait(false)).Items, await systemStorage.ConfigureAwait(false)));
        foreach (var warning in plan.Warnings)
            context.WriteWarning(warning);
        if (OperationsInFlight.Check(await operations.ConfigureAwait(false), $"{ThreescaleApi.RestoreKind} '{request.Name}'", ns, request.Force) is { } busy)
            context.WriteWarning(busy);

        var target = $"APIManagerRestore {ns}/{request.Name}";
        var what = plan.ApiManagerName is null ? "the APIManager in the backup" : $"APIManager '{plan.ApiManagerName}'";
        if (!context.ShouldProcess(target, $"Restore {what} from claim '{claimName}'"))
            return null;
        var created = await _client.CreateAsync(ThreescaleResources.Restores, ns, plan.Resource, null, ct).ConfigureAwait(false);
        context.WriteVerbose($"Created {target} (uid {created.Uid()}); the 3scale operator now performs the restore.");
        if (wait.Wait)
        {
            var follower = new OperatorFollower(_client, new FollowSpec(ThreescaleResources.Restores, ns, request.Name,
                $"Restoring {what} from '{claimName}'", ProgressActivityId,
                (cr, jobs, pods, apiManagers) => RestoreProgress.Interpret(cr, jobs, pods,
                    apiManagers.FirstOrDefault(a => a.Name() == (cr.Str("status", "apiManagerToRestoreRef", "name") ?? plan.ApiManagerName))),
                true, BackupErrorIds.RestoreJobFailed, BackupErrorIds.RestoreTimedOut), context);
            created = await follower.FollowAsync(wait.Timeout).ConfigureAwait(false);
        }
        if (!wait.Wait && !wait.PassThru)
            return null;
        return ApiManagerRestoreInfo.From(created, await claim.ConfigureAwait(false), _client.ContextName);
    }

    public async IAsyncEnumerable<ApiManagerRestoreInfo> GetAsync(BackupQuery query, IOperationContext context)
    {
        var ct = context.CancellationToken;
        await ThreescaleResources.EnsureInstalledAsync(_client, ThreescaleApi.RestorePlural, ct).ConfigureAwait(false);
        var ns = query.AllNamespaces ? null : query.Namespace;
        var all = await _client.ListAllAsync(ThreescaleResources.Restores, ns, null, ct).ConfigureAwait(false);
        var patterns = NamePattern.From(query.Names);
        var found = all.Items.Where(i => NamePattern.MatchesAny(patterns, i.Name()))
            .OrderBy(r => r.Str("metadata", "namespace"), StringComparer.Ordinal).ThenBy(r => r.Name(), StringComparer.Ordinal).ToList();
        var claims = (await _client.ListAllAsync(ThreescaleResources.Claims, ns, null, ct).ConfigureAwait(false)).Items
            .ToDictionary(c => (c.Str("metadata", "namespace") ?? "", c.Name()));
        foreach (var restore in found)
        {
            var claimName = restore.Str("spec", "restoreSource", "persistentVolumeClaim", "claimSource", "claimName") ?? "";
            claims.TryGetValue((restore.Str("metadata", "namespace") ?? "", claimName), out var claim);
            yield return ApiManagerRestoreInfo.From(restore, claim, _client.ContextName);
        }
        ApiManagerBackupOperations.ReportUnmatched(query, found, ThreescaleApi.RestoreKind, BackupErrorIds.RestoreNotFound, context);
    }
}
