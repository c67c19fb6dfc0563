using System.Management.Automation;
using ClusterOps.Core.Common;

namespace ClusterOps.Cmdlets.Infrastructure;

/// <summary>Turns an <see cref="ErrorDescriptor"/> into an ErrorRecord: the only place ErrorRecords are built.</summary>
public static class ErrorRecords
{
    /// <param name="written">Objects this invocation had already written when a terminating error ended it: said in
    /// the message, so a runbook that exports the output knows the file is incomplete.</param>
    /// <param name="context">Set when the call runs in several contexts: the message says which one failed.</param>
    public static ErrorRecord Create(Exception error, object? target = null, string? server = null, int written = 0, string? context = null) =>
        Build(error, ErrorClassifier.Classify(error, target, server), written, context);

    /// <summary>
    /// One context of a fleet call failed as a whole (unreachable, no credentials, the operation's own terminating
    /// error): a non-terminating error whose TargetObject is the context, so the rest of the fleet goes on and the
    /// failed contexts can be picked out of $Error and retried.
    /// </summary>
    public static ErrorRecord ForContext(Exception error, string context) =>
        Build(error, ErrorClassifier.Classify(error, context) with { Target = context }, 0, context);

    private static ErrorRecord Build(Exception error, ErrorDescriptor d, int written, string? context)
    {
        var message = written == 0 ? d.Message
            : $"{d.Message} {written.ToString(System.Globalization.CultureInfo.InvariantCulture)} object(s) had already been written to the pipeline before this error: the output is incomplete.";
        if (context is not null)
            message = $"Context '{context}': {message}";
        var record = new ErrorRecord(error, d.ErrorId, CategoryFor(d.Kind), d.Target)
        {
            ErrorDetails = new ErrorDetails(message),
        };
        if (d.RecommendedAction is not null)
            record.ErrorDetails.RecommendedAction = d.RecommendedAction;
        return record;
    }

    public static ErrorCategory CategoryFor(FailureKind kind) => kind switch
    {
        FailureKind.InvalidArgument => ErrorCategory.InvalidArgument,
        FailureKind.InvalidData => ErrorCategory.InvalidData,
        FailureKind.InvalidOperation => ErrorCategory.InvalidOperation,
        FailureKind.ObjectNotFound => ErrorCategory.ObjectNotFound,
        FailureKind.ResourceExists => ErrorCategory.ResourceExists,
        FailureKind.ResourceBusy => ErrorCategory.ResourceBusy,
        FailureKind.ResourceUnavailable => ErrorCategory.ResourceUnavailable,
        FailureKind.PermissionDenied => ErrorCategory.PermissionDenied,
        FailureKind.AuthenticationError => ErrorCategory.AuthenticationError,
        FailureKind.ConnectionError => ErrorCategory.ConnectionError,
        FailureKind.OperationTimeout => ErrorCategory.OperationTimeout,
        FailureKind.OperationStopped => ErrorCategory.OperationStopped,
        FailureKind.NotInstalled => ErrorCategory.NotInstalled,
        FailureKind.NotImplemented => ErrorCategory.NotImplemented,
        _ => ErrorCategory.NotSpecified,
    };
}
