using System.Management.Automation;
using ClusterOps.Core.Common;

namespace ClusterOps.Cmdlets.Infrastructure;

/// <summary>Turns an <see cref="ErrorDescriptor"/> into an ErrorRecord: the only place ErrorRecords are built.</summary>
public static class ErrorRecords
{
    /// <param name="written">Objects this invocation had already written when a terminating error ended it: said in
    /// the message, so a runbook that exports the output knows the file is incomplete.</param>
    public static ErrorRecord Create(Exception error, object? target = null, string? server = null, int written = 0)
    {
        var d = ErrorClassifier.Classify(error, target, server);
        var message = written == 0 ? d.Message
            : $"{d.Message} {written.ToString(System.Globalization.CultureInfo.InvariantCulture)} object(s) had already been written to the pipeline before this error: the output is incomplete.";
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
