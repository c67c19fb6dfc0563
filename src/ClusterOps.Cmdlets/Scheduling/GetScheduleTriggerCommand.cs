using System.Collections;
using System.Management.Automation;
using ClusterOps.Cmdlets.Infrastructure;
using ClusterOps.Core.Scheduling;

namespace ClusterOps.Cmdlets.Scheduling;

/// <summary>Get-ScheduleTrigger: when Stork would start migrations for a policy, replaying its controller offline.</summary>
[Cmdlet(VerbsCommon.Get, "ScheduleTrigger", DefaultParameterSetName = PolicySet)]
[OutputType(typeof(ScheduleTriggerInfo))]
public sealed class GetScheduleTriggerCommand : ClusterOpsCmdlet
{
    private const string PolicySet = "Policy";
    private const string PathSet = "Path";

    [Parameter(ParameterSetName = PolicySet, Mandatory = true, Position = 0, ValueFromPipeline = true)]
    public SchedulePolicyInfo Policy { get; set; } = null!;

    [Parameter(ParameterSetName = PathSet, Mandatory = true)]
    public string Path { get; set; } = "";

    [Parameter] public DateTime? Start { get; set; }
    [Parameter] public DateTime? End { get; set; }
    [Parameter, ArgumentCompleter(typeof(TimeZoneCompleter))] public string TimeZone { get; set; } = "UTC";
    [Parameter] public Hashtable? LastTrigger { get; set; }
    [Parameter] public TimeSpan MigrationDuration { get; set; }
    [Parameter] public string? ScheduleName { get; set; }
    [Parameter] public SwitchParameter IncludeMissed { get; set; }

    protected override Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        var policies = ParameterSetName == PathSet
            ? SchedulePolicyYaml.LoadFile(InvokeOnPipelineThread(() => SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path)))
                .Select(d => SchedulePolicyInfo.From(d, Path))
            : [Policy];
        var zone = OfflineScheduleOperations.FindTimeZone(TimeZone);
        var start = Start is { } s ? OfflineScheduleOperations.ToInstant(s, zone) : DateTimeOffset.UtcNow;
        foreach (var policy in policies)
        {
            OfflineScheduleOperations.PreviewTriggers(new ScheduleTriggerRequest
            {
                Policy = policy.Spec,
                PolicyName = policy.Name,
                Start = start,
                End = End is { } e ? OfflineScheduleOperations.ToInstant(e, zone) : start.AddDays(7),
                TimeZone = zone,
                LastTriggers = OfflineScheduleOperations.ParseLastTriggers(LastTrigger, zone),
                MigrationDuration = MigrationDuration,
                ScheduleName = ScheduleName,
                IncludeMissed = IncludeMissed,
            }, Context);
        }
        return Task.CompletedTask;
    }
}
