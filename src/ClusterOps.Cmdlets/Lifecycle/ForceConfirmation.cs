using ClusterOps.Core.Common;

namespace ClusterOps.Cmdlets.Lifecycle;

/// <summary>
/// -Force on a ConfirmImpact High cmdlet: answer every ShouldProcess with yes without prompting, unless -WhatIf
/// (still only describes) or an explicit -Confirm (the user asked to be asked).
/// </summary>
internal sealed class ForceConfirmation : IOperationContext
{
    private readonly IOperationContext _inner;
    private readonly bool _skipPrompts;

    public ForceConfirmation(IOperationContext inner, bool skipPrompts)
    {
        _inner = inner;
        _skipPrompts = skipPrompts;
    }

    public CancellationToken CancellationToken => _inner.CancellationToken;

    public bool ShouldProcess(string target, string action)
    {
        if (!_skipPrompts)
            return _inner.ShouldProcess(target, action);
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
