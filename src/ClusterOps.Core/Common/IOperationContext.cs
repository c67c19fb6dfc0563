namespace ClusterOps.Core.Common;

/// <summary>
/// What a Core operation may ask of its caller. The cmdlet runtime implements it on top of the PowerShell
/// pipeline (every call is marshalled to the pipeline thread); tests use a recording implementation.
/// Operations never talk to PowerShell directly, so every decision they make can be unit-tested.
/// </summary>
public interface IOperationContext
{
    /// <summary>Cancelled by Ctrl+C (StopProcessing) or by the test driving the operation.</summary>
    CancellationToken CancellationToken { get; }

    /// <summary>-WhatIf / -Confirm gate for one state change. False means: skip that change, not fail.</summary>
    bool ShouldProcess(string target, string action);

    /// <summary>Emit one result object to the pipeline as soon as it exists (results stream).</summary>
    void WriteObject(object item);

    /// <summary>A non-terminating, per-item failure; the operation goes on with the next item.</summary>
    void WriteError(Exception error, object? target = null);

    /// <summary>
    /// Detail of the work that is not its result (Write-Information, with <paramref name="data"/> as MessageData), for
    /// example each step of a stop: results stay one object type per invocation, and the detail stays typed for
    /// <c>-InformationVariable</c>.
    /// </summary>
    void WriteInformation(object data, string tag);

    void WriteWarning(string message);
    void WriteVerbose(string message);
    void WriteDebug(string message);
    void WriteProgress(OperationProgress progress);
}

/// <summary>One Write-Progress record, free of PowerShell types.</summary>
public sealed record OperationProgress(
    int ActivityId,
    string Activity,
    string Status,
    int PercentComplete = -1,
    string? CurrentOperation = null,
    int ParentActivityId = -1,
    bool Completed = false,
    int SecondsRemaining = -1);
