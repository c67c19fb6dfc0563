using System.Runtime.Versioning;
using ClusterOps.Core.Common;
using ClusterOps.Core.PersistentState;
using ClusterOps.Tests.Infrastructure;

namespace ClusterOps.Tests.PersistentState;

/// <summary>
/// The property the original script lacks: whatever step of the first run fails, the next run ends with every
/// directory's volume copy identical to the image's, nothing lost from the image or the volume, and no
/// half-made copy ever recorded as complete.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class CrashRecoveryTests
{
    [Fact]
    public void A_failure_at_any_step_is_recovered_by_the_next_run_in_the_same_container() => FailAtEveryStep(replaceContainer: false);

    [Fact]
    public void A_failure_at_any_step_is_recovered_by_the_next_run_in_a_new_container() => FailAtEveryStep(replaceContainer: true);

    private static void FailAtEveryStep(bool replaceContainer)
    {
        int total;
        using (var clean = new Scenario())
        {
            var counting = new FaultInjectingFileSystem();
            clean.Initialize(counting);
            clean.AssertComplete("clean run");
            total = counting.Steps;
        }
        Console.WriteLine($"PersistentState crash test: {total} steps");
        Assert.True(total > 40, $"only {total} steps: the scenario no longer exercises the copy");

        for (var k = 1; k <= total; k++)
        {
            using var scenario = new Scenario();
            var failing = new FaultInjectingFileSystem(k);
            var error = Assert.Throws<OperationException>(() => scenario.Initialize(failing));
            Assert.Equal(PersistentStateErrors.StepFailed, error.ErrorId);
            var step = $"failure at step {k} of {total} ({failing.Log[k - 1]})";
            scenario.AssertNothingHalfMadeIsTrusted(step);

            if (replaceContainer)
                scenario.ReplaceContainer();
            scenario.Initialize(new FaultInjectingFileSystem());
            scenario.AssertComplete(step);
        }
    }

    private sealed class Scenario : IDisposable
    {
        private readonly TempRoot _root = new();
        private readonly string[] _dirs;
        private readonly Dictionary<string, SortedDictionary<string, EntrySnapshot>> _expected;

        public Scenario()
        {
            Directory.CreateDirectory(_root.Dir("var"));
            Directory.CreateDirectory(_root.Dir("etc"));
            _dirs = [_root.Dir("var/lib"), _root.Dir("etc/cloudify")];
            BuildImage();
            _expected = _dirs.ToDictionary(d => d, TreeSnapshot.Take);
            _root.CreateVolume();
            File.WriteAllText(_root.Volume + "/lost+found/#7", "fsck debris");
            File.WriteAllText(_root.Volume + "/README", "operator note");
        }

        public void Initialize(IPersistentFileSystem fs) =>
            new PersistentStateInitializer(fs).Initialize(new InitializePersistentStateRequest(_root.Volume, _dirs), new RecordingOperationContext());

        public void ReplaceContainer()
        {
            foreach (var dir in _dirs)
            {
                LinuxFileSystem.Instance.Delete(dir);
                LinuxFileSystem.Instance.Delete(dir + "-initial");
            }
            BuildImage();
        }

        public void AssertNothingHalfMadeIsTrusted(string step)
        {
            var marker = Marker();
            foreach (var dir in _dirs.Where(d => marker?.Find(d) is not null))
            {
                Assert.True(Directory.Exists(_root.Persistent(dir)), $"{step}: {dir} is recorded but has no copy on the volume");
                TreeSnapshot.AssertEqual(_expected[dir], TreeSnapshot.Take(_root.Persistent(dir)), $"{step}: recorded copy of {dir}");
            }
        }

        public void AssertComplete(string step)
        {
            foreach (var dir in _dirs)
            {
                Assert.True(_root.Persistent(dir) == new FileInfo(dir).LinkTarget, $"{step}: {dir} links into the volume");
                TreeSnapshot.AssertEqual(_expected[dir], TreeSnapshot.Take(_root.Persistent(dir)), $"{step}: volume copy of {dir}");
                TreeSnapshot.AssertEqual(_expected[dir], TreeSnapshot.Take(dir + "-initial"), $"{step}: image directory of {dir}");
                var siblings = Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(dir)!).Order(StringComparer.Ordinal).ToArray();
                Assert.True(siblings.SequenceEqual([dir, dir + "-initial"]), $"{step}: image parent holds [{string.Join(", ", siblings)}]");
            }
            Assert.True(File.ReadAllText(_root.Volume + "/lost+found/#7") == "fsck debris", $"{step}: lost+found kept");
            Assert.True(File.ReadAllText(_root.Volume + "/README") == "operator note", $"{step}: stray file kept");
            Assert.True(!Directory.Exists(_root.Volume + "/" + PersistentStateLayout.StagingName), $"{step}: staging removed");
            Assert.True(!File.Exists(_root.Volume + "/.clusterops-state.json.tmp"), $"{step}: no temporary marker left");
            Assert.True(Marker()!.Directories.Select(d => d.Directory).ToHashSet().SetEquals(_dirs), $"{step}: marker lists every directory");
            var states = new PersistentStateInspector().Inspect(new TestPersistentStateRequest(_root.Volume, _dirs), new RecordingOperationContext());
            Assert.True(states.All(s => s.State == PersistentStateCondition.Linked), $"{step}: Test-PersistentState says {string.Join(", ", states.Select(s => s.State))}");
        }

        private StateMarker? Marker()
        {
            var path = _root.Volume + "/" + PersistentStateLayout.MarkerName;
            return File.Exists(path) ? System.Text.Json.JsonSerializer.Deserialize<StateMarker>(File.ReadAllBytes(path)) : null;
        }

        private void BuildImage()
        {
            ImageTrees.Database(_dirs[0]);
            ImageTrees.Config(_dirs[1]);
        }

        public void Dispose() => _root.Dispose();
    }
}
