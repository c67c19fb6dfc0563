using System.Management.Automation;
using ClusterOps.Cmdlets.Infrastructure;
using ClusterOps.Core.Scheduling;
using ClusterOps.Kubernetes;

namespace ClusterOps.Cmdlets.Scheduling;

/// <summary>Wait-Migration: watches Migrations until they succeed; one that fails, is missing or times out is a
/// non-terminating error about that one.</summary>
[Cmdlet(VerbsLifecycle.Wait, "Migration")]
[OutputType(typeof(MigrationInfo))]
public sealed class WaitMigrationCommand : NamespacedKubeCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(MigrationNameCompleter))]
    [ValidateKubeName()]
    public string[] Name { get; set; } = [];

    /// <summary>The state to wait for. Only Successful: any other final state is a failure.</summary>
    [Parameter]
    [ValidateSet("Successful")]
    public string For { get; set; } = "Successful";

    /// <summary>0 waits without limit.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int TimeoutSec { get; set; } = 3600;

    protected override Task ProcessAsync(KubeSession session, CancellationToken cancellationToken) =>
        WriteAllAsync(new MigrationOperations(session.Client).WaitAllAsync(
            Name, session.Namespace, TimeoutSec == 0 ? null : TimeSpan.FromSeconds(TimeoutSec), Operation));
}
