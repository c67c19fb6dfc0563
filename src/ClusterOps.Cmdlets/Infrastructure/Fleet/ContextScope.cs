using System.Collections.Concurrent;
using System.Management.Automation;
using ClusterOps.Core.Common;

namespace ClusterOps.Cmdlets.Infrastructure.Fleet;

/// <summary>
/// The context one piece of a cluster cmdlet's work runs in. It flows with that work (an AsyncLocal in
/// <see cref="KubeCmdlet"/>), so whatever the work hands the pipeline says where it came from without the cmdlet
/// passing it along: output objects carry Context and Server; and in a fleet (several contexts in one call) the objects
/// are tagged for the CONTEXT table view, ShouldProcess targets and messages name the context, and progress is nested
/// under the fleet's parent bar.
/// </summary>
public sealed class ContextScope
{
    /// <summary>Suffix of the type name that selects the table views with CONTEXT as the first column.</summary>
    public const string FleetTypeNameSuffix = "#Fleet";

    private static readonly ConcurrentDictionary<Type, (bool Context, bool Server)> OwnMembers = new();

    private readonly ConcurrentDictionary<int, int> _activityIds = new();
    private readonly int _activityBase;
    private readonly string _serverUrl;

    /// <param name="serverUrl">The client's server URL: the target of connection errors as it always was; shown on
    /// objects without the trailing slash, as Test-KubeConnection shows it.</param>
    public ContextScope(string context, string serverUrl, FleetProgress? fleet = null, int index = 0)
    {
        Context = context;
        _serverUrl = serverUrl;
        Server = serverUrl.TrimEnd('/');
        Fleet = fleet;
        _activityBase = FleetProgress.ActivityId + 1 + index * 64;
    }

    public string Context { get; }
    public string Server { get; }

    /// <summary>Set when the call runs in several contexts at once.</summary>
    public FleetProgress? Fleet { get; }

    public bool InFleet => Fleet is not null;

    /// <summary>
    /// The object as written: Context and Server note properties unless its type has them already (as
    /// PSComputerName rides on remoting output), so Group-Object Context, Export-Csv and a following cluster cmdlet's
    /// -Context (by property name) all see where it came from; in a fleet, tagged for the CONTEXT view.
    /// </summary>
    public object Shape(object item)
    {
        var wrapped = PSObject.AsPSObject(item);
        // Which of the two the record's own type has, looked up once per type: PSObject member lookups by name cost
        // more than the rest of writing an object.
        var (ownContext, ownServer) = OwnMembers.GetOrAdd(wrapped.BaseObject.GetType(), t =>
            (t.GetProperty("Context") is not null, t.GetProperty("Server") is not null));
        if (item is PSObject)
        {
            // A wrapper made before (a tag, an object passed on) may carry notes already.
            ownContext |= wrapped.Properties["Context"] is not null;
            ownServer |= wrapped.Properties["Server"] is not null;
        }
        if (!ownContext)
            wrapped.Properties.Add(new PSNoteProperty("Context", Context));
        if (!ownServer)
            wrapped.Properties.Add(new PSNoteProperty("Server", Server));
        if (InFleet && !wrapped.TypeNames[0].EndsWith(FleetTypeNameSuffix, StringComparison.Ordinal))
            wrapped.TypeNames.Insert(0, wrapped.TypeNames[0] + FleetTypeNameSuffix);
        return wrapped;
    }

    /// <summary>A ShouldProcess target: -WhatIf and -Confirm name the context of each change in a fleet.</summary>
    public string Target(string target) => InFleet ? $"{target} (context {Context})" : target;

    /// <summary>A warning, verbose or debug line: in a fleet, prefixed with the context it is about.</summary>
    public string Message(string message) => InFleet ? $"[{Context}] {message}" : message;

    /// <summary>
    /// In a fleet, an operation's progress becomes a child of the fleet's bar: its ids are made unique per context
    /// (every context runs the same operation with the same ids) and its top bar hangs under the fleet's parent.
    /// </summary>
    public OperationProgress Progress(OperationProgress progress)
    {
        if (!InFleet)
            return progress;
        return progress with
        {
            ActivityId = Child(progress.ActivityId),
            ParentActivityId = progress.ParentActivityId < 0 ? FleetProgress.ActivityId : Child(progress.ParentActivityId),
            Activity = $"[{Context}] {progress.Activity}",
        };
    }

    private int Child(int activityId) => _activityIds.GetOrAdd(activityId, _ => _activityBase + _activityIds.Count);

    /// <summary>A per-item error of the work in this context: its own target; in a fleet the message names the context.</summary>
    public ErrorRecord Error(Exception error, object? target) =>
        ErrorRecords.Create(error, target, _serverUrl, context: InFleet ? Context : null);
}
