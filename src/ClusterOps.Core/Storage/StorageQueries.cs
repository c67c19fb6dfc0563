using System.Runtime.CompilerServices;
using ClusterOps.Core.Common;
using ClusterOps.Kubernetes.Errors;
using ClusterOps.Kubernetes.Http;
using ClusterOps.Kubernetes.Resources;

namespace ClusterOps.Core.Storage;

/// <summary>What Get-PersistentVolumeClaim asks: <paramref name="Namespace"/> null means all namespaces.</summary>
public sealed record ClaimQuery(string? Namespace, IReadOnlyList<string>? Names = null, string? Selector = null, string? Status = null);

/// <summary>What Get-PersistentVolume asks.</summary>
public sealed record VolumeQuery(IReadOnlyList<string>? Names = null, string? Selector = null);

/// <summary>
/// Claim and volume listings. Results stream: each object is yielded as its page arrives. Literal names are fetched
/// directly and a missing one is a non-terminating ObjectNotFound; wildcards and -Selector filter a paged list (the
/// selector server-side, names client-side).
/// </summary>
public sealed class StorageQueries
{
    private readonly KubeClient _client;
    private readonly TimeProvider _time;

    public StorageQueries(KubeClient client, TimeProvider? time = null)
    {
        _client = client;
        _time = time ?? TimeProvider.System;
    }

    public static readonly IReadOnlyList<string> ClaimPhases = new[] { "Bound", "Pending", "Lost" };

    public async IAsyncEnumerable<PersistentVolumeClaimInfo> ListClaimsAsync(ClaimQuery query, IOperationContext ctx,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        var selector = LabelSelector.Parse(query.Selector);
        var names = new NameFilter(query.Names);
        if (query.Status is not null && !ClaimPhases.Contains(query.Status, StringComparer.OrdinalIgnoreCase))
            throw new OperationException("InvalidClaimStatus", FailureKind.InvalidArgument,
                $"-Status must be one of {string.Join(", ", ClaimPhases)}; got '{query.Status}'.", query.Status);
        bool Keep(PersistentVolumeClaim c) =>
            selector.Matches(c.Metadata.Labels) && names.IsMatch(c.Metadata.Name ?? "")
            && (query.Status is null || string.Equals(c.Status?.Phase, query.Status, StringComparison.OrdinalIgnoreCase));

        if (names.LiteralsOnly && query.Namespace is not null)
        {
            foreach (var name in names.Literals)
            {
                var pvc = await _client.TryGetAsync(KubeResources.PersistentVolumeClaims, query.Namespace, name, ct).ConfigureAwait(false);
                if (pvc is null)
                    ctx.WriteError(new OperationException("PersistentVolumeClaimNotFound", FailureKind.ObjectNotFound,
                        $"PersistentVolumeClaim '{name}' was not found in namespace '{query.Namespace}'.", name));
                else if (Keep(pvc))
                    yield return PersistentVolumeClaimInfo.From(pvc, _time.GetUtcNow());
            }
            yield break;
        }

        // Only literal names can be "not found": remember those alone, so memory does not grow with the list.
        var found = names.Literals.Count > 0 ? new HashSet<string>(StringComparer.Ordinal) : null;
        var options = new ListOptions { LabelSelector = selector.IsEmpty ? null : selector.ToString() };
        await foreach (var pvc in _client.ListAsync(KubeResources.PersistentVolumeClaims, query.Namespace, options, ct).ConfigureAwait(false))
        {
            if (!Keep(pvc))
                continue;
            if (found is not null && names.Literals.Contains(pvc.Metadata.Name ?? "", StringComparer.Ordinal))
                found.Add(pvc.Metadata.Name!);
            yield return PersistentVolumeClaimInfo.From(pvc, _time.GetUtcNow());
        }
        foreach (var literal in names.Literals.Where(l => !found!.Contains(l)))
            ctx.WriteError(new OperationException("PersistentVolumeClaimNotFound", FailureKind.ObjectNotFound,
                $"PersistentVolumeClaim '{literal}' was not found{(query.Namespace is null ? "" : $" in namespace '{query.Namespace}'")}.", literal));
    }

    public async IAsyncEnumerable<PersistentVolumeInfo> ListVolumesAsync(VolumeQuery query, IOperationContext ctx,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        var selector = LabelSelector.Parse(query.Selector);
        var names = new NameFilter(query.Names);
        if (names.LiteralsOnly)
        {
            foreach (var name in names.Literals)
            {
                var pv = await _client.TryGetAsync(KubeResources.PersistentVolumes, null, name, ct).ConfigureAwait(false);
                if (pv is null)
                    ctx.WriteError(new OperationException("PersistentVolumeNotFound", FailureKind.ObjectNotFound, $"PersistentVolume '{name}' was not found.", name));
                else if (selector.Matches(pv.Metadata.Labels))
                    yield return PersistentVolumeInfo.From(pv, _time.GetUtcNow());
            }
            yield break;
        }
        var found = names.Literals.Count > 0 ? new HashSet<string>(StringComparer.Ordinal) : null;
        var options = new ListOptions { LabelSelector = selector.IsEmpty ? null : selector.ToString() };
        await foreach (var pv in _client.ListAsync(KubeResources.PersistentVolumes, null, options, ct).ConfigureAwait(false))
        {
            if (!names.IsMatch(pv.Metadata.Name ?? "") || !selector.Matches(pv.Metadata.Labels))
                continue;
            if (found is not null && names.Literals.Contains(pv.Metadata.Name ?? "", StringComparer.Ordinal))
                found.Add(pv.Metadata.Name!);
            yield return PersistentVolumeInfo.From(pv, _time.GetUtcNow());
        }
        foreach (var literal in names.Literals.Where(l => !found!.Contains(l)))
            ctx.WriteError(new OperationException("PersistentVolumeNotFound", FailureKind.ObjectNotFound, $"PersistentVolume '{literal}' was not found.", literal));
    }
}
