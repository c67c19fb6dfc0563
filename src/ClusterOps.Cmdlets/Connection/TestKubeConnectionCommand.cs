using System.Management.Automation;
using ClusterOps.Cmdlets.Infrastructure;
using ClusterOps.Core.Connection;
using ClusterOps.Kubernetes;
using ClusterOps.Kubernetes.Errors;

namespace ClusterOps.Cmdlets.Connection;

/// <summary>
/// Checks that a context's cluster is reachable and accepts its credentials; reports server version, the user the
/// server sees, and round-trip time. Failures are returned as data (Reachable/Authenticated false, Diagnosis).
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "KubeConnection", DefaultParameterSetName = DefaultSet)]
[OutputType(typeof(KubeConnectionTestResult))]
public sealed class TestKubeConnectionCommand : KubeCmdlet
{
    private const string DefaultSet = "Default";

    protected override bool AnswerWithoutKubeConfig(KubeConfigNotFoundException missing)
    {
        WriteObject(ConnectionTester.WithoutKubeConfig(Context is { Length: > 0 } names ? string.Join(",", names) : null, missing));
        return true;
    }

    protected override async Task ProcessAsync(KubeSession session, CancellationToken cancellationToken) =>
        WriteObject(await ConnectionTester.TestAsync(session, Operation).ConfigureAwait(false));
}
