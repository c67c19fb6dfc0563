using System.Text.Json.Nodes;
using ClusterOps.Core.Lifecycle;
using ClusterOps.Kubernetes.Config;
using ClusterOps.Kubernetes.Http;
using ClusterOps.Sandbox;
using ClusterOps.Tests.Infrastructure;

namespace ClusterOps.Tests.Lifecycle;

/// <summary>A private sandbox running the `tml` scenario, a client, and helpers to look at the cluster directly.</summary>
public sealed class TmlSandbox : IAsyncLifetime
{
    public const string Ns = "tml";

    public SandboxServer Server { get; private set; } = null!;
    public KubeClient Client { get; private set; } = null!;
    public IClusterApi Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await SandboxServer.StartAsync(new SandboxOptions { Scenario = "tml", ReadyDelay = TimeSpan.FromMilliseconds(50) });
        Client = KubeClient.Create(KubeConfigLoader.Load(Server.KubeConfigPath).Resolve(), new KubeClientOptions { Retry = RetryPolicy.None });
        Api = new KubeClusterApi(Client);
        await WaitForBoundClaimsAsync(TmlProfile.Create());
        // The scenario's pods become Ready after ReadyDelay; a start on a running cluster just waits for that.
        await new ClusterLifecycle(Api).StartAsync(new StartRequest(Ns, TimeoutPerComponent: TimeSpan.FromSeconds(90)), new RecordingOperationContext());
    }

    /// <summary>
    /// The sandbox's controllers create and bind StatefulSet claims asynchronously; tests wait (here by polling the
    /// store, which tests may do) until every claim of the profile is Bound before they start.
    /// </summary>
    public async Task WaitForBoundClaimsAsync(ClusterProfile profile)
    {
        var names = profile.Components.SelectMany(c => c.ClaimNames(1)).ToList();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (!names.All(n => Server.Get("persistentvolumeclaims", Ns, n)?["status"]?["phase"]?.GetValue<string>() == "Bound"))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"the claims {string.Join(", ", names)} were not all Bound within 90 s");
            await Task.Delay(25);
        }
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }

    /// <summary>Every claim in the namespace with its phase and volume, and every volume with its phase.</summary>
    public string StorageFingerprint()
    {
        var claims = Server.List("persistentvolumeclaims", Ns)
            .Select(c => $"{c["metadata"]!["name"]}:{c["status"]?["phase"]}:{c["spec"]?["volumeName"]}:{c["metadata"]!["uid"]}");
        var volumes = Server.List("persistentvolumes")
            .Select(v => $"{v["metadata"]!["name"]}:{v["status"]?["phase"]}:{v["spec"]?["claimRef"]?["name"]}");
        return string.Join("\n", claims.OrderBy(x => x).Concat(volumes.OrderBy(x => x)));
    }

    public JsonObject? Get(string resource, string name) => Server.Get(resource, Ns, name);

    public async Task<ComponentState> StateAsync(int zones = 1) =>
        (await new ClusterLifecycle(Api).GetAsync(new ClusterRequest(Ns, zones), new RecordingOperationContext()))[0].ClusterState;
}
