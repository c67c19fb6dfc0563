using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using ClusterOps.Core.Common;
using ClusterOps.Core.Connection;
using ClusterOps.Kubernetes.Errors;

namespace ClusterOps.Tests.Core.Connection;

public sealed class ConnectionDiagnosisTests
{
    private static readonly Uri Server = new("https://api.example:6443");

    private static Diagnosis Explain(Exception ex) => ConnectionDiagnosis.Explain(ex, Server, "the certificate-authority file '/k/ca.pem'", "alice", "Exec");

    [Theory]
    [InlineData(SocketError.HostNotFound, "Dns", "'api.example' could not be resolved")]
    [InlineData(SocketError.ConnectionRefused, "ConnectionRefused", "refused")]
    [InlineData(SocketError.TimedOut, "Unreachable", "did not answer")]
    public void SocketFailures(SocketError code, string problem, string text)
    {
        var d = Explain(new HttpRequestException("boom", new SocketException((int)code)));
        Assert.Equal(problem, d.Problem);
        Assert.Contains(text, d.Message);
        Assert.False(d.Reachable);
    }

    [Fact]
    public void UntrustedCertificateNamesTheCaSource()
    {
        var tls = new KubeTlsException("The TLS certificate of https://api.example:6443 was rejected: the certificate is not trusted by the certificate-authority file '/k/ca.pem' (UntrustedRoot).",
            "the certificate-authority file '/k/ca.pem'", "api.example");
        var d = Explain(new HttpRequestException("ssl", tls));
        Assert.Equal("TlsUntrusted", d.Problem);
        Assert.Contains("/k/ca.pem", d.Message);
    }

    [Fact]
    public void NameMismatchSuggestsTlsServerName()
    {
        var tls = new KubeTlsException("rejected: the certificate is not valid for the name '10.0.0.1'.", "x", "10.0.0.1");
        var d = Explain(new HttpRequestException("ssl", tls));
        Assert.Equal("TlsNameMismatch", d.Problem);
        Assert.Contains("tls-server-name", d.Message);
    }

    [Fact]
    public void UnauthorizedAndForbidden()
    {
        var unauthorized = Explain(new KubeApiException(HttpStatusCode.Unauthorized, "Unauthorized", "Unauthorized"));
        Assert.Equal("Unauthorized", unauthorized.Problem);
        Assert.Contains("user 'alice' (Exec)", unauthorized.Message);
        Assert.True(unauthorized.Reachable);
        var forbidden = Explain(new KubeApiException(HttpStatusCode.Forbidden, "Forbidden", "selfsubjectreviews is forbidden"));
        Assert.Equal("Forbidden", forbidden.Problem);
        Assert.Contains("RBAC", forbidden.Message);
    }

    [Fact]
    public void CredentialAndTimeoutFailures()
    {
        Assert.Equal("Credentials", Explain(new KubeAuthException("plugin missing", "alice")).Problem);
        Assert.Equal("Timeout", Explain(new TimeoutException("slow")).Problem);
    }
}

public sealed class NamePatternTests
{
    [Theory]
    [InlineData("prod*", "prod-eu", true)]
    [InlineData("prod*", "PROD-eu", false)] // case-sensitive, as kubectl treats context names
    [InlineData("PROD*", "PROD-eu", true)]
    [InlineData("prod*", "staging", false)]
    [InlineData("p?od", "prod", true)]
    [InlineData("[ps]rod", "srod", true)]
    [InlineData("[a-c]x", "dx", false)]
    [InlineData("a.b", "aXb", false)]
    [InlineData("team`*", "team*", true)]
    [InlineData("team`*", "teamA", false)]
    [InlineData("arn:aws:eks:*:cluster/x", "arn:aws:eks:eu-west-1:1:cluster/x", true)]
    public void MatchesLikePowerShellWildcards(string pattern, string name, bool expected) =>
        Assert.Equal(expected, new NamePattern(pattern).IsMatch(name));

    [Fact]
    public void EmptyListMatchesEverything() => Assert.True(NamePattern.MatchesAny(NamePattern.From(null), "x"));
}
