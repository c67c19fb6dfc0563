using System.Runtime.Versioning;
using ClusterOps.Core.Common;
using ClusterOps.Core.PersistentState;
using ClusterOps.Tests.Infrastructure;

namespace ClusterOps.Tests.PersistentState;

/// <summary>Each bad input fails with its own stable ErrorId before anything on disk changes.</summary>
[SupportedOSPlatform("linux")]
public sealed class PersistentStateBadInputTests : IDisposable
{
    private readonly TempRoot _root = new();

    public PersistentStateBadInputTests()
    {
        Directory.CreateDirectory(_root.Dir("var"));
        ImageTrees.Config(_root.Dir("var/lib"));
        _root.CreateVolume();
    }

    public void Dispose() => _root.Dispose();

    public static TheoryData<string, string> Cases => new()
    {
        { "path is a file", PersistentStateErrors.PathIsFile },
        { "relative path", PersistentStateErrors.PathNotAbsolute },
        { "relative directory", PersistentStateErrors.DirectoryNotAbsolute },
        { "overlapping directories", PersistentStateErrors.DirectoriesOverlap },
        { "overlap hidden by .. and trailing slash", PersistentStateErrors.DirectoriesOverlap },
        { "directory inside the volume", PersistentStateErrors.DirectoryInsideVolume },
        { "directory inside the volume through a link", PersistentStateErrors.DirectoryInsideVolume },
        { "volume inside a directory", PersistentStateErrors.VolumeInsideDirectory },
        { "the root directory", PersistentStateErrors.DirectoryIsRoot },
        { "no directory", PersistentStateErrors.NoDirectory },
        { "non-Linux platform", PersistentStateErrors.UnsupportedPlatform },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Initialize_rejects_it_and_changes_nothing(string scenario, string errorId)
    {
        var (path, dirs, platform) = Build(scenario);
        var before = TreeSnapshot.Take(_root.Root);
        var context = new RecordingOperationContext();

        var error = Assert.Throws<OperationException>(() =>
            new PersistentStateInitializer(new FaultInjectingFileSystem(), platform).Initialize(new InitializePersistentStateRequest(path, dirs, true), context));

        Assert.Equal(errorId, error.ErrorId);
        Assert.Equal(errorId == PersistentStateErrors.UnsupportedPlatform ? FailureKind.NotImplemented : FailureKind.InvalidArgument, error.Kind);
        Assert.Empty(context.ShouldProcessCalls);
        TreeSnapshot.AssertEqual(before, TreeSnapshot.Take(_root.Root), scenario);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Test_rejects_it_too(string scenario, string errorId)
    {
        var (path, dirs, platform) = Build(scenario);

        var error = Assert.Throws<OperationException>(() =>
            new PersistentStateInspector(null, platform).Inspect(new TestPersistentStateRequest(path, dirs), new RecordingOperationContext()));

        Assert.Equal(errorId, error.ErrorId);
    }

    [Fact]
    public void Non_Linux_is_refused_before_the_filesystem_is_touched()
    {
        var fs = new FaultInjectingFileSystem(failAt: 1);

        var error = Assert.Throws<OperationException>(() => new PersistentStateInitializer(fs, new FakePlatform(false))
            .Initialize(new InitializePersistentStateRequest("/cfy-persist", ["/var/lib"]), new RecordingOperationContext()));

        Assert.Equal(PersistentStateErrors.UnsupportedPlatform, error.ErrorId);
        Assert.Contains("Windows", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, fs.Steps);
    }

    [Fact]
    public void Duplicate_directories_are_taken_once()
    {
        var layout = PersistentStateLayout.Create(_root.Volume, [_root.Dir("var/lib"), _root.Dir("var/lib/"), _root.Dir("var/./lib")],
            LinuxFileSystem.Instance, new FakePlatform(true));

        Assert.Equal([_root.Dir("var/lib")], layout.Directories);
    }

    [Fact]
    public void Sibling_directories_sharing_a_prefix_do_not_overlap()
    {
        var layout = PersistentStateLayout.Create(_root.Volume, ["/opt/cloudify", "/opt/cloudify-stage"], LinuxFileSystem.Instance, new FakePlatform(true));

        Assert.Equal(2, layout.Directories.Count);
    }

    private (string Path, string[] Dirs, IPlatformProbe Platform) Build(string scenario)
    {
        var linux = new FakePlatform(true);
        var lib = _root.Dir("var/lib");
        switch (scenario)
        {
            case "path is a file":
                File.WriteAllText(_root.Root + "/not-a-volume", "");
                return (_root.Root + "/not-a-volume", [lib], linux);
            case "relative path":
                return ("cfy-persist", [lib], linux);
            case "relative directory":
                return (_root.Volume, ["var/lib"], linux);
            case "overlapping directories":
                return (_root.Volume, [lib, lib + "/pgsql"], linux);
            case "overlap hidden by .. and trailing slash":
                return (_root.Volume, [lib + "/pgsql/../", _root.Dir("var/lib/x/../pgsql")], linux);
            case "directory inside the volume":
                return (_root.Volume, [lib, _root.Volume + "/data"], linux);
            case "directory inside the volume through a link":
                Directory.CreateDirectory(_root.Root + "/real-volume");
                File.CreateSymbolicLink(_root.Root + "/volume-link", _root.Root + "/real-volume");
                return (_root.Root + "/volume-link", [_root.Root + "/real-volume/data"], linux);
            case "volume inside a directory":
                Directory.CreateDirectory(lib + "/mnt");
                return (lib + "/mnt", [lib], linux);
            case "the root directory":
                return (_root.Volume, ["/"], linux);
            case "no directory":
                return (_root.Volume, [], linux);
            case "non-Linux platform":
                return (_root.Volume, [lib], new FakePlatform(false));
            default:
                throw new ArgumentOutOfRangeException(nameof(scenario), scenario, null);
        }
    }
}
