using System.Management.Automation;
using ClusterOps.Core.Lifecycle;
using ClusterOps.Kubernetes;

namespace ClusterOps.Cmdlets.Lifecycle;

/// <summary>Deletes a Mashery Local cluster entirely, claims included (delete-tml-cluster.sh), saying which volumes go.</summary>
[Cmdlet(VerbsCommon.Remove, "TmlCluster", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = DefaultSet)]
// Silent by default; -PassThru emits the cluster acted on (one ClusterComponentInfo per component). Each step is a
// LifecycleStepRecord on the information stream (-InformationVariable, -InformationAction Continue) and a verbose line.
[OutputType(typeof(ClusterComponentInfo))]
public sealed class RemoveTmlClusterCommand : TmlChangeCmdlet
{
    private const string DefaultSet = "Default";

    [Parameter(ParameterSetName = DefaultSet)]
    public SwitchParameter Force { get; set; }

    [Parameter(ParameterSetName = DefaultSet)]
    public SwitchParameter PassThru { get; set; }

    protected override Task ProcessAsync(KubeSession session, CancellationToken cancellationToken)
    {
        var ns = session.Namespace;
        return !FirstTimeFor(session, ns) ? Task.CompletedTask : new ClusterRemoval(new KubeClusterApi(session.Client), lease: Lease()).RemoveAsync(
            new RemoveRequest(ns, Zones, PassThru: PassThru), ConfirmationFor(Force));
    }
}
