using System.Management.Automation;
using ClusterOps.Cmdlets.Infrastructure;
using ClusterOps.Core.PersistentState;

namespace ClusterOps.Cmdlets.PersistentState;

/// <summary>
/// Repair-ServiceAccountMount: link the standard service-account path to a second mount of the credentials when
/// the container's init hid it (cm-container's setup-secret.sh). Always reports what it found or did.
/// </summary>
[Cmdlet(VerbsDiagnostic.Repair, "ServiceAccountMount", SupportsShouldProcess = true)]
[OutputType(typeof(ServiceAccountMountResult))]
public sealed class RepairServiceAccountMountCommand : ClusterOpsCmdlet
{
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = ServiceAccountMountRepairer.DefaultPath;

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Source { get; set; } = ServiceAccountMountRepairer.DefaultSource;

    protected override Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        new ServiceAccountMountRepairer().Repair(new RepairServiceAccountMountRequest(ResolvePath(Path), ResolvePath(Source)), Operation);
        return Task.CompletedTask;
    }
}
