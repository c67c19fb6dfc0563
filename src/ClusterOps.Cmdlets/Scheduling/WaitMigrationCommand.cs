using System.Management.Automation;
using ClusterOps.Cmdlets.Infrastructure;
using ClusterOps.Core.Scheduling;
using ClusterOps.Kubernetes;

namespace ClusterOps.Cmdlets.Scheduling;

/// <summary>Wait-Migration: watches a Migration until it succeeds; fails fast on Failed or PartialSuccess.</summary>
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

    protected override async Task ProcessAsync(KubeSession session, CancellationToken cancellationToken)
    {
        var operations = new MigrationOperations(session.Client);
        var timeout = TimeoutSec == 0 ? (TimeSpan?)null : TimeSpan.FromSeconds(TimeoutSec);
        foreach (var name in Name)
            WriteObject(await operations.WaitAsync(name, session.Namespace, timeout, Operation).ConfigureAwait(false));
    }
}
