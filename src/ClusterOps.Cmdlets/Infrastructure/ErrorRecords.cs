using System.Management.Automation;
using ClusterOps.Core.Common;

namespace ClusterOps.Cmdlets.Infrastructure;

/// <summary>Turns an <see cref="ErrorDescriptor"/> into an ErrorRecord: the only place ErrorRecords are built.</summary>
public static class ErrorRecords
{
    public static ErrorRecord Create(Exception error, object? target = null, string? server = null)
    {
        var d = ErrorClassifier.Classify(error, target, server);
        var record = new ErrorRecord(error, d.ErrorId, CategoryFor(d.Kind), d.Target)
        {
            ErrorDetails = new ErrorDetails(d.Message),
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
