using ClusterOps.Core.Common;

namespace ClusterOps.Cmdlets.Infrastructure;

/// <summary>
/// What -Force means on a ConfirmImpact High cmdlet: every ShouldProcess is answered yes without a prompt, and the
/// decision is still visible in the verbose stream. Built by <see cref="ClusterOpsCmdlet.ConfirmationFor"/> only.
/// </summary>
internal sealed class ForceConfirmation : IOperationContext
{
    private readonly IOperationContext _inner;

    private ForceConfirmation(IOperationContext inner) => _inner = inner;

    /// <param name="userAsked">-WhatIf, an explicit -Confirm or $WhatIfPreference: PowerShell must describe or ask.</param>
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
    public void WriteInformation(object data, string tag) => _inner.WriteInformation(data, tag);
    public void WriteWarning(string message) => _inner.WriteWarning(message);
    public void WriteVerbose(string message) => _inner.WriteVerbose(message);
    public void WriteDebug(string message) => _inner.WriteDebug(message);
    public void WriteProgress(OperationProgress progress) => _inner.WriteProgress(progress);
}
