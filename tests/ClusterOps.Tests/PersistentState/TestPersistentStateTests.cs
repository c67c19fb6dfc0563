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
    public void Leftovers_of_an_interrupted_copy_are_IncompleteCopy()
    {
        _root.CreateVolume();
        Directory.CreateDirectory(_root.Volume + "/" + PersistentStateLayout.StagingName + _a);
        Directory.CreateDirectory(_root.Persistent(_b));

        var states = Inspect(null, _a, _b);

        Assert.All(states, s => Assert.Equal(PersistentStateCondition.IncompleteCopy, s.State));
    }

    [Fact]
    public void A_directory_linked_into_the_volume_without_a_recorded_copy_is_not_trusted()
    {
        _root.CreateVolume();
        Initialize(_a);
        File.Delete(_root.Volume + "/" + PersistentStateLayout.MarkerName);

        Assert.Equal(PersistentStateCondition.IncompleteCopy, Inspect(null, _a)[0].State);
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
