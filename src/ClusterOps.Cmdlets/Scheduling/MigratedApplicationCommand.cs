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

    /// <summary>Deactivation only: keep the pods registered applications list at podsPath (storkctl deletes them).</summary>
    protected virtual bool KeepRegisteredPodsRequested => false;

    protected override async Task ProcessAsync(KubeSession session, CancellationToken cancellationToken)
    {
        await foreach (var change in new MigratedApplicationOperations(session.Client)
                           .RunAsync(Namespace ?? [session.Namespace], Activate, ConfirmationFor(Force), KeepRegisteredPodsRequested).ConfigureAwait(false))
        {
            if (PassThru)
                WriteObject(change);
        }
    }
}

/// <summary>Enable-MigratedApplication: brings back what Stork migrated (workloads to their stored replica counts, CronJobs resumed, registered resources unsuspended).</summary>
[Cmdlet(VerbsLifecycle.Enable, "MigratedApplication", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(MigratedApplicationChange))]
public sealed class EnableMigratedApplicationCommand : MigratedApplicationCommand
{
    protected override bool Activate => true;
}

/// <summary>Disable-MigratedApplication: stops what Stork migrated (workloads to 0, CronJobs suspended, registered resources suspended and their pods deleted).</summary>
[Cmdlet(VerbsLifecycle.Disable, "MigratedApplication", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(MigratedApplicationChange))]
public sealed class DisableMigratedApplicationCommand : MigratedApplicationCommand
{
    /// <summary>Leave running the pods that registered custom resources list at their podsPath, which storkctl deletes.</summary>
    [Parameter] public SwitchParameter KeepRegisteredPods { get; set; }

    protected override bool Activate => false;

    protected override bool KeepRegisteredPodsRequested => KeepRegisteredPods;
}
