using System.Management.Automation;
using ClusterOps.Core.Lifecycle;
using ClusterOps.Kubernetes;

namespace ClusterOps.Cmdlets.Lifecycle;

/// <summary>Deletes a Mashery Local cluster entirely, claims included (delete-tml-cluster.sh), saying which volumes go.</summary>
[Cmdlet(VerbsCommon.Remove, "TmlCluster", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = DefaultSet)]
[OutputType(typeof(LifecycleStepRecord))]
public sealed class RemoveTmlClusterCommand : TmlChangeCmdlet
{
    private const string DefaultSet = "Default";

    [Parameter(ParameterSetName = DefaultSet)]
    public SwitchParameter Force { get; set; }

    protected override Task ProcessAsync(KubeSession session, CancellationToken cancellationToken)
    {
        var ns = session.Namespace;
        return !FirstTimeFor(session, ns) ? Task.CompletedTask : new ClusterRemoval(new KubeClusterApi(session.Client), lease: Lease()).RemoveAsync(
            new RemoveRequest(ns, Zones), ConfirmationFor(Force));
    }
}
