using System.Management.Automation;
using ClusterOps.Cmdlets.Infrastructure.Fleet;
using ClusterOps.Core.Common;

namespace ClusterOps.Tests.Cmdlets;

/// <summary>What one context's work hands the pipeline, alone and in a fleet (issue 15).</summary>
public sealed class ContextScopeTests
{
    private sealed class Row
    {
        public string Name { get; init; } = "a";
    }

    private sealed class RowWithContext
    {
        public string Context { get; init; } = "from-the-record";
    }

    [Fact]
    public void One_context_stamps_Context_and_Server_but_keeps_the_plain_view()
    {
        var scope = new ContextScope("prod-eu", "https://eu.example:6443/");
        var shaped = (PSObject)scope.Shape(new Row());
        Assert.Equal("prod-eu", shaped.Properties["Context"].Value);
        Assert.Equal("https://eu.example:6443", shaped.Properties["Server"].Value);
        Assert.Equal(typeof(Row).FullName, shaped.TypeNames[0]);
        Assert.Equal("t", scope.Target("t"));
        Assert.Equal("m", scope.Message("m"));
        var progress = new OperationProgress(4711, "Starting", "NoSQL");
        Assert.Equal(progress, scope.Progress(progress));
    }

    [Fact]
    public void In_a_fleet_objects_are_tagged_after_any_other_tag_and_targets_name_the_context()
    {
        var fleet = new FleetProgress("Get-X", 3);
        var scope = new ContextScope("prod-eu", "https://eu.example:6443/", fleet, 1);
        var tagged = PSObject.AsPSObject(new Row());
        tagged.TypeNames.Insert(0, typeof(Row).FullName + "#AllNamespaces");
        var shaped = (PSObject)scope.Shape(tagged);
        Assert.Equal(typeof(Row).FullName + "#AllNamespaces#Fleet", shaped.TypeNames[0]);
        Assert.Equal("ns/claim (context prod-eu)", scope.Target("ns/claim"));
        Assert.Equal("[prod-eu] waiting", scope.Message("waiting"));
    }

    [Fact]
    public void A_records_own_Context_is_kept()
    {
        var shaped = (PSObject)new ContextScope("prod-eu", "https://x/").Shape(new RowWithContext());
        Assert.Equal("from-the-record", shaped.Properties["Context"].Value);
    }

    [Fact]
    public void Fleet_progress_nests_each_contexts_bars_under_the_parent_with_ids_of_their_own()
    {
        var fleet = new FleetProgress("Stop-TmlCluster", 2);
        var a = new ContextScope("a", "https://a/", fleet, 0);
        var b = new ContextScope("b", "https://b/", fleet, 1);
        var top = new OperationProgress(4711, "Stopping", "CM");
        var child = new OperationProgress(4712, "Waiting", "pods", ParentActivityId: 4711);
        var (aTop, bTop, aChild) = (a.Progress(top), b.Progress(top), a.Progress(child));
        Assert.Equal(FleetProgress.ActivityId, aTop.ParentActivityId);
        Assert.NotEqual(aTop.ActivityId, bTop.ActivityId);
        Assert.Equal(aTop.ActivityId, aChild.ParentActivityId);
        Assert.Equal("[b] Stopping", bTop.Activity);
        Assert.Equal(aTop.ActivityId, a.Progress(top).ActivityId);   // stable per context
        Assert.Equal("0 of 2 contexts done", fleet.Started().Status);
        Assert.False(fleet.ContextDone("a").Completed);
        var last = fleet.ContextDone("b");
        Assert.True(last.Completed);
        Assert.Equal("2 of 2 contexts done", last.Status);
    }
}
