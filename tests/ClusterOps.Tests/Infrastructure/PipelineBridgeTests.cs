using ClusterOps.Cmdlets.Infrastructure;

namespace ClusterOps.Tests.Infrastructure;

public sealed class PipelineBridgeTests
{
    [Fact]
    public void Pipeline_calls_run_on_the_calling_thread_even_after_ConfigureAwait_false()
    {
        var bridge = new PipelineBridge();
        var pipelineThread = Environment.CurrentManagedThreadId;
        var seen = new List<(int Thread, int Item)>();

        bridge.Run(async () =>
        {
            for (var i = 0; i < 5; i++)
            {
                await Task.Yield();
                await Task.Delay(1).ConfigureAwait(false);
                var item = i;
                bridge.Post(() => seen.Add((Environment.CurrentManagedThreadId, item)));
            }
        });

        Assert.Equal(new[] { 0, 1, 2, 3, 4 }, seen.Select(s => s.Item));
        Assert.All(seen, s => Assert.Equal(pipelineThread, s.Thread));
    }

    [Fact]
    public void Invoke_returns_the_answer_computed_on_the_pipeline_thread()
    {
        var bridge = new PipelineBridge();
        var pipelineThread = Environment.CurrentManagedThreadId;
        int answeredOn = -1;
        var answer = false;

        bridge.Run(async () =>
        {
            await Task.Yield();
            answer = bridge.Invoke(() => { answeredOn = Environment.CurrentManagedThreadId; return true; });
        });

        Assert.True(answer);
        Assert.Equal(pipelineThread, answeredOn);
    }

    [Fact]
    public void A_failing_pipeline_call_stops_the_work_and_surfaces_its_exception()
    {
        var bridge = new PipelineBridge();
        using var stop = new CancellationTokenSource();
        bridge.PipelineFailed += stop.Cancel;
        var afterFailure = 0;

        var ex = Assert.Throws<InvalidOperationException>(() => bridge.Run(async () =>
        {
            bridge.Post(() => throw new InvalidOperationException("pipeline stopped"));
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(30), stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
            // An Invoke after the failure must not hang waiting for a pipeline that is gone.
            Assert.ThrowsAny<Exception>(() => bridge.Invoke(() => { afterFailure++; return true; }));
        }));

        Assert.Equal("pipeline stopped", ex.Message);
        Assert.Equal(0, afterFailure);
    }

    [Fact]
    public void An_exception_from_the_work_is_rethrown_on_the_calling_thread()
    {
        var bridge = new PipelineBridge();
        var ex = Assert.Throws<TimeoutException>(() => bridge.Run(async () =>
        {
            await Task.Yield();
            throw new TimeoutException("took too long");
        }));
        Assert.Equal("took too long", ex.Message);
    }
}
