using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace ClusterOps.Cmdlets.Infrastructure;

/// <summary>
/// Runs async work off the pipeline thread while every pipeline call (WriteObject, WriteError, ShouldProcess, ...)
/// is executed back on the pipeline thread, which PowerShell requires. The work posts actions; the pipeline thread
/// drains them until the work completes. Independent of ConfigureAwait: nothing relies on a synchronization context.
/// Free of System.Management.Automation so that xunit can drive it.
/// </summary>
public sealed class PipelineBridge
{
    private BlockingCollection<Action>? _queue;
    private int _pipelineThreadId = -1;
    private ExceptionDispatchInfo? _pipelineFailure;
    private CancellationTokenSource _failed = new();

    /// <summary>Raised on the pipeline thread when an action fails (for example PipelineStoppedException).</summary>
    public event Action? PipelineFailed;

    /// <summary>Run <paramref name="work"/> to completion, pumping its pipeline calls on the calling thread.</summary>
    public void Run(Func<Task> work)
    {
        var queue = new BlockingCollection<Action>();
        _queue = queue;
        _pipelineThreadId = Environment.CurrentManagedThreadId;
        _pipelineFailure = null;
        _failed = new CancellationTokenSource();
        var task = Task.Run(work);
        task.ContinueWith(_ => queue.CompleteAdding(), TaskScheduler.Default);
        try
        {
            foreach (var action in queue.GetConsumingEnumerable())
            {
                if (_pipelineFailure is not null)
                    continue; // the pipeline is gone: drain without executing
                try
                {
                    action();
                }
                catch (Exception ex)
                {
                    _pipelineFailure = ExceptionDispatchInfo.Capture(ex);
                    _failed.Cancel(); // releases any Invoke still waiting for an answer
                    PipelineFailed?.Invoke();
                }
            }
        }
        finally
        {
            _queue = null;
            _pipelineThreadId = -1;
        }
        _pipelineFailure?.Throw();
        task.GetAwaiter().GetResult();
    }

    /// <summary>Queue a fire-and-forget pipeline call (WriteObject, WriteVerbose, ...).</summary>
    public void Post(Action action)
    {
        if (IsOnPipelineThread || _queue is null)
        {
            action();
            return;
        }
        if (_pipelineFailure is not null)
            _pipelineFailure.Throw();
        _queue.Add(action);
    }

    /// <summary>Run a pipeline call that answers (ShouldProcess) and wait for its answer.</summary>
    public T Invoke<T>(Func<T> call)
    {
        if (IsOnPipelineThread || _queue is null)
            return call();
        var answer = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var released = _failed.Token.Register(() =>
            answer.TrySetException(_pipelineFailure?.SourceException ?? new OperationCanceledException()));
        Post(() =>
        {
            try { answer.TrySetResult(call()); }
            catch (Exception ex) { answer.TrySetException(ex); throw; }
        });
        return answer.Task.GetAwaiter().GetResult();
    }

    private bool IsOnPipelineThread => Environment.CurrentManagedThreadId == _pipelineThreadId;
}
