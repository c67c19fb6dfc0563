using ClusterOps.Core.Common;

namespace ClusterOps.Cmdlets.Backup;

/// <summary>
/// -Force on a ConfirmImpact High cmdlet: answers ShouldProcess with yes without prompting, exactly as a script's
/// <c>if ($Force -and -not $Confirm) { $ConfirmPreference = 'None' }</c> would; -WhatIf and an explicit -Confirm still
/// go to PowerShell. (A compiled cmdlet cannot lower $ConfirmPreference for itself alone.)
/// </summary>
internal sealed class ForceAwareContext : IOperationContext
{
    private readonly IOperationContext _inner;

    private ForceAwareContext(IOperationContext inner) => _inner = inner;

    /// <param name="whatIfOrConfirm">-WhatIf or -Confirm was given, or $WhatIfPreference is set.</param>
    public static IOperationContext For(IOperationContext inner, bool force, bool whatIfOrConfirm) =>
        force && !whatIfOrConfirm ? new ForceAwareContext(inner) : inner;

    public CancellationToken CancellationToken => _inner.CancellationToken;

    public bool ShouldProcess(string target, string action)
    {
        _inner.WriteVerbose($"Performing the operation \"{action}\" on target \"{target}\" (-Force).");
        return true;
    }

    public void WriteObject(object item) => _inner.WriteObject(item);
    public void WriteError(Exception error, object? target = null) => _inner.WriteError(error, target);
    public void WriteWarning(string message) => _inner.WriteWarning(message);
    public void WriteVerbose(string message) => _inner.WriteVerbose(message);
    public void WriteDebug(string message) => _inner.WriteDebug(message);
    public void WriteProgress(OperationProgress progress) => _inner.WriteProgress(progress);
}
