using System.Management.Automation;
using System.Net;
using System.Security.Authentication;
using ClusterOps.Cmdlets.Infrastructure;
using ClusterOps.Core.Common;
using ClusterOps.Kubernetes.Errors;

namespace ClusterOps.Tests.Infrastructure;

public sealed class ErrorClassifierTests
{
    [Theory]
    [InlineData(HttpStatusCode.NotFound, "NotFound", "KubeApiNotFound", FailureKind.ObjectNotFound)]
    [InlineData(HttpStatusCode.Conflict, "AlreadyExists", "KubeApiAlreadyExists", FailureKind.ResourceExists)]
    [InlineData(HttpStatusCode.Conflict, "Conflict", "KubeApiConflict", FailureKind.ResourceBusy)]
    [InlineData(HttpStatusCode.Unauthorized, "Unauthorized", "KubeApiUnauthorized", FailureKind.AuthenticationError)]
    [InlineData(HttpStatusCode.Forbidden, "Forbidden", "KubeApiForbidden", FailureKind.PermissionDenied)]
    [InlineData(HttpStatusCode.UnprocessableEntity, "Invalid", "KubeApiInvalid", FailureKind.InvalidData)]
    [InlineData(HttpStatusCode.Gone, "Expired", "KubeApiExpired", FailureKind.ResourceUnavailable)]
    public void Status_failures_get_stable_ids_and_categories(HttpStatusCode code, string reason, string id, FailureKind kind)
    {
        var d = ErrorClassifier.Classify(new KubeApiException(code, reason, $"persistentvolumeclaims \"data-0\" {reason}", detailsName: "data-0"));
        Assert.Equal(id, d.ErrorId);
        Assert.Equal(kind, d.Kind);
        Assert.Equal("data-0", d.Target);
        Assert.Contains("data-0", d.Message);
    }

    [Fact]
    public void Every_failure_kind_maps_to_its_own_category()
    {
        Assert.Equal(ErrorCategory.ObjectNotFound, ErrorRecords.CategoryFor(FailureKind.ObjectNotFound));
        Assert.Equal(ErrorCategory.ResourceExists, ErrorRecords.CategoryFor(FailureKind.ResourceExists));
        Assert.Equal(ErrorCategory.ResourceBusy, ErrorRecords.CategoryFor(FailureKind.ResourceBusy));
        Assert.Equal(ErrorCategory.AuthenticationError, ErrorRecords.CategoryFor(FailureKind.AuthenticationError));
        Assert.Equal(ErrorCategory.PermissionDenied, ErrorRecords.CategoryFor(FailureKind.PermissionDenied));
        Assert.Equal(ErrorCategory.InvalidData, ErrorRecords.CategoryFor(FailureKind.InvalidData));
        var mapped = Enum.GetValues<FailureKind>().Where(k => k != FailureKind.NotSpecified).Select(ErrorRecords.CategoryFor).ToList();
        Assert.DoesNotContain(ErrorCategory.NotSpecified, mapped);
    }

    [Fact]
    public void Operation_exceptions_keep_their_own_id_target_and_advice()
    {
        var d = ErrorClassifier.Classify(new OperationException("TmlClusterNotFound", FailureKind.ObjectNotFound, "no cluster", "tml")
        {
            RecommendedAction = "Check -Namespace.",
        });
        Assert.Equal(("TmlClusterNotFound", FailureKind.ObjectNotFound, "tml", "Check -Namespace."), (d.ErrorId, d.Kind, d.Target, d.RecommendedAction));
    }

    [Fact]
    public void A_missing_context_or_kubeconfig_is_ObjectNotFound_with_its_name_as_the_target()
    {
        var context = ErrorClassifier.Classify(new KubeContextNotFoundException("nosuch", "The context 'nosuch' does not exist", "/k/config"));
        Assert.Equal(("KubeContextNotFound", FailureKind.ObjectNotFound, (object?)"nosuch"), (context.ErrorId, context.Kind, context.Target));
        var file = ErrorClassifier.Classify(new KubeConfigNotFoundException("The kubeconfig file '/k/absent' does not exist.", "/k/absent"));
        Assert.Equal(("KubeConfigNotFound", FailureKind.ObjectNotFound, (object?)"/k/absent"), (file.ErrorId, file.Kind, file.Target));
        var none = ErrorClassifier.Classify(new KubeConfigNotFoundException("No kubeconfig was found"), "fallback");
        Assert.Equal(("KubeConfigNotFound", (object?)"fallback"), (none.ErrorId, none.Target));
    }

    [Fact]
    public void Connection_failures_target_the_server_and_other_failures_keep_their_item()
    {
        const string server = "https://10.0.0.1:6443/";
        Assert.Equal(server, ErrorClassifier.Classify(new HttpRequestException("refused"), "data-0", server).Target);
        Assert.Equal(server, ErrorClassifier.Classify(new HttpRequestException("ssl", new AuthenticationException("untrusted")), "data-0", server).Target);
        var connect = ErrorClassifier.Classify(new KubeConnectTimeoutException("no connection to https://10.0.0.1:6443 within the connect timeout (30 s)", new Uri(server)));
        Assert.Equal(("KubeConnectionTimedOut", FailureKind.ConnectionError, (object?)server), (connect.ErrorId, connect.Kind, connect.Target));
        Assert.Equal("data-0", ErrorClassifier.Classify(new OperationException("X", FailureKind.ObjectNotFound, "m", "data-0"), null, server).Target);
    }

    [Fact]
    public void A_collection_never_becomes_the_target_object()
    {
        var d = ErrorClassifier.Classify(new OperationException("X", FailureKind.InvalidOperation, "m", new List<string> { "a", "b" }));
        Assert.Equal("a, b", d.Target);
    }

    [Fact]
    public void Transport_failures_are_unwrapped_and_classified()
    {
        var tls = ErrorClassifier.Classify(new HttpRequestException("ssl", new AuthenticationException("untrusted root")));
        Assert.Equal(("KubeTlsFailed", FailureKind.ConnectionError), (tls.ErrorId, tls.Kind));
        Assert.Equal("KubeConnectionFailed", ErrorClassifier.Classify(new HttpRequestException("refused")).ErrorId);
        Assert.Equal("OperationTimedOut", ErrorClassifier.Classify(new AggregateException(new TimeoutException("t"))).ErrorId);
        Assert.Equal("KubeConfigInvalid", ErrorClassifier.Classify(new KubeConfigException("bad", "/k/config", 3)).ErrorId);
    }
}

public sealed class ForceConfirmationTests
{
    [Fact]
    public void Force_answers_yes_without_asking_unless_WhatIf_or_Confirm_was_requested()
    {
        var asked = new RecordingOperationContext((_, _) => false);
        var forced = ForceConfirmation.For(asked, force: true, userAsked: false);

        Assert.True(forced.ShouldProcess("PersistentVolumeClaim 3scale/x (1Gi, Bound)", "Delete"));
        Assert.Empty(asked.ShouldProcessCalls);
        Assert.Contains(asked.Verbose, v => v.Contains("(-Force)", StringComparison.Ordinal));
        Assert.Same(asked, ForceConfirmation.For(asked, force: true, userAsked: true));
        Assert.Same(asked, ForceConfirmation.For(asked, force: false, userAsked: false));
    }
}
