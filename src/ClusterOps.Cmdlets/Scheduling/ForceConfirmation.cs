using System.Management.Automation;
using ClusterOps.Core.Common;

namespace ClusterOps.Cmdlets.Scheduling;

/// <summary>
/// -Force on a ConfirmImpact High cmdlet: every ShouldProcess is answered yes without a prompt, unless -WhatIf or an
/// explicit -Confirm asks PowerShell to describe or ask (a compiled cmdlet cannot lower $ConfirmPreference for itself).
/// </summary>
internal sealed class ForceConfirmation : IOperationContext
{
    private readonly IOperationContext _inner;

    private ForceConfirmation(IOperationContext inner) => _inner = inner;

    /// <summary>Call on the pipeline thread (reads the invocation and $WhatIfPreference).</summary>
    public static bool UserAskedToConfirm(PSCmdlet cmdlet) =>
        cmdlet.MyInvocation.BoundParameters.ContainsKey("WhatIf")
        || cmdlet.MyInvocation.BoundParameters.ContainsKey("Confirm")
        || LanguagePrimitives.IsTrue(cmdlet.SessionState.PSVariable.GetValue("WhatIfPreference"));

    public static IOperationContext For(IOperationContext inner, bool force, bool userAsked) =>
        force && !userAsked ? new ForceConfirmation(inner) : inner;

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
