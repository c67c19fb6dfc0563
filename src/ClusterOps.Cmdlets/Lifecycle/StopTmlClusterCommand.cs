using System.Management.Automation;
using ClusterOps.Core.Lifecycle;
using ClusterOps.Kubernetes;

namespace ClusterOps.Cmdlets.Lifecycle;

/// <summary>Stops a Mashery Local cluster keeping its volumes: scale to zero (default) or undeploy with a restore record.</summary>
[Cmdlet(VerbsLifecycle.Stop, "TmlCluster", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = DefaultSet)]
// Silent by default; -PassThru emits the cluster acted on (one ClusterComponentInfo per component). Each step is a
// LifecycleStepRecord on the information stream (-InformationVariable, -InformationAction Continue) and a verbose line.
[OutputType(typeof(ClusterComponentInfo))]
public sealed class StopTmlClusterCommand : TmlChangeCmdlet
{
    private const string DefaultSet = "Default";

    [Parameter(ParameterSetName = DefaultSet)]
    public StopMode Mode { get; set; } = StopMode.ScaleToZero;

    /// <summary>How long to wait for one component's pods to terminate.</summary>
    [Parameter(ParameterSetName = DefaultSet)]
    [ValidateRange(1, 86400)]
    public int TimeoutSec { get; set; } = 300;

    [Parameter(ParameterSetName = DefaultSet)]
    public SwitchParameter Force { get; set; }

    [Parameter(ParameterSetName = DefaultSet)]
    public SwitchParameter PassThru { get; set; }

    protected override Task ProcessAsync(KubeSession session, CancellationToken cancellationToken)
    {
        var ns = session.Namespace;
        return !FirstTimeFor(session, ns) ? Task.CompletedTask : new ClusterLifecycle(new KubeClusterApi(session.Client), lease: Lease($"-Mode {Mode}", TimeoutSec)).StopAsync(
            new StopRequest(ns, Zones, Mode, TimeSpan.FromSeconds(TimeoutSec), PassThru),
            ConfirmationFor(Force));
    }
}
