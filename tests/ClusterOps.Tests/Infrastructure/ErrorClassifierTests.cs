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
