using System.Management.Automation;
using ClusterOps.Core.Lifecycle;
using ClusterOps.Kubernetes;

namespace ClusterOps.Cmdlets.Lifecycle;

/// <summary>
/// Starts a stopped Mashery Local cluster in order, waiting (by watch) for each component to be ready; absent objects
/// come from the restore record, or from the TIBCO kit directory (-DefinitionPath).
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "TmlCluster", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = DefaultSet)]
// Silent by default; -PassThru emits the cluster acted on (one ClusterComponentInfo per component). Each step is a
// LifecycleStepRecord on the information stream (-InformationVariable, -InformationAction Continue) and a verbose line.
[OutputType(typeof(ClusterComponentInfo))]
public sealed class StartTmlClusterCommand : TmlChangeCmdlet
{
    private const string DefaultSet = "Default";

    /// <summary>How long to wait for each component's pods to become Ready.</summary>
    [Parameter(ParameterSetName = DefaultSet)]
    [ValidateRange(1, 86400)]
    public int TimeoutSec { get; set; } = 600;

    /// <summary>Start even if some claims are not Bound (and do not prompt).</summary>
    [Parameter(ParameterSetName = DefaultSet)]
    public SwitchParameter Force { get; set; }

    [Parameter(ParameterSetName = DefaultSet)]
    public SwitchParameter PassThru { get; set; }

    /// <summary>
    /// The TIBCO kit directory (the one holding start-tml-cluster.sh): absent objects are created from its YAML and
    /// property files, for a cluster stopped by the kit's own stop script. Relative to the PowerShell location.
    /// </summary>
    [Parameter(ParameterSetName = DefaultSet)]
    [ValidateNotNullOrEmpty]
    public string? DefinitionPath { get; set; }

    protected override Task ProcessAsync(KubeSession session, CancellationToken cancellationToken)
    {
        var ns = session.Namespace;
        return !FirstTimeFor(session, ns) ? Task.CompletedTask : new ClusterLifecycle(new KubeClusterApi(session.Client), lease: Lease(waitTimeoutSec: TimeoutSec)).StartAsync(
            new StartRequest(ns, Zones, TimeSpan.FromSeconds(TimeoutSec), Force, PassThru, DefinitionPath is null ? null : ResolvePath(DefinitionPath)),
            ConfirmationFor(Force));
    }
}
