using System.Management.Automation;
using ClusterOps.Cmdlets.Infrastructure;
using ClusterOps.Core.Scheduling;

namespace ClusterOps.Cmdlets.Scheduling;

/// <summary>The policy sections New- and Set-SchedulePolicy both take, declared once.</summary>
public abstract class SchedulePolicySectionsCommand : KubeCmdlet
{
    [Parameter] public int? IntervalMinutes { get; set; }
    [Parameter] public int? IntervalRetain { get; set; }
    [Parameter] public string? DailyTime { get; set; }
    [Parameter] public int? DailyRetain { get; set; }
    [Parameter, ArgumentCompleter(typeof(WeeklyDayCompleter))] public string? WeeklyDay { get; set; }
    [Parameter] public string? WeeklyTime { get; set; }
    [Parameter] public int? WeeklyRetain { get; set; }
    [Parameter] public int? MonthlyDate { get; set; }
    [Parameter] public string? MonthlyTime { get; set; }
    [Parameter] public int? MonthlyRetain { get; set; }

    protected SchedulePolicyParameters Sections() => new()
    {
        IntervalMinutes = IntervalMinutes, IntervalRetain = IntervalRetain, DailyTime = DailyTime, DailyRetain = DailyRetain,
        WeeklyDay = WeeklyDay, WeeklyTime = WeeklyTime, WeeklyRetain = WeeklyRetain,
        MonthlyDate = MonthlyDate, MonthlyTime = MonthlyTime, MonthlyRetain = MonthlyRetain,
    };
}
