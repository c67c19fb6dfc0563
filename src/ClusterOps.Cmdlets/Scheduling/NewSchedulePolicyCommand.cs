using System.Management.Automation;
using ClusterOps.Cmdlets.Infrastructure;
using ClusterOps.Core.Scheduling;
using ClusterOps.Kubernetes;

namespace ClusterOps.Cmdlets.Scheduling;

/// <summary>New-SchedulePolicy: a cluster SchedulePolicy, or a NamespacedSchedulePolicy with -Namespace, validated as Stork does.</summary>
[Cmdlet(VerbsCommon.New, "SchedulePolicy", SupportsShouldProcess = true)]
[OutputType(typeof(SchedulePolicyInfo))]
public sealed class NewSchedulePolicyCommand : KubeCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
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

    /// <summary>Given: a NamespacedSchedulePolicy in that namespace. Absent: a cluster-scoped SchedulePolicy.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(KubeNamespaceCompleter))]
    public string? Namespace { get; set; }

    [Parameter] public SwitchParameter PassThru { get; set; }

    protected override async Task ProcessAsync(KubeSession session, CancellationToken cancellationToken)
    {
        var created = await new SchedulePolicyOperations(session.Client).CreateAsync(Name, string.IsNullOrEmpty(Namespace) ? null : Namespace,
            ToParameters(), Operation).ConfigureAwait(false);
        if (PassThru && created is not null)
            WriteObject(created);
    }

    internal SchedulePolicyParameters ToParameters() => new()
    {
        IntervalMinutes = IntervalMinutes, IntervalRetain = IntervalRetain, DailyTime = DailyTime, DailyRetain = DailyRetain,
        WeeklyDay = WeeklyDay, WeeklyTime = WeeklyTime, WeeklyRetain = WeeklyRetain,
        MonthlyDate = MonthlyDate, MonthlyTime = MonthlyTime, MonthlyRetain = MonthlyRetain,
    };
}
