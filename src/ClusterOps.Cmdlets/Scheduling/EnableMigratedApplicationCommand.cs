using System.Management.Automation;
using ClusterOps.Cmdlets.Infrastructure;
using ClusterOps.Core.Scheduling;
using ClusterOps.Kubernetes;

namespace ClusterOps.Cmdlets.Scheduling;

/// <summary>Enable-MigratedApplication: storkctl activate migrations: scales each Deployment and StatefulSet Stork migrated back to the replica count it stored.</summary>
[Cmdlet(VerbsLifecycle.Enable, "MigratedApplication", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(MigratedApplicationChange))]
public sealed class EnableMigratedApplicationCommand : KubeCmdlet
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
        return new MigratedApplicationOperations(session.Client).RunAsync(Namespace ?? [session.Namespace], activate: true, context);
    }
}
