using ClusterOps.Kubernetes.Errors;
using ClusterOps.Kubernetes.Resources;
using ClusterOps.Tests.Kubernetes.Auth;
using ClusterOps.Tests.Kubernetes.Http;
using Microsoft.AspNetCore.Http;

namespace ClusterOps.Tests.Kubernetes.Input;

/// <summary>
/// An exec credential plugin is a credential source like a token file: one that prints without end (here
/// `cat /dev/zero`) used to be read whole for the 60 s timeout, gigabytes of it. It is now stopped at 1 MiB.
/// </summary>
public sealed class EndlessPluginTests : HttpTestBase
{
    private static Task Ok(HttpContext c) =>
        TestApiServer.Json(c, 200, """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"ns1"}}""");

    [UnixFact]
    public async Task A_plugin_printing_without_end_is_stopped_at_the_credential_bound()
    {
        await using var server = await TestApiServer.StartAsync(Ok);
        var plugin = Dir.Write("bin/endless.sh", "#!/bin/sh\nyes 'noise noise noise noise noise noise' >&2 &\nexec cat /dev/zero\n");
        ExecPluginTests.MakeExecutable(plugin);
        using var client = ClientFor(server.KubeConfig(server.CaDataLine, """
            exec:
              apiVersion: client.authentication.k8s.io/v1
              command: ./bin/endless.sh
              interactiveMode: Never
            """));
        var before = GC.GetTotalAllocatedBytes(precise: false);
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<KubeAuthException>(() => client.GetAsync(KubeResources.Pods, "ns1", "p"));

        Assert.Contains("printed more than 1 MiB", error.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"took {watch.Elapsed}: it waited for the timeout instead of stopping the plugin");
        // Process-wide and loose (tests run in parallel); reading to the 60 s timeout allocated gigabytes.
        Assert.True(GC.GetTotalAllocatedBytes(precise: false) - before < 1024L * 1024 * 1024);
        Assert.Empty(server.Requests);
    }
}
