using System.Runtime.Versioning;
using ClusterOps.Core.PersistentState;
using ClusterOps.Tests.Infrastructure;

namespace ClusterOps.Tests.PersistentState;

[SupportedOSPlatform("linux")]
public sealed class TestPersistentStateTests : IDisposable
{
    private readonly TempRoot _root = new();
    private readonly string _a;
    private readonly string _b;

    public TestPersistentStateTests()
    {
        Directory.CreateDirectory(_root.Dir("opt"));
        _a = _root.Dir("opt/manager");
        _b = _root.Dir("opt/mgmtworker");
        ImageTrees.Config(_a);
        ImageTrees.Config(_b);
    }

    public void Dispose() => _root.Dispose();

    private IReadOnlyList<PersistentStateStatus> Inspect(RecordingOperationContext? context = null, params string[] dirs)
    {
        var before = TreeSnapshot.Take(_root.Root);
        var result = new PersistentStateInspector().Inspect(new TestPersistentStateRequest(_root.Volume, dirs), context ?? new RecordingOperationContext());
        TreeSnapshot.AssertEqual(before, TreeSnapshot.Take(_root.Root), "Test-PersistentState must not change anything");
        return result;
    }

    private void Initialize(params string[] dirs) =>
        new PersistentStateInitializer().Initialize(new InitializePersistentStateRequest(_root.Volume, dirs), new RecordingOperationContext());

    [Fact]
    public void After_initialization_every_directory_is_Linked_and_recorded()
    {
        _root.CreateVolume();
        Initialize(_a, _b);
        var context = new RecordingOperationContext();

        var states = Inspect(context, _a, _b);

        Assert.All(states, s => Assert.Equal(PersistentStateCondition.Linked, s.State));
        Assert.All(states, s => Assert.True(s.Recorded && s.CopiedAt is not null));
        Assert.Equal(_root.Persistent(_a), states[0].LinkTarget);
        Assert.Equal(states, context.ObjectsOf<PersistentStateStatus>());
    }

    [Fact]
    public void A_fresh_volume_leaves_directories_NotLinked()
    {
        _root.CreateVolume();

        var states = Inspect(null, _a);

        Assert.Equal(PersistentStateCondition.NotLinked, states[0].State);
        Assert.False(states[0].Recorded);
    }

    [Fact]
    public void No_volume_is_NoPersistentStorage()
    {
        Assert.Equal(PersistentStateCondition.NoPersistentStorage, Inspect(null, _a)[0].State);
    }

    [Fact]
    public void A_directory_that_is_absent_is_Missing()
    {
        _root.CreateVolume();

        Assert.Equal(PersistentStateCondition.Missing, Inspect(null, _root.Dir("opt/cfy"))[0].State);
    }

    [Fact]
    public void A_link_to_nothing_is_BrokenLink()
    {
        _root.CreateVolume();
        Initialize(_a);
        Directory.Delete(_root.Persistent(_a), recursive: true);

        var state = Inspect(null, _a)[0];

        Assert.Equal(PersistentStateCondition.BrokenLink, state.State);
        Assert.True(state.Recorded);
    }

    [Fact]
    public void Leftovers_of_an_interrupted_copy_in_the_staging_area_are_IncompleteCopy()
    {
        _root.CreateVolume();
        Directory.CreateDirectory(_root.Volume + "/" + PersistentStateLayout.StagingName + _a);

        Assert.Equal(PersistentStateCondition.IncompleteCopy, Inspect(null, _a)[0].State);
    }

    /// <summary>
    /// start-persistent.sh: "a non-empty volume is populated". Its volume has no marker, but it is Cloudify's real
    /// state, so it must not read as IncompleteCopy, neither linked (the script ran in this container) nor not yet linked.
    /// </summary>
    [Fact]
    public void StartPersistentSh_a_non_empty_volume_is_populated_so_its_state_is_never_IncompleteCopy()
    {
        _root.CreateVolume();
        // What the script leaves: /cfy-persist<dir> copied with cp -rp, <dir> moved to <dir>-initial and linked there.
        Directory.CreateDirectory(_root.Persistent(_a));
        File.WriteAllText(_root.Persistent(_a) + "/state", "cloudify");
        Directory.Move(_a, _a + "-initial");
        File.CreateSymbolicLink(_a, _root.Persistent(_a));
        // A second directory the script copied, in a new container that has not linked it yet.
        Directory.CreateDirectory(_root.Persistent(_b));

        var states = Inspect(null, _a, _b);

        Assert.Equal(PersistentStateCondition.Linked, states[0].State);
        Assert.False(states[0].Recorded);
        Assert.Contains("start-persistent.sh", states[0].Detail, StringComparison.Ordinal);
        Assert.Equal(PersistentStateCondition.NotLinked, states[1].State);
        Assert.Contains("adopts", states[1].Detail, StringComparison.Ordinal);

        Initialize(_a, _b);
        Assert.All(Inspect(null, _a, _b), s => Assert.Equal((PersistentStateCondition.Linked, true), (s.State, s.Recorded)));
    }

    [Fact]
    public void A_link_outside_the_volume_is_NotLinked_and_shows_where_it_points()
    {
        _root.CreateVolume();
        Directory.Delete(_b, recursive: true);
        File.CreateSymbolicLink(_b, _a);

        var state = Inspect(null, _b)[0];

        Assert.Equal(PersistentStateCondition.NotLinked, state.State);
        Assert.Equal(_a, state.LinkTarget);
    }
}
