using System.Management.Automation;
using ClusterOps.Cmdlets.Infrastructure;
using ClusterOps.Core.Backup;
using ClusterOps.Kubernetes;

namespace ClusterOps.Cmdlets.Backup;

/// <summary>Creates an APIManagerBackup after the preflight; -Wait follows it to completion or to a failed Job.</summary>
[Cmdlet(VerbsLifecycle.Start, "ApiManagerBackup", SupportsShouldProcess = true, DefaultParameterSetName = NewVolumeSet)]
[OutputType(typeof(ApiManagerBackupInfo))]
public sealed class StartApiManagerBackupCommand : NamespacedKubeCmdlet
{
    private const string NewVolumeSet = "NewVolume";
    private const string ExistingVolumeSet = "ExistingVolume";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ValidateKubeName()]
    public string Name { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = NewVolumeSet)]
    [Parameter(Mandatory = true, ParameterSetName = ExistingVolumeSet)]
    [ValidateNotNullOrEmpty]
    public string StorageSize { get; set; } = "";

    [Parameter(ParameterSetName = NewVolumeSet)]
    [ValidateNotNullOrEmpty]
    [ValidateKubeName()]
    public string? StorageClass { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = ExistingVolumeSet)]
    [ValidateNotNullOrEmpty]
    [ValidateKubeName()]
    public string? VolumeName { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    [ValidateKubeName()]
    public string? ApiManagerName { get; set; }

    [Parameter] public SwitchParameter Wait { get; set; }

    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int TimeoutSec { get; set; } = 1800;

    [Parameter] public SwitchParameter Force { get; set; }
    [Parameter] public SwitchParameter PassThru { get; set; }

    protected override async Task ProcessAsync(KubeSession session, CancellationToken cancellationToken)
    {
        var request = new BackupRequest(Name, session.Namespace, ApiManagerName, StorageSize, StorageClass, VolumeName, Force);
        var wait = new WaitOptions(Wait, TimeoutSec == 0 ? null : TimeSpan.FromSeconds(TimeoutSec), PassThru);
        var started = await new ApiManagerBackupOperations(session.Client).StartAsync(request, wait, Operation).ConfigureAwait(false);
        // An action cmdlet is silent unless -PassThru (issue 12 §3); -Wait changes when it returns, not what it writes.
        if (PassThru)
            WriteObject(started);
    }
}
