using System.Collections;
using System.Management.Automation;
using ClusterOps.Cmdlets.Infrastructure;
using ClusterOps.Core.Common;
using ClusterOps.Core.Scheduling;

namespace ClusterOps.Cmdlets.Scheduling;

/// <summary>Get-ScheduleTrigger: when Stork would start migrations for a policy, replaying its controller offline.</summary>
[Cmdlet(VerbsCommon.Get, "ScheduleTrigger", DefaultParameterSetName = PolicySet)]
[OutputType(typeof(ScheduleTriggerInfo))]
public sealed class GetScheduleTriggerCommand : ClusterOpsCmdlet
{
    private const string PolicySet = "Policy";
    private const string PathSet = "Path";

    /// <summary>
    /// A policy object (from Get-SchedulePolicy or Test-SchedulePolicy) or a policy name. A name is looked up in the
    /// cluster as Stork does: the NamespacedSchedulePolicy of -Namespace first, then the SchedulePolicy.
    /// </summary>
    [Parameter(ParameterSetName = PolicySet, Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ArgumentCompleter(typeof(SchedulePolicyForScheduleCompleter))]
    [ValidateNotNull]
    [ValidateKubeName]
    public object Policy { get; set; } = null!;

    [Parameter(ParameterSetName = PathSet, Mandatory = true)]
    public string Path { get; set; } = "";

    [Parameter(ParameterSetName = PolicySet)]
    [ArgumentCompleter(typeof(KubeNamespaceCompleter))]
    [ValidateNotNullOrEmpty]
    [ValidateKubeName(KubeNameRule.Namespace)]
    [Alias("n")]
    public string? Namespace { get; set; }

    [Parameter(ParameterSetName = PolicySet)]
    [ArgumentCompleter(typeof(KubeContextNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Context { get; set; }

    [Parameter(ParameterSetName = PolicySet)]
    [ValidateNotNullOrEmpty]
    public string? KubeConfig { get; set; }

    [Parameter] public DateTime? Start { get; set; }
    [Parameter] public DateTime? End { get; set; }
    [Parameter, ArgumentCompleter(typeof(TimeZoneCompleter))] public string TimeZone { get; set; } = "UTC";
    [Parameter] public Hashtable? LastTrigger { get; set; }
    [Parameter] public TimeSpan MigrationDuration { get; set; }
    [ValidateKubeName()]
    [Parameter] public string? ScheduleName { get; set; }
    [Parameter] public SwitchParameter IncludeMissed { get; set; }

    protected override Task ProcessRecordAsync(CancellationToken cancellationToken) =>
        ScheduleTriggerPreview.PreviewAsync(new ScheduleTriggerQuery(Source(), Start, End, TimeZone,
            PipelineValues.Unwrap(LastTrigger), MigrationDuration, ScheduleName, IncludeMissed), Operation);

    private PolicySource Source()
    {
        if (ParameterSetName == PathSet)
            return new PolicySource { File = (ResolvePath(Path), Path) };
        var policy = Policy is PSObject wrapped ? wrapped.BaseObject : Policy;
        if (policy is SchedulePolicyInfo given)
            return new PolicySource { Policy = given };
        if (policy is not string name)
        {
            throw new OperationException("ScheduleTriggerPolicyInvalid", FailureKind.InvalidArgument,
                $"-Policy takes a policy name or a SchedulePolicyInfo (from Get-SchedulePolicy); a {policy.GetType().Name} is neither.", policy);
        }
        // Only a policy name needs the cluster: offline previews never read a kubeconfig.
        var kubeConfig = KubeConfig is null ? null : ResolvePath(KubeConfig);
        var session = KubeConnectionCache.Shared.GetSession(new KubeSessionRequest(kubeConfig, Context, Namespace, DefaultsScope));
        return new PolicySource { Cluster = (session.Client, name, session.Namespace) };
    }
}
