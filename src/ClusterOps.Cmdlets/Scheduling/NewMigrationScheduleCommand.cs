using System.Collections;
using System.Management.Automation;
using ClusterOps.Cmdlets.Infrastructure;
using ClusterOps.Core.Scheduling;
using ClusterOps.Kubernetes;

namespace ClusterOps.Cmdlets.Scheduling;

/// <summary>New-MigrationSchedule: storkctl create migrationschedule, with its checks, before anything is written.</summary>
[Cmdlet(VerbsCommon.New, "MigrationSchedule", SupportsShouldProcess = true, DefaultParameterSetName = PolicySet)]
[OutputType(typeof(MigrationScheduleInfo))]
public sealed class NewMigrationScheduleCommand : NamespacedKubeCmdlet
{
    private const string PolicySet = "Policy";
    private const string IntervalSet = "Interval";

    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    [ValidateKubeName()]
    public string Name { get; set; } = "";

    [Parameter(Mandatory = true)]
    [ArgumentCompleter(typeof(ClusterPairNameCompleter))]
    [ValidateNotNullOrEmpty]
    [ValidateKubeName()]
    public string ClusterPair { get; set; } = "";

    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    [ValidateKubeName(KubeNameRule.Namespace)]
    public string[] Namespaces { get; set; } = [];

    [Parameter(ParameterSetName = PolicySet)]
    [ArgumentCompleter(typeof(SchedulePolicyForScheduleCompleter))]
    [ValidateNotNullOrEmpty]
    [ValidateKubeName()]
    public string? SchedulePolicyName { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = IntervalSet)]
    [ValidateRange(1, int.MaxValue)]
    public int IntervalMinutes { get; set; }

    [Parameter] public SwitchParameter ExcludeResources { get; set; }
    [Parameter] public SwitchParameter ExcludeVolumes { get; set; }
    [Parameter] public SwitchParameter StartApplications { get; set; }
    [Parameter] public SwitchParameter PurgeDeletedResources { get; set; }
    [Parameter] public SwitchParameter Suspend { get; set; }
    /// <summary>storkctl's --disable-auto-suspend: without it the schedule stops itself once the destination is activated.</summary>
    [Parameter] public SwitchParameter DisableAutoSuspend { get; set; }
    [ValidateKubeName()]
    [Parameter] public string? PreExecRule { get; set; }
    [ValidateKubeName()]
    [Parameter] public string? PostExecRule { get; set; }
    [Parameter] public Hashtable? Selector { get; set; }
    [Parameter] public Hashtable? ExcludeSelector { get; set; }
    [ValidateKubeName(KubeNameRule.Namespace)]
    [Parameter] [ValidateNotNullOrEmpty] public string? AdminNamespace { get; set; }
    [Parameter] public SwitchParameter PassThru { get; set; }

    protected override async Task ProcessAsync(KubeSession session, CancellationToken cancellationToken)
    {
        var request = new MigrationScheduleRequest
        {
            Name = Name, Namespace = session.Namespace, ClusterPair = ClusterPair, Namespaces = Namespaces,
            SchedulePolicyName = SchedulePolicyName,
            IntervalMinutes = ParameterSetName == IntervalSet ? IntervalMinutes : null,
            ExcludeResources = ExcludeResources, ExcludeVolumes = ExcludeVolumes, StartApplications = StartApplications,
            PurgeDeletedResources = PurgeDeletedResources, Suspend = Suspend, AutoSuspend = !DisableAutoSuspend,
            PreExecRule = PreExecRule, PostExecRule = PostExecRule,
            Selectors = ToMap(Selector), ExcludeSelectors = ToMap(ExcludeSelector), AdminNamespace = AdminNamespace,
        };
        var created = await new MigrationScheduleOperations(session.Client).CreateAsync(request, Operation).ConfigureAwait(false);
        if (PassThru && created is not null)
            WriteObject(created);
    }

    private static Dictionary<string, string>? ToMap(Hashtable? table) =>
        table?.Cast<DictionaryEntry>().ToDictionary(e => e.Key.ToString()!, e => e.Value?.ToString() ?? "", StringComparer.Ordinal);
}
