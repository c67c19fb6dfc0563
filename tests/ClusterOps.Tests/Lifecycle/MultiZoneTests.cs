using System.Text.Json.Nodes;
using ClusterOps.Core.Lifecycle;
using ClusterOps.Tests.Infrastructure;

namespace ClusterOps.Tests.Lifecycle;

/// <summary>
/// A two-zone cluster: the `tml` scenario's zone 0 plus a zone 1 cloned from it (cass-set-1, cm-svc-1, ...; tm-svc
/// and the component secrets shared), stopped and started with -Zones 2 in both modes.
/// </summary>
public class MultiZoneTests : IAsyncLifetime
{
    private readonly TmlSandbox _sb = new();
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    public async Task InitializeAsync()
    {
        await _sb.InitializeAsync();
        foreach (var kind in new[] { "statefulsets", "deployments" })
        {
            foreach (var w in _sb.Server.List(kind, TmlSandbox.Ns))
            {
                var clone = ManifestCleaner.Clean(w);
                var name = clone["metadata"]!["name"]!.GetValue<string>();
                var app = clone["spec"]!["selector"]!["matchLabels"]!["app"]!.GetValue<string>();
                // A label of its own keeps zone 1's pods out of zone 0's selector.
                var zoneApp = $"{app}-z1";
                clone["metadata"]!["name"] = name[..^1] + "1";
                clone["spec"]!["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = zoneApp } };
                clone["spec"]!["template"]!["metadata"]!["labels"] = new JsonObject { ["app"] = zoneApp, ["zone"] = "1" };
                if (clone["spec"]!["serviceName"] is not null)
                    clone["spec"]!["serviceName"] = clone["spec"]!["serviceName"]!.GetValue<string>()[..^1] + "1";
                _sb.Server.Create(clone);
            }
        }
        foreach (var s in _sb.Server.List("services", TmlSandbox.Ns).Where(s => s["metadata"]!["name"]!.GetValue<string>() != "tm-svc"))
        {
            var clone = ManifestCleaner.Clean(s);
            clone["metadata"]!["name"] = clone["metadata"]!["name"]!.GetValue<string>()[..^1] + "1";
            _sb.Server.Create(clone);
        }
        foreach (var pv in _sb.Server.List("persistentvolumes"))
        {
            var clone = ManifestCleaner.Clean(pv);
            clone["metadata"]!["name"] = clone["metadata"]!["name"]!.GetValue<string>() + "-z1";
            clone["spec"]!.AsObject().Remove("claimRef");
            _sb.Server.Create(clone);
        }
        await _sb.WaitForBoundClaimsAsync(TmlProfile.Create(2));
        await new ClusterLifecycle(_sb.Api).StartAsync(new StartRequest(TmlSandbox.Ns, Zones: 2, TimeoutPerComponent: Timeout), new RecordingOperationContext());
    }

    public Task DisposeAsync() => _sb.DisposeAsync();

    [Theory]
    [InlineData(StopMode.ScaleToZero)]
    [InlineData(StopMode.Undeploy)]
    public async Task Two_zones_stop_and_start_together(StopMode mode)
    {
        var lifecycle = new ClusterLifecycle(_sb.Api);
        var rows = await lifecycle.GetAsync(new ClusterRequest(TmlSandbox.Ns, 2), new RecordingOperationContext());
        Assert.Equal(12, rows.Count);
        Assert.All(rows, r => Assert.Equal(ComponentState.Running, r.State));
        Assert.Equal(new[] { "nosqlvol-cass-set-0-0", "nosqlvol-cass-set-1-0" }, rows.Where(r => r.Component == "NoSQL").Select(r => r.Claims));
        var storage = _sb.StorageFingerprint();

        var stop = new RecordingOperationContext();
        await lifecycle.StopAsync(new StopRequest(TmlSandbox.Ns, 2, mode, Timeout), stop);
        var stopped = stop.InformationOf<LifecycleStepRecord>().Where(s => s.Action is "ScaleToZero" or "DeleteWorkload").Select(s => s.Component).ToList();
        Assert.Equal(new[] { "CM", "CM[1]", "TM", "TM[1]", "Cache", "Cache[1]", "DB", "DB[1]", "Log", "Log[1]", "NoSQL", "NoSQL[1]" }, stopped);
        Assert.Equal(ComponentState.Stopped, await _sb.StateAsync(2));
        Assert.Equal(storage, _sb.StorageFingerprint());

        await lifecycle.StartAsync(new StartRequest(TmlSandbox.Ns, 2, Timeout), new RecordingOperationContext());
        Assert.Equal(ComponentState.Running, await _sb.StateAsync(2));
        Assert.NotNull(_sb.Get("services", "tm-svc"));
        Assert.NotNull(_sb.Get("services", "cass-svc-1"));
        Assert.Equal(storage, _sb.StorageFingerprint());
    }
}
