using System.Management.Automation;
using ClusterOps.Cmdlets.Infrastructure;
using ClusterOps.Core.Storage;
using ClusterOps.Kubernetes;

namespace ClusterOps.Cmdlets.Storage;

/// <summary>
/// Waits (with a watch) until claims reach a phase, emitting each as it does. Piped claims are gathered and waited
/// on together at the end, every namespace at the same time, so ten claims take as long as the slowest, not the sum.
/// A claim that misses the timeout is a non-terminating error of its own.
/// </summary>
[Cmdlet(VerbsLifecycle.Wait, "PersistentVolumeClaim", DefaultParameterSetName = DefaultSet)]
[OutputType(typeof(PersistentVolumeClaimInfo))]
public sealed class WaitPersistentVolumeClaimCommand : NamespacedKubeCmdlet
{
    private const string DefaultSet = "Default";
    // Filled concurrently when -Context names several contexts.
    private readonly System.Collections.Concurrent.ConcurrentQueue<(KubeSession Session, string Namespace, string Name)> _claims = new();

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = DefaultSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(PersistentVolumeClaimNameCompleter))]
    [ValidateKubeName()]
    public string[] Name { get; set; } = Array.Empty<string>();

    [Parameter(ParameterSetName = DefaultSet)]
    [ValidateSet("Bound", "Pending", "Lost")]
    public string For { get; set; } = "Bound";

    [Parameter(ParameterSetName = DefaultSet)]
    [ValidateRange(1, 86400)]
    public int TimeoutSec { get; set; } = 300;

    protected override Task ProcessAsync(KubeSession session, CancellationToken cancellationToken)
    {
        var ns = session.Namespace;
        foreach (var name in Name)
            _claims.Enqueue((session, ns, name));
        return Task.CompletedTask;
    }

    /// <summary>Each context's claims are waited on in that context (several contexts: concurrently, as a fleet runs).</summary>
    protected override Task EndProcessingAsync(CancellationToken cancellationToken)
    {
        var byContext = _claims.GroupBy(c => c.Session.ContextName).ToDictionary(g => g.Key, g => g.ToList());
        return ForEachSessionAsync(byContext.Values.Select(claims => claims[0].Session).ToList(), session => WriteAllAsync(ClaimWaiter.WaitManyAsync(
            byContext[session.ContextName].GroupBy(c => c.Namespace).Select((group, i) =>
                (new ClaimWaiter(group.First().Session.Client),
                 new ClaimWaitRequest(group.Key, group.Select(c => c.Name).ToList(), For, TimeSpan.FromSeconds(TimeoutSec),
                     ClaimWaiter.ProgressActivityId + i))).ToList(),
            Operation, cancellationToken)), cancellationToken);
    }
}
