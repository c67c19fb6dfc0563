using System.Diagnostics;
using ClusterOps.Core.Common;

namespace ClusterOps.Core.Lifecycle;

/// <summary>
/// Runs the steps of one stop/start/remove: asks -WhatIf/-Confirm for each change, times it, reports progress and
/// writes one <see cref="LifecycleStepRecord"/> per step as it finishes to the information stream (tag
/// <see cref="InformationTag"/>), not to the output: the cmdlets' output is the cluster acted on (-PassThru), one
/// object type per invocation, so <c>Stop-TmlCluster -PassThru | Export-Csv</c> gives uniform rows, while
/// <c>-InformationVariable steps</c> still gives every step as a typed record.
/// </summary>
internal sealed class StepRunner
{
    private readonly IOperationContext _ctx;
    private readonly string _ns;
    private readonly string _activity;
    private readonly int _total;
    private int _index;

    public StepRunner(IOperationContext ctx, string ns, string activity, int total)
    {
        _ctx = ctx;
        _ns = ns;
        _activity = activity;
        _total = Math.Max(total, 1);
    }

    public const int ActivityId = 4711;
    public const string InformationTag = "ClusterOps.LifecycleStep";

    public static string ComponentName(PlannedStep step) => step.Component?.DisplayName ?? "Cluster";

    public string Target(string obj) => $"{obj} in namespace '{_ns}'";

    /// <summary>
    /// One step. <paramref name="confirmAction"/> null means "no change" (a wait or check: never asked). Returns
    /// NotConfirmed when declined; a failure is recorded, then rethrown.
    /// </summary>
    public async Task<StepResult> RunAsync(PlannedStep step, string? confirmAction, Func<Action<string>, Task<(StepResult Result, string Message)>> work)
    {
        var component = ComponentName(step);
        var status = $"{component}: {step.Action} {step.Object}";
        _ctx.WriteProgress(new OperationProgress(ActivityId, _activity, status, Math.Min(99, _index * 100 / _total)));
        _index++;
        if (confirmAction is not null && !_ctx.ShouldProcess(Target(step.Object), confirmAction))
        {
            Emit(component, step.Action, step.Object, StepResult.NotConfirmed, TimeSpan.Zero, "not confirmed (-WhatIf or declined)");
            return StepResult.NotConfirmed;
        }
        var watch = Stopwatch.StartNew();
        try
        {
            var (result, message) = await work(current =>
                _ctx.WriteProgress(new OperationProgress(ActivityId, _activity, status, Math.Min(99, (_index - 1) * 100 / _total), current))).ConfigureAwait(false);
            Emit(component, step.Action, step.Object, result, watch.Elapsed, message);
            _ctx.WriteVerbose($"{component}: {step.Action} {step.Object}: {result} ({message})");
            return result;
        }
        catch (OperationCanceledException) when (_ctx.CancellationToken.IsCancellationRequested)
        {
            Emit(component, step.Action, step.Object, StepResult.Failed, watch.Elapsed, "cancelled");
            throw;
        }
        catch (Exception ex)
        {
            Emit(component, step.Action, step.Object, StepResult.Failed, watch.Elapsed, ex.Message);
            throw;
        }
    }

    public void Emit(string component, StepAction action, string obj, StepResult result, TimeSpan duration, string message) =>
        _ctx.WriteInformation(new LifecycleStepRecord
        {
            Namespace = _ns,
            Component = component,
            Action = action.ToString(),
            Object = obj,
            Result = result,
            Duration = duration,
            Message = message,
        }, InformationTag);

    public void Complete() => _ctx.WriteProgress(new OperationProgress(ActivityId, _activity, "Done", 100, Completed: true));
}
