using ClusterOps.Core.Common;

namespace ClusterOps.Cmdlets.Infrastructure.Fleet;

/// <summary>The fleet's parent progress bar: how many of the call's contexts are done.</summary>
public sealed class FleetProgress
{
    /// <summary>The parent bar's id; each context's bars get ids above it (see <see cref="ContextScope"/>).</summary>
    public const int ActivityId = 0x0F1E_0000;

    private readonly string _activity;
    private readonly int _total;
    private int _done;

    public FleetProgress(string command, int total)
    {
        _activity = $"{command} on {total} contexts";
        _total = total;
    }

    public OperationProgress Started() => Record(0);

    /// <summary>One more context finished (succeeded or failed); the last one completes the bar.</summary>
    public OperationProgress ContextDone(string context)
    {
        var done = Interlocked.Increment(ref _done);
        return Record(done, context) with { Completed = done == _total };
    }

    private OperationProgress Record(int done, string? last = null) => new(
        ActivityId,
        _activity,
        $"{done} of {_total} contexts done",
        PercentComplete: _total == 0 ? 100 : done * 100 / _total,
        CurrentOperation: last is null ? null : $"{last} finished");
}
