using ClusterOps.Core.Common;

namespace ClusterOps.Core.Scheduling;

/// <summary>
/// Replays Stork's migration schedule controller for one schedule over a time range, on a simulated clock, and
/// yields each migration it would start (and, on request, each window it would lose).
/// <para>
/// The clock: one controller pass at Start, then every <see cref="ScheduleTriggerRequest.Step"/> (default 10 s,
/// the requeue Stork's controllers ask for after a successful pass). Real passes also happen on watch events and
/// drift with API latency, so a real trigger lands within one step of the predicted one. Each pass does what
/// pkg/migration/controllers/migrationschedule.go does: first refresh the migration in progress (complete once
/// <see cref="ScheduleTriggerRequest.MigrationDuration"/> has passed, never in the pass that created it); if one
/// is still running, nothing triggers (any Pending/InProgress entry of any type blocks every type); otherwise the
/// types are checked in order Interval, Daily, Weekly, Monthly with <see cref="StorkTriggerRules"/> and the first
/// due one starts a migration, at most one per pass. The new entry's creationTimestamp (whole seconds, as the API
/// stores it) becomes that type's last trigger.
/// </para>
/// <para>
/// Consequences worth knowing, all visible in the output: an interval of N minutes fires every N minutes plus up to
/// one step (due means strictly after last + N); a long migration delays the interval and can swallow a whole
/// daily/weekly/monthly window, which is then lost (no catch-up); two types due together run one after the other.
/// </para>
/// </summary>
public static class ScheduleTriggerSimulator
{
    public const string RangeInvalid = "ScheduleTriggerRangeInvalid";

    /// <summary>Validates the request at once, then yields lazily in time order.</summary>
    public static IEnumerable<ScheduleTriggerInfo> Simulate(ScheduleTriggerRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.End < request.Start)
            throw new OperationException(RangeInvalid, FailureKind.InvalidArgument,
                $"The end {request.End:o} is before the start {request.Start:o}.");
        if (request.Step <= TimeSpan.Zero)
            throw new OperationException(RangeInvalid, FailureKind.InvalidArgument, "The controller step must be positive.");
        if (request.MigrationDuration < TimeSpan.Zero)
            throw new OperationException(RangeInvalid, FailureKind.InvalidArgument, "The migration duration cannot be negative.");
        var errors = SchedulePolicyValidator.ValidateSpec(request.Policy, request.PolicyName ?? "")
            .Where(p => p.Severity == SchedulePolicySeverity.Error).ToList();
        if (errors.Count > 0)
        {
            throw new OperationException(SchedulePolicyErrorIds.PolicyInvalid, FailureKind.InvalidData,
                $"Stork rejects this policy, so no schedule using it ever triggers: {string.Join(" ", errors.Select(e => e.Message))}",
                request.PolicyName);
        }
        return Run(request, cancellationToken);
    }

    private sealed record Running(SchedulePolicyType Type, DateTimeOffset Started, DateTimeOffset FinishAt);

    private static IEnumerable<ScheduleTriggerInfo> Run(ScheduleTriggerRequest request, CancellationToken cancellationToken)
    {
        var spec = request.Policy;
        var zone = request.TimeZone;
        var step = request.Step;
        var types = Enum.GetValues<SchedulePolicyType>().Where(spec.Has).ToArray();
        var last = request.LastTriggers.ToDictionary(p => p.Key, p => GoTime.TruncateToSecond(p.Value));
        var pending = new Dictionary<SchedulePolicyType, (DateTimeOffset Target, string BlockedBy)>();
        var targets = new Dictionary<SchedulePolicyType, DateTimeOffset?>();
        DateOnly? targetsDay = null;
        var recheckDateFrom = DateTimeOffset.MinValue;

        var running = RunningAtStart(request, last);

        for (long pass = 0; ; pass++)
        {
            var now = request.Start + TimeSpan.FromTicks(step.Ticks * pass);
            if (now > request.End)
                yield break;
            if ((pass & 1023) == 0)
                cancellationToken.ThrowIfCancellationRequested();

            if (running is not null && now >= running.FinishAt)
                running = null;

            // The local date only changes around midnight: convert the clock only from two hours before the next
            // midnight (a safe margin for any DST shift) instead of on every pass.
            if (now >= recheckDateFrom)
            {
                var today = DateOnly.FromDateTime(GoTime.In(now, zone).DateTime);
                if (today != targetsDay)
                {
                    foreach (var type in types)
                        targets[type] = StorkTriggerRules.Target(spec, type, today, zone);
                    targetsDay = today;
                    var tomorrow = today.AddDays(1);
                    recheckDateFrom = GoTime.Date(tomorrow.Year, tomorrow.Month, tomorrow.Day, 0, 0, zone).AddHours(-2);
                }
            }

            if (running is not null)
            {
                if (request.IncludeMissed)
                {
                    foreach (var type in types)
                    {
                        if (type == SchedulePolicyType.Interval || pending.ContainsKey(type))
                            continue;
                        var target = targets[type];
                        if (StorkTriggerRules.IsRequired(spec, type, target, last.TryGetValue(type, out var l) ? l : null, now))
                            pending[type] = (target!.Value, $"the {running.Type} migration started {StorkTriggerRules.Local(running.Started, zone)}");
                    }
                }
            }
            else
            {
                foreach (var type in types)
                {
                    var check = Check(type);
                    if (!check.Required)
                        continue;

                    var previous = last.TryGetValue(type, out var p) ? p : (DateTimeOffset?)null;
                    var delay = check.Target is { } target ? now - target
                        : previous is { } prev ? now - prev.AddMinutes(spec.Interval!.IntervalMinutes)
                        : TimeSpan.Zero;
                    last[type] = GoTime.TruncateToSecond(now);
                    pending.Remove(type);

                    var stepsToFinish = Math.Max(1L, (long)Math.Ceiling(request.MigrationDuration.Ticks / (double)step.Ticks));
                    var finishAt = now + TimeSpan.FromTicks(step.Ticks * stepsToFinish);
                    running = new Running(type, now, finishAt);

                    var local = GoTime.In(now, zone);
                    yield return new ScheduleTriggerInfo
                    {
                        Time = local,
                        PolicyType = type,
                        Outcome = ScheduleTriggerOutcome.Triggered,
                        Reason = delay > TimeSpan.Zero && check.Target is not null
                            ? $"{check.Reason}; started {FormatDelay(delay)} after the target"
                            : check.Reason,
                        Target = check.Target is { } t ? GoTime.In(t, zone) : null,
                        Delay = delay < TimeSpan.Zero ? TimeSpan.Zero : delay,
                        Finished = finishAt <= request.End ? GoTime.In(finishAt, zone) : null,
                        MigrationName = request.ScheduleName is { Length: > 0 } schedule
                            ? StorkApi.MigrationName(schedule, type, local)
                            : null,
                        PolicyName = request.PolicyName,
                        TimeZone = zone.Id,
                    };
                    break;
                }
            }

            if (pending.Count == 0)
                continue;
            foreach (var (type, lost) in pending.ToList())
            {
                if (targets[type] == lost.Target &&
                    StorkTriggerRules.IsRequired(spec, type, lost.Target, last.TryGetValue(type, out var l) ? l : null, now))
                    continue;
                pending.Remove(type);
                yield return new ScheduleTriggerInfo
                {
                    Time = GoTime.In(now, zone),
                    PolicyType = type,
                    Outcome = ScheduleTriggerOutcome.Missed,
                    Reason = $"{StorkTriggerRules.Describe(spec, type)}: the window of {StorkTriggerRules.Local(lost.Target, zone)} closed while {lost.BlockedBy} was still running; Stork does not catch up",
                    Target = GoTime.In(lost.Target, zone),
                    Delay = now - lost.Target,
                    PolicyName = request.PolicyName,
                    TimeZone = zone.Id,
                };
            }

            // The cheap decision first; the reason text only for the rare pass that triggers.
            TriggerCheck Check(SchedulePolicyType type)
            {
                var lastOfType = last.TryGetValue(type, out var l) ? l : (DateTimeOffset?)null;
                var target = type == SchedulePolicyType.Interval ? null : targets[type];
                if (!StorkTriggerRules.IsRequired(spec, type, target, lastOfType, now))
                    return new TriggerCheck(false, target, "");
                return type == SchedulePolicyType.Interval
                    ? StorkTriggerRules.Check(spec, type, lastOfType, now, zone)
                    : StorkTriggerRules.CheckTarget(spec, type, target!.Value, lastOfType, now, zone);
            }
        }
    }

    /// <summary>The newest earlier run still in progress at Start, when a duration is given.</summary>
    private static Running? RunningAtStart(ScheduleTriggerRequest request, Dictionary<SchedulePolicyType, DateTimeOffset> last)
    {
        if (request.MigrationDuration <= TimeSpan.Zero || last.Count == 0)
            return null;
        var newest = last.MaxBy(p => p.Value);
        var done = newest.Value + request.MigrationDuration;
        if (done <= request.Start)
            return null;
        var steps = (long)Math.Ceiling((done - request.Start).Ticks / (double)request.Step.Ticks);
        return new Running(newest.Key, newest.Value, request.Start + TimeSpan.FromTicks(request.Step.Ticks * steps));
    }

    private static string FormatDelay(TimeSpan delay) =>
        delay.TotalHours >= 1 ? $"{(int)delay.TotalHours}h{delay.Minutes:00}m{delay.Seconds:00}s"
        : delay.TotalMinutes >= 1 ? $"{(int)delay.TotalMinutes}m{delay.Seconds:00}s"
        : $"{delay.TotalSeconds:0}s";
}
