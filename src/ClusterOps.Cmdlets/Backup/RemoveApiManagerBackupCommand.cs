using System.Management.Automation;
using ClusterOps.Cmdlets.Infrastructure;
using ClusterOps.Core.Backup;
using ClusterOps.Kubernetes;

namespace ClusterOps.Cmdlets.Backup;

/// <summary>Removes APIManagerBackups; their data claims only with -IncludeVolume, each change confirmed.</summary>
[Cmdlet(VerbsCommon.Remove, "ApiManagerBackup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(ApiManagerBackupInfo))]
public sealed class RemoveApiManagerBackupCommand : NamespacedKubeCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ApiManagerBackupNameCompleter))]
    [ValidateNotNullOrEmpty]
    [ValidateKubeName()]
    public string[] Name { get; set; } = Array.Empty<string>();

    [Parameter] public SwitchParameter IncludeVolume { get; set; }
    [Parameter] public SwitchParameter Force { get; set; }
    [Parameter] public SwitchParameter PassThru { get; set; }

    protected override async Task ProcessAsync(KubeSession session, CancellationToken cancellationToken)
    {
        var operations = new ApiManagerBackupOperations(session.Client);
        var context = ConfirmationFor(Force);
        foreach (var name in Name)
        {
            var removed = await operations.RemoveAsync(new BackupRemoval(name, session.Namespace, IncludeVolume), context).ConfigureAwait(false);
            if (PassThru)
                WriteObject(removed);
        }
    }
}
