using System.Management.Automation;
using ClusterOps.Cmdlets.Infrastructure;
using ClusterOps.Core.Backup;
using ClusterOps.Kubernetes;

namespace ClusterOps.Cmdlets.Backup;

/// <summary>Creates an APIManagerRestore after the preflight; -Wait follows it to completion or to a failed Job.</summary>
[Cmdlet(VerbsLifecycle.Start, "ApiManagerRestore", SupportsShouldProcess = true, DefaultParameterSetName = BackupSet)]
[OutputType(typeof(ApiManagerRestoreInfo))]
public sealed class StartApiManagerRestoreCommand : NamespacedKubeCmdlet
{
    private const string BackupSet = "Backup";
    private const string ClaimSet = "Claim";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ValidateKubeName()]
    public string Name { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = BackupSet)]
    [ArgumentCompleter(typeof(ApiManagerBackupNameCompleter))]
    [ValidateNotNullOrEmpty]
    [ValidateKubeName()]
    public string? BackupName { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = ClaimSet)]
    [ValidateNotNullOrEmpty]
    [ValidateKubeName()]
    [ArgumentCompleter(typeof(Storage.PersistentVolumeClaimNameCompleter))]
    public string? ClaimName { get; set; }

    [Parameter] public SwitchParameter Wait { get; set; }

    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int TimeoutSec { get; set; } = 3600;

    [Parameter] public SwitchParameter Force { get; set; }
    [Parameter] public SwitchParameter PassThru { get; set; }

    protected override async Task ProcessAsync(KubeSession session, CancellationToken cancellationToken)
    {
        var request = new RestoreRequest(Name, session.Namespace, BackupName, ClaimName, Force);
        var wait = new WaitOptions(Wait, TimeoutSec == 0 ? null : TimeSpan.FromSeconds(TimeoutSec), PassThru);
        var started = await new ApiManagerRestoreOperations(session.Client).StartAsync(request, wait, Operation).ConfigureAwait(false);
        // An action cmdlet is silent unless -PassThru (issue 12 §3); -Wait changes when it returns, not what it writes.
        if (PassThru)
            WriteObject(started);
    }
}
