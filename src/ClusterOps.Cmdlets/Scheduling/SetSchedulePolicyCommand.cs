using System.Management.Automation;
using ClusterOps.Cmdlets.Infrastructure;
using ClusterOps.Core.Scheduling;
using ClusterOps.Kubernetes;

namespace ClusterOps.Cmdlets.Scheduling;

/// <summary>Set-SchedulePolicy: changes or clears sections with a merge patch; fields ClusterOps does not know are kept.</summary>
[Cmdlet(VerbsCommon.Set, "SchedulePolicy", SupportsShouldProcess = true)]
[OutputType(typeof(SchedulePolicyInfo))]
public sealed class SetSchedulePolicyCommand : KubeCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SchedulePolicyNameCompleter))]
    public string Name { get; set; } = "";

    [Parameter] public int? IntervalMinutes { get; set; }
    [Parameter] public int? IntervalRetain { get; set; }
    [Parameter] public string? DailyTime { get; set; }
    [Parameter] public int? DailyRetain { get; set; }
    [Parameter] public string? WeeklyDay { get; set; }
    [Parameter] public string? WeeklyTime { get; set; }
    [Parameter] public int? WeeklyRetain { get; set; }
    [Parameter] public int? MonthlyDate { get; set; }
    [Parameter] public string? MonthlyTime { get; set; }
    [Parameter] public int? MonthlyRetain { get; set; }

    /// <summary>Sections to remove from the policy.</summary>
    [Parameter] public SchedulePolicyType[] Clear { get; set; } = [];

    /// <summary>A NamespacedSchedulePolicy's namespace; absent (or empty, as piped from a cluster policy) for a SchedulePolicy.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(KubeNamespaceCompleter))]
    public string? Namespace { get; set; }

    [Parameter] public SwitchParameter PassThru { get; set; }

    protected override async Task ProcessAsync(KubeSession session, CancellationToken cancellationToken)
    {
        var parameters = new SchedulePolicyParameters
        {
            IntervalMinutes = IntervalMinutes, IntervalRetain = IntervalRetain, DailyTime = DailyTime, DailyRetain = DailyRetain,
            WeeklyDay = WeeklyDay, WeeklyTime = WeeklyTime, WeeklyRetain = WeeklyRetain,
            MonthlyDate = MonthlyDate, MonthlyTime = MonthlyTime, MonthlyRetain = MonthlyRetain,
        };
        var changed = await new SchedulePolicyOperations(session.Client).SetAsync(Name, string.IsNullOrEmpty(Namespace) ? null : Namespace,
            parameters, Clear, Operation).ConfigureAwait(false);
        if (PassThru && changed is not null)
            WriteObject(changed);
    }
}
