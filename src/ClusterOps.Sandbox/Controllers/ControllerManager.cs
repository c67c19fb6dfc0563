using ClusterOps.Sandbox.Server;

namespace ClusterOps.Sandbox.Controllers;

/// <summary>Runs the simulated controllers (filled in with the controllers milestone).</summary>
internal sealed class ControllerManager : IAsyncDisposable
{
    private readonly ObjectStore _store;
    private readonly SandboxOptions _options;

    public ControllerManager(ObjectStore store, SandboxOptions options)
    {
        _store = store;
        _options = options;
    }

    public void Start()
    {
        _ = _store;
        _ = _options;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
