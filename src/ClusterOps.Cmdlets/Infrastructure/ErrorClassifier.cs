using System.Net;
using System.Net.Http;
using System.Security.Authentication;
using ClusterOps.Core.Common;
using ClusterOps.Kubernetes.Errors;

namespace ClusterOps.Cmdlets.Infrastructure;

/// <summary>What the user sees for one failure: a stable id, a category, the message, the target.</summary>
public sealed record ErrorDescriptor(
    string ErrorId,
    FailureKind Kind,
    string Message,
    object? Target,
    string? RecommendedAction = null);

/// <summary>
/// The one mapping from exceptions to what an ErrorRecord says. Pure, so tests pin every id and category;
/// <see cref="ClusterOpsCmdlet"/> turns the descriptor into an ErrorRecord.
/// </summary>
public static class ErrorClassifier
{
    /// <param name="server">The cluster's server URL when the cmdlet knows it: a connection failure is about the
    /// server, so that is its TargetObject, whatever item the cmdlet was working on.</param>
    public static ErrorDescriptor Classify(Exception error, object? target = null, string? server = null)
    {
        var descriptor = ClassifyUnwrapped(Unwrap(error), target);
        if (server is not null && descriptor.Kind == FailureKind.ConnectionError)
            descriptor = descriptor with { Target = server };
        return descriptor with { Target = SingleTarget(descriptor.Target) };
    }

    /// <summary>
    /// An ErrorRecord's TargetObject is the one thing that failed. A collection there (a List of claim names) shows as
    /// a type name and cannot be piped on; an error about several items is one record per item, so a collection that
    /// still arrives here is shown as its items joined.
    /// </summary>
    private static object? SingleTarget(object? target) => target switch
    {
        null or string => target,
        System.Collections.IDictionary => target,
        System.Collections.IEnumerable items => string.Join(", ", items.Cast<object?>()),
        _ => target,
    };

    private static ErrorDescriptor ClassifyUnwrapped(Exception error, object? target)
    {
        return error switch
        {
            OperationException op => new(op.ErrorId, op.Kind, op.Message, op.Target ?? target, op.RecommendedAction),
            KubeApiException api => FromStatus(api, target),
            KubeApiGroupNotInstalledException missing => new("KubeApiGroupNotInstalled", FailureKind.NotInstalled, missing.Message, target,
                "Install the operator that provides these CRDs, or target a cluster where it is installed (-Context)."),
            KubeAuthException auth => new("KubeAuthFailed", FailureKind.AuthenticationError, auth.Message, auth.User ?? target),
            KubeContextNotFoundException context => new("KubeContextNotFound", FailureKind.ObjectNotFound, context.Message, context.ContextName,
                "Get-KubeContext lists the contexts of the kubeconfig."),
            KubeConfigNotFoundException missing => new("KubeConfigNotFound", FailureKind.ObjectNotFound, missing.Message, missing.File ?? target),
            KubeConfigException cfg => new("KubeConfigInvalid", FailureKind.InvalidData, cfg.Message, cfg.File ?? target),
            AuthenticationException tls => new("KubeTlsFailed", FailureKind.ConnectionError, tls.Message, target,
                "Check certificate-authority(-data) and tls-server-name in the kubeconfig for this cluster."),
            HttpRequestException http => new("KubeConnectionFailed", FailureKind.ConnectionError, http.Message, target,
                "Check that the cluster's server address is reachable: Test-KubeConnection explains the cause."),
            KubeConnectTimeoutException connect => new("KubeConnectionTimedOut", FailureKind.ConnectionError, connect.Message,
                connect.Server.ToString(), "Check that the cluster's server address is reachable: Test-KubeConnection explains the cause."),
            TimeoutException timeout => new("OperationTimedOut", FailureKind.OperationTimeout, timeout.Message, target),
            OperationCanceledException => new("OperationStopped", FailureKind.OperationStopped, "The operation was stopped.", target),
            ArgumentException arg => new("InvalidArgument", FailureKind.InvalidArgument, arg.Message, target),
            UnauthorizedAccessException denied => new("AccessDenied", FailureKind.PermissionDenied, denied.Message, target),
            IOException io => new("IOFailed", FailureKind.ResourceUnavailable, io.Message, target),
            _ => new("UnexpectedError", FailureKind.NotSpecified, error.Message, target),
        };
    }

    private static ErrorDescriptor FromStatus(KubeApiException api, object? target)
    {
        var kind = api.StatusCode switch
        {
            HttpStatusCode.NotFound => FailureKind.ObjectNotFound,
            HttpStatusCode.Conflict when api.IsAlreadyExists => FailureKind.ResourceExists,
            HttpStatusCode.Conflict => FailureKind.ResourceBusy,
            HttpStatusCode.Unauthorized => FailureKind.AuthenticationError,
            HttpStatusCode.Forbidden => FailureKind.PermissionDenied,
            HttpStatusCode.UnprocessableEntity or HttpStatusCode.BadRequest => FailureKind.InvalidData,
            HttpStatusCode.Gone => FailureKind.ResourceUnavailable,
            HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable => FailureKind.ResourceUnavailable,
            HttpStatusCode.GatewayTimeout or HttpStatusCode.RequestTimeout => FailureKind.OperationTimeout,
            _ => FailureKind.NotSpecified,
        };
        var reason = string.IsNullOrEmpty(api.Reason) ? ((int)api.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture) : api.Reason;
        return new("KubeApi" + reason, kind, api.Message, target ?? api.DetailsName);
    }

    private static Exception Unwrap(Exception error)
    {
        while (true)
        {
            switch (error)
            {
                case AggregateException { InnerExceptions.Count: 1 } agg:
                    error = agg.InnerExceptions[0];
                    continue;
                case HttpRequestException { InnerException: AuthenticationException tls }:
                    return tls;
                default:
                    return error;
            }
        }
    }
}
