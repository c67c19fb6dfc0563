using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using ClusterOps.Core.Common;
using ClusterOps.Kubernetes.Http;
using ClusterOps.Kubernetes.Resources;

namespace ClusterOps.Core.Scheduling;

/// <summary>Get-Migration's filter: <see cref="Namespace"/> null means all namespaces.</summary>
public sealed record MigrationQuery(string? Namespace, IReadOnlyList<string>? Names = null, string? Schedule = null);

/// <summary>Migrations (and ClusterPairs): listing with storkctl's columns and waiting for one to finish.</summary>
public sealed class MigrationOperations
{
    public const string Failed = "MigrationFailed";
    public const string TimedOut = "MigrationWaitTimedOut";
    public const string Deleted = "MigrationDeleted";

    private readonly KubeClient _client;

    public MigrationOperations(KubeClient client) => _client = client;

    public async IAsyncEnumerable<MigrationInfo> GetAsync(MigrationQuery query, IOperationContext context,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await StorkResources.EnsureInstalledAsync(_client, StorkResources.Migrations, cancellationToken).ConfigureAwait(false);
        await foreach (var item in StorkQuery.GetAsync(_client, StorkResources.Migrations, query.Namespace, query.Names, context, cancellationToken).ConfigureAwait(false))
        {
            var info = MigrationInfo.From(item);
            if (query.Schedule is null || info.Schedule == query.Schedule)
                yield return info;
        }
    }

    /// <param name="localKubeConfig">The caller's kubeconfig: each pair then names the local context of its remote cluster.</param>
    public async IAsyncEnumerable<ClusterPairInfo> GetClusterPairsAsync(string? @namespace, IReadOnlyList<string>? names, IOperationContext context,
        [EnumeratorCancellation] CancellationToken cancellationToken = default, ClusterOps.Kubernetes.Config.KubeConfig? localKubeConfig = null)
    {
        await StorkResources.EnsureInstalledAsync(_client, StorkResources.ClusterPairs, cancellationToken).ConfigureAwait(false);
        await foreach (var item in StorkQuery.GetAsync(_client, StorkResources.ClusterPairs, @namespace, names, context, cancellationToken).ConfigureAwait(false))
            yield return ClusterPairInfo.From(item, localKubeConfig);
    }

    /// <summary>
    /// Wait-Migration -For Successful: watches the one Migration (from the list's resourceVersion, so no change is
    /// missed) until it is Successful. Failed, PartialSuccess or Purged end the wait at once with an error naming the
    /// resources and volumes that failed; deletion and the timeout end it too.
    /// </summary>
    public async Task<MigrationInfo> WaitAsync(string name, string @namespace, TimeSpan? timeout, IOperationContext context)
    {
        var ct = context.CancellationToken;
        await StorkResources.EnsureInstalledAsync(_client, StorkResources.Migrations, ct).ConfigureAwait(false);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (timeout is { } t)
            limit.CancelAfter(t);
        var selector = "metadata.name=" + name;
        MigrationInfo? last = null;
        var activity = new OperationProgress(7061, $"Waiting for Migration {@namespace}/{name}", "Reading");
        try
        {
            var list = await _client.ListAllAsync(StorkResources.Migrations, @namespace, new ListOptions { FieldSelector = selector }, limit.Token).ConfigureAwait(false);
            var current = list.Items.FirstOrDefault() ?? throw StorkQuery.NotFound(StorkResources.Migrations, name, @namespace);
            last = MigrationInfo.From(current);
            if (Done(last, context, activity))
                return last;
            await foreach (var change in _client.WatchAsync(StorkResources.Migrations, @namespace,
                               new WatchOptions { ResourceVersion = list.Metadata.ResourceVersion, FieldSelector = selector }, limit.Token).ConfigureAwait(false))
            {
                if (change.Type == WatchEventType.Deleted)
                    throw new OperationException(Deleted, FailureKind.InvalidOperation,
                        $"Migration {@namespace}/{name} was deleted while waiting for it (its MigrationSchedule was removed, or Stork pruned it).", name);
                if (change.Object is not JsonObject obj || change.Type is not (WatchEventType.Added or WatchEventType.Modified))
                    continue;
                last = MigrationInfo.From(obj);
                if (Done(last, context, activity))
                    return last;
            }
            throw new OperationCanceledException(limit.Token);
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new OperationException(TimedOut, FailureKind.OperationTimeout,
                $"Migration {@namespace}/{name} did not finish within -TimeoutSec ({timeout?.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)} s): it is {last?.Status ?? "unknown"} at stage '{last?.Stage}'.", name);
        }
        finally
        {
            context.WriteProgress(activity with { Status = "Done", Completed = true });
        }
    }

    /// <summary>
    /// Wait-Migration -Name a,b: waits for every named Migration at the same time and yields each as it succeeds. What
    /// happens to one Migration (not found, failed, deleted, timed out) is a non-terminating error about that one;
    /// the others are still waited for. A failure of the call itself (Stork not installed, the cluster unreachable)
    /// ends it.
    /// </summary>
    public async IAsyncEnumerable<MigrationInfo> WaitAllAsync(IReadOnlyList<string> names, string @namespace, TimeSpan? timeout, IOperationContext context)
    {
        await StorkResources.EnsureInstalledAsync(_client, StorkResources.Migrations, context.CancellationToken).ConfigureAwait(false);
        var waits = names.Distinct(StringComparer.Ordinal).ToDictionary(n => (Task)WaitAsync(n, @namespace, timeout, context), n => n);
        while (waits.Count > 0)
        {
            var finished = await Task.WhenAny(waits.Keys).ConfigureAwait(false);
            var name = waits[finished];
            waits.Remove(finished);
            MigrationInfo? done = null;
            try
            {
                done = await ((Task<MigrationInfo>)finished).ConfigureAwait(false);
            }
            catch (OperationException ex) when (IsAboutOneMigration(ex))
            {
                context.WriteError(ex, name);
            }
            if (done is not null)
                yield return done;
        }
    }

    private static bool IsAboutOneMigration(OperationException ex) =>
        ex.ErrorId is Failed or TimedOut or Deleted || ex.ErrorId == StorkResources.Migrations.Kind + "NotFound";

    private static bool Done(MigrationInfo migration, IOperationContext context, OperationProgress activity)
    {
        context.WriteProgress(activity with { Status = $"{migration.Status}, stage {(migration.Stage.Length == 0 ? "(none)" : migration.Stage)}", CurrentOperation = $"Volumes {migration.Volumes}, resources {migration.Resources}" });
        context.WriteVerbose($"Migration {migration.Namespace}/{migration.Name}: {migration.Status} at stage '{migration.Stage}'.");
        if (migration.Status == "Successful")
            return true;
        if (migration.Status is "Failed" or "PartialSuccess" or "Purged")
        {
            var failures = migration.Failures();
            var detail = failures.Count == 0 ? "" : " Not migrated: " + string.Join("; ", failures) + ".";
            throw new OperationException(Failed, FailureKind.InvalidOperation,
                $"Migration {migration.Namespace}/{migration.Name} ended {migration.Status} (volumes {migration.Volumes}, resources {migration.Resources}).{detail}", migration)
            {
                RecommendedAction = $"Get-KubeEvent -Kind Migration -Name {migration.Name} -Namespace {migration.Namespace}",
            };
        }
        return false;
    }
}
