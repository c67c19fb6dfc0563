using System.Management.Automation;
using ClusterOps.Core.Lifecycle;
using ClusterOps.Kubernetes;

namespace ClusterOps.Cmdlets.Lifecycle;

/// <summary>The state of a Mashery Local cluster: one row per component, with the overall state on each row.</summary>
[Cmdlet(VerbsCommon.Get, "TmlCluster", DefaultParameterSetName = DefaultSet)]
[OutputType(typeof(ClusterComponentInfo))]
public sealed class GetTmlClusterCommand : TmlCmdlet
{
    private const string DefaultSet = "Default";

    protected override async Task ProcessAsync(KubeSession session, CancellationToken cancellationToken)
    {
        var ns = session.Namespace;
        if (!FirstTimeFor(session, ns))
            return;
        var rows = await new ClusterLifecycle(new KubeClusterApi(session.Client))
            .GetAsync(new ClusterRequest(ns, Zones), Operation).ConfigureAwait(false);
        foreach (var row in rows)
            WriteObject(row);
    }
}
