using System.Management.Automation;
using ClusterOps.Cmdlets.Infrastructure;
using ClusterOps.Core.Scheduling;
using ClusterOps.Kubernetes;

namespace ClusterOps.Cmdlets.Scheduling;

/// <summary>Enable- and Disable-MigratedApplication (storkctl activate/deactivate migrations): one operation, one direction each.</summary>
public abstract class MigratedApplicationCommand : KubeCmdlet
{
    /// <summary>The namespaces whose migrated workloads to scale (default: the session's namespace).</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(KubeNamespaceCompleter))]
    [ValidateNotNullOrEmpty]
    [ValidateKubeName(KubeNameRule.Namespace)]
    [Alias("n")]
    public string[]? Namespace { get; set; }

    [Parameter] public SwitchParameter Force { get; set; }

    /// <summary>Emit one record per workload scaled and per schedule marked; an action cmdlet is silent without it.</summary>
    [Parameter] public SwitchParameter PassThru { get; set; }

    protected abstract bool Activate { get; }

    protected override async Task ProcessAsync(KubeSession session, CancellationToken cancellationToken)
    {
        await foreach (var change in new MigratedApplicationOperations(session.Client)
                           .RunAsync(Namespace ?? [session.Namespace], Activate, ConfirmationFor(Force)).ConfigureAwait(false))
        {
            if (PassThru)
                WriteObject(change);
        }
    }
}

/// <summary>Enable-MigratedApplication: scales each Deployment and StatefulSet Stork migrated back to the replica count it stored.</summary>
[Cmdlet(VerbsLifecycle.Enable, "MigratedApplication", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(MigratedApplicationChange))]
public sealed class EnableMigratedApplicationCommand : MigratedApplicationCommand
{
    protected override bool Activate => true;
}

/// <summary>Disable-MigratedApplication: scales each Deployment and StatefulSet Stork migrated to 0 replicas.</summary>
[Cmdlet(VerbsLifecycle.Disable, "MigratedApplication", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(MigratedApplicationChange))]
public sealed class DisableMigratedApplicationCommand : MigratedApplicationCommand
{
    protected override bool Activate => false;
}
