using System.Management.Automation;
using ClusterOps.Cmdlets.Infrastructure;
using ClusterOps.Core.Scheduling;
using ClusterOps.Kubernetes;

namespace ClusterOps.Cmdlets.Scheduling;

/// <summary>Disable-MigratedApplication: storkctl deactivate migrations: scales each Deployment and StatefulSet Stork migrated to 0 replicas.</summary>
[Cmdlet(VerbsLifecycle.Disable, "MigratedApplication", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(MigratedApplicationChange))]
public sealed class DisableMigratedApplicationCommand : KubeCmdlet
{
    /// <summary>The namespaces whose migrated workloads to scale (default: the session's namespace).</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(KubeNamespaceCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Namespace { get; set; }

    [Parameter] public SwitchParameter Force { get; set; }

    protected override Task ProcessAsync(KubeSession session, CancellationToken cancellationToken)
    {
        var context = ConfirmationFor(Force);
        return new MigratedApplicationOperations(session.Client).RunAsync(Namespace ?? [session.Namespace], activate: false, context);
    }
}
