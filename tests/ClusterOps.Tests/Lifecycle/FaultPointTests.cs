using ClusterOps.Core.Lifecycle;
using ClusterOps.Tests.Infrastructure;

namespace ClusterOps.Tests.Lifecycle;

/// <summary>
/// The reliability property on a real (sandbox) API: for every k over all the calls of a stop and of a start, an API
/// error — or a cancellation — before the k-th call leaves a state from which a second run completes; claims and
/// their volumes never change; the cluster ends Stopped after the stop and Running after the start.
/// </summary>
public class FaultPointTests : IAsyncLifetime
{
    private readonly TmlSandbox _sb = new();
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    public Task InitializeAsync() => _sb.InitializeAsync();
    public Task DisposeAsync() => _sb.DisposeAsync();

    [Theory]
    [InlineData(StopMode.ScaleToZero)]
    [InlineData(StopMode.Undeploy)]
    public async Task Every_fault_point_of_stop_and_start_is_recoverable(StopMode mode)
    {
        var storage = _sb.StorageFingerprint();

        // Count the calls of an undisturbed stop and start.
        var stopCount = new FaultingClusterApi(_sb.Api);
        await new ClusterLifecycle(stopCount).StopAsync(new StopRequest(TmlSandbox.Ns, Mode: mode, Timeout: Timeout), new RecordingOperationContext());
        var startCount = new FaultingClusterApi(_sb.Api);
        await new ClusterLifecycle(startCount).StartAsync(new StartRequest(TmlSandbox.Ns, TimeoutPerComponent: Timeout), new RecordingOperationContext());
        Assert.True(stopCount.Calls > 10 && startCount.Calls > 10, $"{stopCount.Calls} / {startCount.Calls} calls");

        var failures = new List<string>();
        for (var k = 1; k <= Math.Max(stopCount.Calls, startCount.Calls); k++)
        {
            // Odd k: the API fails; even k: the user presses Ctrl+C.
            var cancel = k % 2 == 0;
            if (k <= stopCount.Calls)
            {
                await RunFaulted(k, cancel, api => new ClusterLifecycle(api).StopAsync(new StopRequest(TmlSandbox.Ns, Mode: mode, Timeout: Timeout), Ctx(api)));
                await new ClusterLifecycle(_sb.Api).StopAsync(new StopRequest(TmlSandbox.Ns, Mode: mode, Timeout: Timeout), new RecordingOperationContext());
                Check(k, "stop", ComponentState.Stopped);
            }
            else
            {
                await new ClusterLifecycle(_sb.Api).StopAsync(new StopRequest(TmlSandbox.Ns, Mode: mode, Timeout: Timeout), new RecordingOperationContext());
            }
            if (k <= startCount.Calls)
                await RunFaulted(k, cancel, api => new ClusterLifecycle(api).StartAsync(new StartRequest(TmlSandbox.Ns, TimeoutPerComponent: Timeout), Ctx(api)));
            await new ClusterLifecycle(_sb.Api).StartAsync(new StartRequest(TmlSandbox.Ns, TimeoutPerComponent: Timeout), new RecordingOperationContext());
            Check(k, "start", ComponentState.Running);
        }
        Assert.Empty(failures);

        void Check(int k, string what, ComponentState expected)
        {
            var state = _sb.StateAsync().GetAwaiter().GetResult();
            if (state != expected)
                failures.Add($"k={k}: after the second {what} the cluster is {state}");
            if (_sb.StorageFingerprint() != storage)
                failures.Add($"k={k}: claims or volumes changed during {what}");
        }
    }

    private readonly Dictionary<FaultingClusterApi, RecordingOperationContext> _contexts = new();

    private RecordingOperationContext Ctx(FaultingClusterApi api) => _contexts[api];

    private async Task RunFaulted(int k, bool cancel, Func<FaultingClusterApi, Task> run)
    {
        var ctx = new RecordingOperationContext();
        var api = new FaultingClusterApi(_sb.Api, failAt: k, cancel: cancel, cancelOperation: ctx.Cancel);
        _contexts[api] = ctx;
        try
        {
            await run(api);
            // Only the lease's release may fail without failing the run: its work is done, and the release is retried.
            Assert.False(api.Fired && !api.Log[k - 1].StartsWith("DELETE Lease/", StringComparison.Ordinal),
                $"k={k}: the run completed although call {k} ({api.Log[k - 1]}) failed");
        }
        catch (Exception ex) when (api.Fired)
        {
            // A clear error: ours, the API's, or the cancellation; never something unexplained.
            Assert.True(ex is OperationCanceledException or global::ClusterOps.Core.Common.OperationException or global::ClusterOps.Kubernetes.Errors.KubeApiException,
                $"k={k}: unexpected {ex.GetType().Name}: {ex.Message}");
            Assert.False(string.IsNullOrWhiteSpace(ex.Message));
        }
        finally
        {
            _contexts.Remove(api);
        }
    }
}
