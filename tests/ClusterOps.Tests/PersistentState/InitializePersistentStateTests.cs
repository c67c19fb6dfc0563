using System.Runtime.Versioning;
using System.Text.Json.Nodes;
using ClusterOps.Core.Common;
using ClusterOps.Core.PersistentState;
using ClusterOps.Tests.Infrastructure;

namespace ClusterOps.Tests.PersistentState;

[SupportedOSPlatform("linux")]
public sealed class InitializePersistentStateTests : IDisposable
{
    private readonly TempRoot _root = new();
    private readonly string _db;
    private readonly string _config;

    public InitializePersistentStateTests()
    {
        _db = _root.Dir("var/lib");
        _config = _root.Dir("etc/cloudify");
        Directory.CreateDirectory(_root.Dir("var"));
        Directory.CreateDirectory(_root.Dir("etc"));
        ImageTrees.Database(_db);
        ImageTrees.Config(_config);
    }

    public void Dispose() => _root.Dispose();

    private string[] Dirs => [_db, _config];

    private static IReadOnlyList<PersistentStateResult> Run(string volume, string[] dirs, RecordingOperationContext? context = null,
        IPersistentFileSystem? fs = null, bool passThru = true, bool replace = false, bool allowMissing = false) =>
        new PersistentStateInitializer(fs).Initialize(new InitializePersistentStateRequest(volume, dirs, passThru, replace, allowMissing), context ?? new RecordingOperationContext());

    [Fact]
    public void First_run_copies_each_directory_links_it_and_writes_the_marker()
    {
        _root.CreateVolume();
        var expected = Dirs.ToDictionary(d => d, TreeSnapshot.Take);
        var context = new RecordingOperationContext();

        var results = Run(_root.Volume, Dirs, context);

        Assert.All(results, r => Assert.Equal(PersistentStateAction.Copied, r.Action));
        var db = results.Single(r => r.Directory == _db);
        Assert.Equal(6, db.Files); // 4 files + 2 links
        Assert.Equal(4 + 300_000 + 0 + 18, db.Bytes);
        Assert.Equal(_db + "-initial", db.InitialPath);
        foreach (var dir in Dirs)
        {
            Assert.Equal(_root.Persistent(dir), new FileInfo(dir).LinkTarget);
            TreeSnapshot.AssertEqual(expected[dir], TreeSnapshot.Take(_root.Persistent(dir)), "volume copy of " + dir);
            TreeSnapshot.AssertEqual(expected[dir], TreeSnapshot.Take(dir + "-initial"), "image directory kept at -initial");
        }
        var marker = JsonNode.Parse(File.ReadAllText(_root.Volume + "/.clusterops-state.json"))!;
        Assert.Equal(1, (int)marker["schemaVersion"]!);
        Assert.Equal(Dirs, marker["directories"]!.AsArray().Select(d => (string)d!["directory"]!));
        Assert.False(Directory.Exists(_root.Volume + "/.clusterops-staging"));
        Assert.True(Directory.Exists(_root.Volume + "/lost+found"));
        Assert.Equal(Dirs, context.ObjectsOf<PersistentStateResult>().Select(r => r.Directory));
    }

    [Fact]
    public void Copy_keeps_modes_owners_nanosecond_times_and_links()
    {
        _root.CreateVolume();
        Run(_root.Volume, Dirs);

        var fs = LinuxFileSystem.Instance;
        var data = fs.GetEntry(_root.Persistent(_db) + "/pgsql/data")!;
        Assert.Equal((UnixFileMode)Convert.ToInt32("700", 8), data.Mode);
        Assert.Equal((26u, 26u), (data.UserId, data.GroupId));
        Assert.Equal(new UnixTime(1_400_000_000, 987_654_321), data.ModifyTime);
        var shared = fs.GetEntry(_root.Persistent(_db) + "/shared")!;
        Assert.Equal((UnixFileMode)Convert.ToInt32("2775", 8), shared.Mode);
        Assert.Equal((UnixFileMode)Convert.ToInt32("4755", 8), fs.GetEntry(_root.Persistent(_db) + "/shared/tool")!.Mode);
        var link = fs.GetEntry(_root.Persistent(_db) + "/pgsql/data/current")!;
        Assert.Equal(EntryKind.SymbolicLink, link.Kind);
        Assert.Equal("PG_VERSION", link.LinkTarget);
        Assert.Equal((26u, 26u), (link.UserId, link.GroupId));
        Assert.Equal("/nonexistent/target", fs.GetEntry(_root.Persistent(_db) + "/pgsql/dangling")!.LinkTarget);
    }

    [Fact]
    public void Second_run_leaves_linked_directories_and_the_service_state_alone()
    {
        _root.CreateVolume();
        Run(_root.Volume, Dirs);
        File.WriteAllText(_db + "/pgsql/data/written-by-service", "state"); // through the link, into the volume
        var markerBefore = File.ReadAllBytes(_root.Volume + "/.clusterops-state.json");
        var volumeBefore = TreeSnapshot.Take(_root.Volume);

        var results = Run(_root.Volume, Dirs);

        Assert.All(results, r => Assert.Equal(PersistentStateAction.AlreadyLinked, r.Action));
        Assert.All(results, r => Assert.Equal(0, r.Files));
        Assert.Equal(markerBefore, File.ReadAllBytes(_root.Volume + "/.clusterops-state.json"));
        TreeSnapshot.AssertEqual(volumeBefore, TreeSnapshot.Take(_root.Volume), "volume after a second run");
    }

    [Fact]
    public void New_container_on_a_populated_volume_links_without_copying_over_the_state()
    {
        _root.CreateVolume();
        Run(_root.Volume, Dirs);
        File.WriteAllText(_config + "/config.yaml", "admin_password: changed-later\n");
        ReplaceContainer();

        var results = Run(_root.Volume, Dirs);

        Assert.All(results, r => Assert.Equal(PersistentStateAction.Linked, r.Action));
        Assert.Equal("admin_password: changed-later\n", File.ReadAllText(_config + "/config.yaml"));
        Assert.Equal("admin_password: from-image\n", File.ReadAllText(_config + "-initial/config.yaml"));
    }

    [Fact]
    public void A_volume_with_only_lost_and_found_and_stray_files_is_not_populated()
    {
        _root.CreateVolume();
        File.WriteAllText(_root.Volume + "/lost+found/#1234", "fsck debris");
        File.WriteAllText(_root.Volume + "/README", "operator note");

        var results = Run(_root.Volume, Dirs);

        Assert.All(results, r => Assert.Equal(PersistentStateAction.Copied, r.Action));
        Assert.Equal("fsck debris", File.ReadAllText(_root.Volume + "/lost+found/#1234"));
        Assert.Equal("operator note", File.ReadAllText(_root.Volume + "/README"));
    }

    [Fact]
    public void A_directory_added_later_is_copied_then_and_the_others_stay_linked()
    {
        _root.CreateVolume();
        Run(_root.Volume, [_db]);
        var configSnapshot = TreeSnapshot.Take(_config);

        var results = Run(_root.Volume, Dirs);

        Assert.Equal(PersistentStateAction.AlreadyLinked, results.Single(r => r.Directory == _db).Action);
        Assert.Equal(PersistentStateAction.Copied, results.Single(r => r.Directory == _config).Action);
        TreeSnapshot.AssertEqual(configSnapshot, TreeSnapshot.Take(_root.Persistent(_config)), "added directory");
        var marker = JsonNode.Parse(File.ReadAllText(_root.Volume + "/.clusterops-state.json"))!;
        Assert.Equal(2, marker["directories"]!.AsArray().Count);
    }

    [Fact]
    public void An_existing_initial_directory_is_moved_aside_not_overwritten()
    {
        _root.CreateVolume();
        Directory.CreateDirectory(_config + "-initial");
        File.WriteAllText(_config + "-initial/older", "from an earlier container");

        var context = new RecordingOperationContext();
        Run(_root.Volume, Dirs, context);

        var aside = Directory.GetDirectories(_root.Dir("etc")).Single(d => d.StartsWith(_config + "-initial.", StringComparison.Ordinal));
        Assert.Equal("from an earlier container", File.ReadAllText(aside + "/older"));
        Assert.True(File.Exists(_config + "-initial/config.yaml"));
        Assert.Contains(context.Warnings, w => w.Contains(aside, StringComparison.Ordinal));
    }

    [Fact]
    public void ReplaceUnrecorded_moves_an_unrecorded_copy_aside_and_redoes_it_from_the_image()
    {
        _root.CreateVolume();
        Directory.CreateDirectory(_root.Persistent(_config));
        File.WriteAllText(_root.Persistent(_config) + "/half", "partial or foreign");
        var expected = TreeSnapshot.Take(_config);
        var context = new RecordingOperationContext();

        var results = Run(_root.Volume, Dirs, context, replace: true);

        Assert.Equal(PersistentStateAction.Copied, results.Single(r => r.Directory == _config).Action);
        TreeSnapshot.AssertEqual(expected, TreeSnapshot.Take(_root.Persistent(_config)), "redone copy");
        var aside = Directory.GetFiles(_root.Volume + "/.clusterops-superseded", "half", SearchOption.AllDirectories).Single();
        Assert.Equal("partial or foreign", File.ReadAllText(aside));
        Assert.Contains(context.Warnings, w => w.Contains("without a completed copy recorded", StringComparison.Ordinal));
        Assert.Contains(context.ShouldProcessCalls, c => c.Target == _config && c.Action.StartsWith("Move '" + _root.Persistent(_config), StringComparison.Ordinal));
    }

    [Fact]
    public void No_volume_changes_nothing_warns_and_reports_no_persistent_storage()
    {
        var before = TreeSnapshot.Take(_root.Root);
        var context = new RecordingOperationContext();

        var results = Run(_root.Volume, Dirs, context);

        Assert.All(results, r => Assert.Equal(PersistentStateAction.NoPersistentStorage, r.Action));
        Assert.Equal(2, context.ObjectsOf<PersistentStateResult>().Count());
        Assert.Contains(context.Warnings, w => w.StartsWith("No persistent storage available", StringComparison.Ordinal));
        TreeSnapshot.AssertEqual(before, TreeSnapshot.Take(_root.Root), "no volume");
    }

    [Fact]
    public void Without_PassThru_nothing_is_written_to_the_pipeline()
    {
        _root.CreateVolume();
        var context = new RecordingOperationContext();

        var results = Run(_root.Volume, Dirs, context, passThru: false);

        Assert.Equal(2, results.Count);
        Assert.Empty(context.Objects);
    }

    [Fact]
    public void WhatIf_changes_nothing_and_asks_about_each_directory()
    {
        _root.CreateVolume();
        var before = TreeSnapshot.Take(_root.Root);
        var context = RecordingOperationContext.WhatIf();

        Run(_root.Volume, Dirs, context);

        TreeSnapshot.AssertEqual(before, TreeSnapshot.Take(_root.Root), "-WhatIf");
        Assert.Equal(Dirs, context.ShouldProcessCalls.Select(c => c.Target));
        Assert.All(context.ShouldProcessCalls, c => Assert.Contains(_root.Volume, c.Action, StringComparison.Ordinal));
        Assert.All(context.ShouldProcessCalls, c => Assert.Contains(c.Target + "-initial", c.Action, StringComparison.Ordinal));
        Assert.Empty(context.Objects);
    }

    [Fact]
    public void WhatIf_on_a_new_container_lists_the_links_it_would_make()
    {
        _root.CreateVolume();
        Run(_root.Volume, Dirs);
        ReplaceContainer();
        var before = TreeSnapshot.Take(_root.Root);
        var context = RecordingOperationContext.WhatIf();

        Run(_root.Volume, Dirs, context);

        TreeSnapshot.AssertEqual(before, TreeSnapshot.Take(_root.Root), "-WhatIf");
        Assert.Equal(Dirs.Select(d => $"Move '{d}' to '{d}-initial' and replace it with a link to '{_root.Persistent(d)}'"),
            context.ShouldProcessCalls.Select(c => c.Action));
    }

    [Fact]
    public void AllowMissingDirectory_reports_a_directory_missing_from_the_image_and_skips_it()
    {
        _root.CreateVolume();
        var context = new RecordingOperationContext();

        var results = Run(_root.Volume, [_db, _root.Dir("opt/absent")], context, allowMissing: true);

        Assert.Equal(PersistentStateAction.SourceMissing, results[1].Action);
        Assert.Equal(PersistentStateAction.Copied, results[0].Action);
        Assert.False(File.Exists(_root.Dir("opt/absent")));
        Assert.Single(context.Warnings, w => w.Contains("does not exist in the image", StringComparison.Ordinal));
    }

    [Fact]
    public void A_link_pointing_elsewhere_is_a_conflict_and_left_untouched()
    {
        _root.CreateVolume();
        Directory.CreateDirectory(_root.Root + "/elsewhere");
        Directory.CreateDirectory(_root.Dir("opt"));
        File.CreateSymbolicLink(_root.Dir("opt/cfy"), _root.Root + "/elsewhere");
        var context = new RecordingOperationContext();

        var results = Run(_root.Volume, [_db, _root.Dir("opt/cfy")], context);

        Assert.Equal(PersistentStateAction.Copied, results[0].Action);
        Assert.Equal(PersistentStateAction.Conflict, results[1].Action);
        Assert.Equal(PersistentStateErrors.LinkConflict, Assert.IsType<OperationException>(Assert.Single(context.Errors).Error).ErrorId);
        Assert.Equal(_root.Root + "/elsewhere", new FileInfo(_root.Dir("opt/cfy")).LinkTarget);
    }

    [Fact]
    public void A_recorded_copy_that_vanished_is_reported_not_replaced_by_the_image()
    {
        _root.CreateVolume();
        Run(_root.Volume, Dirs);
        Directory.Delete(_root.Persistent(_config), recursive: true);
        ReplaceContainer();
        var context = new RecordingOperationContext();

        var results = Run(_root.Volume, Dirs, context);

        Assert.Equal(PersistentStateAction.Conflict, results.Single(r => r.Directory == _config).Action);
        Assert.Equal(PersistentStateErrors.CopyMissing, Assert.IsType<OperationException>(Assert.Single(context.Errors).Error).ErrorId);
        Assert.True(Directory.Exists(_config) && new FileInfo(_config).LinkTarget is null, "image directory left in place");
        Assert.False(Directory.Exists(_root.Persistent(_config)));
    }

    [Fact]
    public void Unknown_marker_fields_survive_a_rewrite()
    {
        _root.CreateVolume();
        Run(_root.Volume, [_db]);
        var path = _root.Volume + "/.clusterops-state.json";
        var marker = JsonNode.Parse(File.ReadAllText(path))!;
        marker["addedByNewerVersion"] = "keep me";
        marker["directories"]![0]!["checksum"] = "abc";
        File.WriteAllText(path, marker.ToJsonString());

        Run(_root.Volume, Dirs);

        var after = JsonNode.Parse(File.ReadAllText(path))!;
        Assert.Equal("keep me", (string)after["addedByNewerVersion"]!);
        Assert.Equal("abc", (string)after["directories"]![0]!["checksum"]!);
        Assert.Equal(2, after["directories"]!.AsArray().Count);
    }

    [Theory]
    [InlineData("{ not json", PersistentStateErrors.MarkerInvalid)]
    [InlineData("null", PersistentStateErrors.MarkerInvalid)]
    [InlineData("{\"schemaVersion\": 99, \"directories\": []}", PersistentStateErrors.MarkerUnsupported)]
    public void A_marker_that_cannot_be_trusted_stops_before_any_change(string content, string errorId)
    {
        _root.CreateVolume();
        File.WriteAllText(_root.Volume + "/.clusterops-state.json", content);
        var before = TreeSnapshot.Take(_root.Root);

        var error = Assert.Throws<OperationException>(() => Run(_root.Volume, Dirs));

        Assert.Equal(errorId, error.ErrorId);
        TreeSnapshot.AssertEqual(before, TreeSnapshot.Take(_root.Root), "untrusted marker");
    }

    [Fact]
    public void A_volume_locked_by_another_initialization_is_refused_before_any_change()
    {
        _root.CreateVolume();
        var before = TreeSnapshot.Take(_root.Root);
        using var other = LinuxFileSystem.Instance.TryLock(_root.Volume);
        Assert.NotNull(other);

        var error = Assert.Throws<OperationException>(() => Run(_root.Volume, Dirs));

        Assert.Equal(PersistentStateErrors.VolumeBusy, error.ErrorId);
        Assert.Equal(FailureKind.ResourceBusy, error.Kind);
        TreeSnapshot.AssertEqual(before, TreeSnapshot.Take(_root.Root), "busy volume");
    }

    [Fact]
    public void The_volume_lock_is_released_when_the_run_ends()
    {
        _root.CreateVolume();
        Run(_root.Volume, Dirs);

        using var next = LinuxFileSystem.Instance.TryLock(_root.Volume);

        Assert.NotNull(next);
    }

    [Fact]
    public void A_process_started_while_the_lock_is_held_does_not_keep_it()
    {
        _root.CreateVolume();
        System.Diagnostics.Process child;
        using (var held = LinuxFileSystem.Instance.TryLock(_root.Volume))
        {
            Assert.NotNull(held);
            // An entrypoint may start other programs; they must not inherit the lock's descriptor.
            child = System.Diagnostics.Process.Start("sleep", "5");
        }
        try
        {
            using var next = LinuxFileSystem.Instance.TryLock(_root.Volume);
            Assert.False(child.HasExited);
            Assert.NotNull(next);
        }
        finally
        {
            child.Kill();
            child.Dispose();
        }
    }

    [Fact]
    public void Ctrl_C_during_the_copy_stops_it_and_the_next_run_completes()
    {
        _root.CreateVolume();
        var expected = TreeSnapshot.Take(_config);
        RecordingOperationContext? context = null;
        context = new RecordingOperationContext((target, _) =>
        {
            if (target == _config)
                context!.Cancel(); // the user presses Ctrl+C right after confirming the second directory
            return true;
        });

        Assert.ThrowsAny<OperationCanceledException>(() => Run(_root.Volume, Dirs, context));
        Assert.DoesNotContain(_config, JsonNode.Parse(File.ReadAllText(_root.Volume + "/.clusterops-state.json"))!["directories"]!.AsArray()
            .Select(d => (string)d!["directory"]!));

        var results = Run(_root.Volume, Dirs);

        Assert.Equal(PersistentStateAction.AlreadyLinked, results.Single(r => r.Directory == _db).Action);
        Assert.Equal(PersistentStateAction.Copied, results.Single(r => r.Directory == _config).Action);
        TreeSnapshot.AssertEqual(expected, TreeSnapshot.Take(_root.Persistent(_config)), "copy after Ctrl+C");
        Assert.False(Directory.Exists(_root.Volume + "/" + PersistentStateLayout.StagingName));
    }

    [Fact]
    public void A_failing_step_becomes_a_specific_terminating_error()
    {
        _root.CreateVolume();

        var error = Assert.Throws<OperationException>(() => Run(_root.Volume, Dirs, fs: new FaultInjectingFileSystem(failAt: 3)));

        Assert.Equal(PersistentStateErrors.StepFailed, error.ErrorId);
        Assert.IsType<IOException>(error.InnerException);
        Assert.NotNull(error.RecommendedAction);
    }

    [Fact]
    public void The_CloudifyManager_preset_is_the_current_cm_container_list_and_is_valid()
    {
        var dirs = PersistentStatePresets.DirectoriesOf(PersistentStatePreset.CloudifyManager);

        Assert.Equal(["/var/lib", "/etc/cloudify", "/opt/cfy", "/opt/cloudify", "/opt/cloudify-stage", "/opt/manager", "/opt/mgmtworker", "/opt/restservice"], dirs);
        var layout = PersistentStateLayout.Create(PersistentStatePresets.CloudifyManagerVolume, dirs, LinuxFileSystem.Instance, new FakePlatform(true));
        Assert.Equal("/cfy-persist/var/lib", layout.PersistentPathOf("/var/lib"));
    }

    /// <summary>A replaced container: the image's directories come back as real directories, the volume stays.</summary>
    private void ReplaceContainer()
    {
        foreach (var dir in Dirs)
        {
            File.Delete(dir);
            Directory.Delete(dir + "-initial", recursive: true);
        }
        ImageTrees.Database(_db);
        ImageTrees.Config(_config);
    }
}
