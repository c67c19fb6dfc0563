using System.Text.Json.Nodes;
using ClusterOps.Core.Scheduling;
using ClusterOps.Kubernetes.Errors;
using ClusterOps.Kubernetes.Http;

namespace ClusterOps.Core.Backup;

/// <summary>
/// Whether a backup's claim holds its data: a claim that is not Bound has no volume behind it, whatever the
/// operator's status says. The claim's events (ProvisioningFailed, FailedBinding, ...) are what explain why.
/// </summary>
internal sealed class BackupClaimCheck
{
    private const int EventsShown = 5;
    private readonly KubeClient _client;

    public BackupClaimCheck(KubeClient client) => _client = client;

    /// <param name="lead">The sentence the error starts with (what was being done when the claim was found unbound).</param>
    /// <param name="claim">The claim when already read; read here otherwise.</param>
    /// <returns>Null when the claim is Bound; otherwise the error to report, carrying the claim's events.</returns>
    public async Task<BackupClaimNotBoundException?> FindUnboundAsync(string ns, string claimName, string lead, CancellationToken ct, JsonObject? claim = null)
    {
        claim ??= await _client.TryGetAsync(ThreescaleResources.Claims, ns, claimName, ct).ConfigureAwait(false);
        var phase = ClaimInfo.Status(claimName, claim)!;
        if (phase == "Bound")
            return null;
        var events = claim is null ? Array.Empty<KubeEventInfo>() : await EventsAsync(ns, claimName, ct).ConfigureAwait(false);
        var why = events.Count == 0
            ? "The claim has no events: check that its StorageClass's provisioner is running."
            : "Claim events: " + string.Join("; ", events.TakeLast(EventsShown).Select(e => $"{e.Type} {e.Reason}: {e.Message}")) + ".";
        var message = $"{lead} Its claim '{claimName}' is {phase}, not Bound: no volume holds the backup data, and a restore from it is refused. {why}";
        return new BackupClaimNotBoundException(BackupErrorIds.BackupClaimNotBound, message, claimName, phase, events)
        {
            RecommendedAction = $"Read the claim's events (Get-KubeEvent -Kind PersistentVolumeClaim -Name {claimName} -Namespace {ns}), fix the StorageClass or volume, then remove the backup with Remove-ApiManagerBackup -IncludeVolume and start it again.",
        };
    }

    private async Task<IReadOnlyList<KubeEventInfo>> EventsAsync(string ns, string claimName, CancellationToken ct)
    {
        try
        {
            var events = new List<KubeEventInfo>();
            await foreach (var e in new KubeEventOperations(_client).GetAsync(new KubeEventQuery("PersistentVolumeClaim", claimName, ns), ct).ConfigureAwait(false))
                events.Add(e);
            return events;
        }
        catch (KubeApiException ex) when (ex.StatusCode == System.Net.HttpStatusCode.Forbidden)
        {
            return Array.Empty<KubeEventInfo>(); // the phase alone is still worth reporting
        }
    }
}
