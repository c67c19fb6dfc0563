using System.Management.Automation;
using ClusterOps.Cmdlets.Infrastructure;
using ClusterOps.Core.Scheduling;
using ClusterOps.Kubernetes;

namespace ClusterOps.Cmdlets.Scheduling;

/// <summary>Get-KubeEvent: the events of one object, as kubectl describe shows them.</summary>
[Cmdlet(VerbsCommon.Get, "KubeEvent", DefaultParameterSetName = InputObjectSet)]
[OutputType(typeof(KubeEventInfo))]
public sealed class GetKubeEventCommand : KubeCmdlet
{
    private const string InputObjectSet = "InputObject";
    private const string KindSet = "Kind";

    /// <summary>Any object with Kind (or a type named KindInfo), Name and Namespace properties: every ClusterOps output object.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    public PSObject InputObject { get; set; } = null!;

    [Parameter(Mandatory = true, ParameterSetName = KindSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(KubeEventKindCompleter))]
    public string Kind { get; set; } = "";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = KindSet)]
    [ValidateNotNullOrEmpty]
    [ValidateKubeName(KubeNameRule.AnyKind)]
    public string Name { get; set; } = "";

    /// <summary>The object's namespace; leave out for a cluster-scoped object (SchedulePolicy, PersistentVolume).</summary>
    [Parameter(ParameterSetName = KindSet)]
    [ArgumentCompleter(typeof(KubeNamespaceCompleter))]
    [ValidateNotNullOrEmpty]
    [ValidateKubeName(KubeNameRule.Namespace)]
    [Alias("n")]
    public string? Namespace { get; set; }

    protected override Task ProcessAsync(KubeSession session, CancellationToken cancellationToken)
    {
        var query = ParameterSetName == KindSet
            ? new KubeEventQuery(KubeEventKinds.Canonical(Kind), Name, Namespace)
            : KubeEventOperations.QueryFor(Property("Kind"), InputObject.BaseObject.GetType().Name, Property("Name"), Property("Namespace"));
        return WriteAllAsync(new KubeEventOperations(session.Client).GetAsync(query, cancellationToken));
    }

    private string? Property(string name) => InputObject.Properties[name]?.Value?.ToString();
}
