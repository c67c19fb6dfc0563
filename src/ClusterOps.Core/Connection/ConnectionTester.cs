using System.Diagnostics;
using ClusterOps.Core.Common;
using ClusterOps.Kubernetes;
using ClusterOps.Kubernetes.Errors;

namespace ClusterOps.Core.Connection;

/// <summary>Test-KubeConnection: /version for reachability and latency, then a SelfSubjectReview for identity.</summary>
public static class ConnectionTester
{
    public static async Task<KubeConnectionTestResult> TestAsync(KubeSession session, IOperationContext context)
    {
        var client = session.Client;
        var ct = context.CancellationToken;
        var server = client.Server.ToString().TrimEnd('/');
        var authMethod = client.AuthMethod.ToString();
        var user = session.Context.User.Name;
        var watch = Stopwatch.StartNew();
        string? version;
        long roundTrip;
        try
        {
            version = (await client.GetVersionAsync(ct).ConfigureAwait(false)).GitVersion;
            roundTrip = watch.ElapsedMilliseconds;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // /version is readable anonymously on most clusters; some forbid it, which still proves reachability.
            var d = ConnectionDiagnosis.Explain(ex, client.Server, client.Tls.Source, user, authMethod);
            if (!d.Reachable || ex is not KubeApiException)
                return Failed(session, server, authMethod, d, null, null);
            version = null;
            roundTrip = watch.ElapsedMilliseconds;
        }

        try
        {
            var who = await client.WhoAmIAsync(ct).ConfigureAwait(false);
            if (who is null)
            {
                // No SelfSubjectReview API (clusters before 1.27/1.28): prove the credentials with discovery instead.
                await client.Discovery.GetResourcesAsync("", "v1", ct).ConfigureAwait(false);
            }
            return new KubeConnectionTestResult
            {
                Context = session.ContextName,
                Server = server,
                ServerVersion = version,
                User = who?.Username,
                Groups = who?.Groups is { } g ? string.Join(",", g) : null,
                AuthMethod = authMethod,
                RoundTripMs = roundTrip,
                Reachable = true,
                Authenticated = true,
            };
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return Failed(session, server, authMethod, ConnectionDiagnosis.Explain(ex, client.Server, client.Tls.Source, user, authMethod), version, roundTrip);
        }
    }

    /// <summary>
    /// The answer when there is no kubeconfig to test (none at all, or the -KubeConfig file does not exist): still a
    /// result, because Test-KubeConnection reports failures as data, with Problem NoKubeConfig saying what is missing.
    /// </summary>
    public static KubeConnectionTestResult WithoutKubeConfig(string? context, KubeConfigNotFoundException missing) => new()
    {
        Context = context ?? "",
        Server = "",
        AuthMethod = "None",
        Reachable = false,
        Authenticated = false,
        Problem = "NoKubeConfig",
        Diagnosis = missing.Message,
    };

    private static KubeConnectionTestResult Failed(KubeSession session, string server, string authMethod, Diagnosis d, string? version, long? roundTrip) => new()
    {
        Context = session.ContextName,
        Server = server,
        ServerVersion = version,
        AuthMethod = authMethod,
        RoundTripMs = roundTrip,
        Reachable = d.Reachable,
        Authenticated = d.Problem == "Forbidden", // 403: known user, missing permission
        Problem = d.Problem,
        Diagnosis = d.Message,
    };
}
