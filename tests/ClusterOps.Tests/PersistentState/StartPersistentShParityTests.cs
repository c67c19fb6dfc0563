using System.Runtime.Versioning;
using System.Security;
using System.Text.Json.Nodes;
using ClusterOps.Core.Common;
using ClusterOps.Core.PersistentState;
using ClusterOps.Tests.Infrastructure;

namespace ClusterOps.Tests.PersistentState;

/// <summary>
/// Issue 14, "Cloudify persistent state": Initialize-PersistentState against what onap/dcaegen2-deployments
/// cm-container/scripts/start-persistent.sh (a4e03d8) does. Each test is named after the script behaviour it matches.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class StartPersistentShParityTests : IDisposable
{
    private const string Secret = "s3cr3t: #not-a-comment 'quoted'";
    private readonly TempRoot _root = new();
    private readonly string _db;
    private readonly string _config;
    private readonly string _configFile;
    private readonly string _secretFile;

    public StartPersistentShParityTests()
    {
        _db = _root.Dir("var/lib");
        _config = _root.Dir("etc/cloudify");
        Directory.CreateDirectory(_root.Dir("var"));
        Directory.CreateDirectory(_root.Dir("etc"));
        ImageTrees.Database(_db);
        ImageTrees.Config(_config);
        _configFile = _config + "/config.yaml";
        // Cloudify's layout: the key nested under manager.security, with other settings around it.
        File.WriteAllText(_configFile, "manager:\n  security:\n    admin_username: admin\n    admin_password: ''\n  hostname: cm\n");
        _secretFile = _root.Root + "/cm-secrets/password";
    }

    public void Dispose() => _root.Dispose();

    private string[] Dirs => [_db, _config];

    private IReadOnlyList<PersistentStateResult> Run(IOperationContext? context = null, string[]? dirs = null, bool replace = false,
        bool allowMissing = false, CloudifyAdminPasswordRequest? password = null, Dictionary<string, string>? environment = null,
        IPersistentFileSystem? fs = null) =>
        new PersistentStateInitializer(fs, environment: name => environment?.GetValueOrDefault(name))
            .Initialize(new InitializePersistentStateRequest(_root.Volume, dirs ?? Dirs, true, replace, allowMissing, password),
                context ?? new RecordingOperationContext());

    private CloudifyAdminPasswordRequest Preset(SecureString? password = null, string? path = null) =>
        new(_configFile, password, path, DefaultSecretPath: _secretFile);

    /// <summary>What start-persistent.sh leaves on the volume after its first run: cp -rp of each directory.</summary>
    private void PopulateLikeTheScript(params string[] dirs)
    {
        foreach (var dir in dirs)
        {
            Directory.CreateDirectory(_root.Persistent(dir));
            File.WriteAllText(_root.Persistent(dir) + "/cloudify-state", "written by Cloudify since " + dir);
        }
    }

    // ---- bullet 1: "a non-empty volume is populated" ----

    [Fact]
    public void StartPersistentSh_a_non_empty_volume_is_populated_so_it_is_adopted_without_changing_a_file()
    {
        _root.CreateVolume();
        PopulateLikeTheScript(_db, _config);
        var volumeBefore = TreeSnapshot.Take(_root.Volume);
        var context = new RecordingOperationContext();

        var results = Run(context);

        Assert.All(results, r => Assert.Equal(PersistentStateAction.Adopted, r.Action));
        var volumeAfter = TreeSnapshot.Take(_root.Volume);
        volumeAfter.Remove(PersistentStateLayout.MarkerName);
        // Adding the marker moves the volume root's mtime; every entry below it must be untouched.
        volumeBefore.Remove(".");
        volumeAfter.Remove(".");
        TreeSnapshot.AssertEqual(volumeBefore, volumeAfter, "the adopted volume, apart from the new marker");
        Assert.False(Directory.Exists(_root.Volume + "/" + PersistentStateLayout.SupersededName));
        foreach (var dir in Dirs)
            Assert.Equal(_root.Persistent(dir), new FileInfo(dir).LinkTarget);
        Assert.Equal("written by Cloudify since " + _config, File.ReadAllText(_config + "/cloudify-state"));
        var marker = JsonNode.Parse(File.ReadAllText(_root.Volume + "/" + PersistentStateLayout.MarkerName))!;
        Assert.Equal(Dirs, marker["directories"]!.AsArray().Select(d => (string)d!["directory"]!));
        // Once per run, not once per directory (the other warning is about the test volume sharing its parent's filesystem).
        var warning = Assert.Single(context.Warnings, w => w.Contains("no ClusterOps marker", StringComparison.Ordinal));
        Assert.Contains("start-persistent.sh", warning, StringComparison.Ordinal);
        Assert.Contains("-ReplaceUnrecorded", warning, StringComparison.Ordinal);
        Assert.All(Run(), r => Assert.Equal(PersistentStateAction.AlreadyLinked, r.Action));
    }

    [Fact]
    public void StartPersistentSh_populated_volume_gets_only_the_directories_it_lacks_copied_in_staged_form()
    {
        _root.CreateVolume();
        PopulateLikeTheScript(_config);
        var expected = TreeSnapshot.Take(_db);

        var results = Run();

        Assert.Equal(PersistentStateAction.Copied, results.Single(r => r.Directory == _db).Action);
        Assert.Equal(PersistentStateAction.Adopted, results.Single(r => r.Directory == _config).Action);
        TreeSnapshot.AssertEqual(expected, TreeSnapshot.Take(_root.Persistent(_db)), "our own staged copy");
    }

    [Fact]
    public void StartPersistentSh_populated_volume_with_a_file_in_place_of_a_directory_is_left_as_it_is()
    {
        _root.CreateVolume();
        Directory.CreateDirectory(Path.GetDirectoryName(_root.Persistent(_config))!);
        File.WriteAllText(_root.Persistent(_config), "someone's file");
        var context = new RecordingOperationContext();

        var results = Run(context);

        Assert.Equal(PersistentStateAction.Conflict, results.Single(r => r.Directory == _config).Action);
        Assert.Equal(PersistentStateErrors.VolumePathBlocked, ((OperationException)Assert.Single(context.Errors).Error).ErrorId);
        Assert.Equal("someone's file", File.ReadAllText(_root.Persistent(_config)));
        Assert.True(Directory.Exists(_config) && new FileInfo(_config).LinkTarget is null, "the image directory is not hidden");
    }

    [Fact]
    public void ReplaceUnrecorded_is_asked_at_high_impact_and_a_no_moves_nothing()
    {
        _root.CreateVolume();
        PopulateLikeTheScript(_config);
        var before = TreeSnapshot.Take(_root.Root);
        var context = new HighImpactContext(answer: false);

        var results = Run(context, dirs: [_config], replace: true);

        Assert.Empty(results);
        var asked = Assert.Single(context.HighImpactCalls);
        Assert.Equal(_config, asked.Target);
        Assert.Contains(PersistentStateLayout.SupersededName, asked.Action, StringComparison.Ordinal);
        TreeSnapshot.AssertEqual(before, TreeSnapshot.Take(_root.Root), "declined -ReplaceUnrecorded");
    }

    // ---- bullet 4: set -e on a directory the image lacks ----

    [Fact]
    public void StartPersistentSh_set_e_stops_on_a_directory_the_image_lacks_so_we_refuse_before_any_change_and_list_them_all()
    {
        _root.CreateVolume();
        var before = TreeSnapshot.Take(_root.Root);
        var missing = new[] { _root.Dir("opt/cfy"), _root.Dir("opt/restservice") };

        var error = Assert.Throws<OperationException>(() => Run(dirs: [_db, missing[0], _config, missing[1]], password: Preset()));

        Assert.Equal(PersistentStateErrors.DirectoryMissing, error.ErrorId);
        Assert.All(missing, m => Assert.Contains("'" + m + "'", error.Message, StringComparison.Ordinal));
        Assert.Contains("set -e", error.Message, StringComparison.Ordinal);
        Assert.Contains("-AllowMissingDirectory", error.RecommendedAction, StringComparison.Ordinal);
        TreeSnapshot.AssertEqual(before, TreeSnapshot.Take(_root.Root), "refused run");
    }

    [Fact]
    public void A_directory_the_image_lacks_but_the_volume_holds_is_not_missing()
    {
        _root.CreateVolume();
        var gone = _root.Dir("opt/cfy");
        Directory.CreateDirectory(_root.Dir("opt"));
        PopulateLikeTheScript(gone);

        var results = Run(dirs: [gone]);

        Assert.Equal(PersistentStateAction.Adopted, Assert.Single(results).Action);
        Assert.Equal(_root.Persistent(gone), new FileInfo(gone).LinkTarget);
    }

    // ---- bullet 2: the admin password step ----

    [Fact]
    public void StartPersistentSh_first_population_sets_admin_password_from_CMPASS_in_a_0600_file_and_never_echoes_it()
    {
        _root.CreateVolume();
        var fs = new ModeRecordingFileSystem();
        var context = new RecordingOperationContext();

        Run(context, password: Preset(), environment: new() { ["CMPASS"] = Secret }, fs: fs);

        var persisted = _root.Persistent(_config) + "/config.yaml";
        Assert.Equal("manager:\n  security:\n    admin_username: admin\n    admin_password: 's3cr3t: #not-a-comment ''quoted'''\n  hostname: cm\n",
            File.ReadAllText(persisted));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(persisted));
        // The temporary file holding the password had 0600 from its creation, before any byte was written.
        var (path, mode) = Assert.Single(fs.Created, c => c.Path.StartsWith(_configFile, StringComparison.Ordinal));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, fs.ModeRightAfterCreate[path]);
        Assert.DoesNotContain("s3cr3t", context.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(context.ShouldProcessCalls, c => c.Action.Contains("s3cr3t", StringComparison.Ordinal));
        Assert.Contains(context.Verbose, v => v.Contains("$CMPASS", StringComparison.Ordinal));
        Assert.False(File.Exists(_configFile + ".clusterops-tmp"));
    }

    public static TheoryData<string?, string?, string, bool> DefaultChain => new()
    {
        // $CMPASS, the secret file, expected password, warned about the default
        { "from-env", "from-file\n", "from-env", false },
        { null, "from-file\n\n", "from-file", false },   // $(cat file) drops trailing newlines
        { "", "from-file", "from-file", false },         // [ -z "$CMPASS" ]: empty is unset
        { null, null, "admin", true },
    };

    [Theory]
    [MemberData(nameof(DefaultChain))]
    public void StartPersistentSh_admin_password_is_CMPASS_else_the_cm_secrets_file_else_admin(string? cmpass, string? file, string expected, bool warned)
    {
        _root.CreateVolume();
        if (file is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_secretFile)!);
            File.WriteAllText(_secretFile, file);
        }
        var environment = cmpass is null ? null : new Dictionary<string, string> { ["CMPASS"] = cmpass };
        var context = new RecordingOperationContext();

        Run(context, password: Preset(), environment: environment);

        Assert.Contains($"    admin_password: '{expected}'\n", File.ReadAllText(_configFile), StringComparison.Ordinal);
        Assert.Equal(warned, context.Warnings.Any(w => w.Contains("admin_password", StringComparison.Ordinal)));
    }

    [Fact]
    public void An_explicit_SecureString_or_file_wins_over_the_presets_defaults()
    {
        _root.CreateVolume();
        using var secure = new SecureString();
        foreach (var c in "explicit")
            secure.AppendChar(c);

        Run(password: Preset(secure), environment: new() { ["CMPASS"] = "from-env" });

        Assert.Contains("admin_password: 'explicit'", File.ReadAllText(_configFile), StringComparison.Ordinal);
        Assert.Throws<OperationException>(() => PersistentStatePresets.AdminPasswordFor(null, secure, "/run/secrets/x", null));
    }

    [Fact]
    public void StartPersistentSh_sets_the_password_only_on_first_population_so_a_populated_volume_keeps_its_own()
    {
        _root.CreateVolume();
        PopulateLikeTheScript(_db, _config);
        File.WriteAllText(_root.Persistent(_config) + "/config.yaml", "admin_password: chosen-at-first-start\n");
        var imageConfig = File.ReadAllText(_configFile);
        var context = new RecordingOperationContext();

        Run(context, password: Preset(path: _root.Root + "/no-such-file"), environment: new() { ["CMPASS"] = "new" });

        Assert.Equal("admin_password: chosen-at-first-start\n", File.ReadAllText(_config + "/config.yaml"));
        Assert.Equal(imageConfig, File.ReadAllText(_config + "-initial/config.yaml"));
        Assert.Contains(context.Warnings, w => w.Contains("only on first population", StringComparison.Ordinal));
    }

    [Fact]
    public void StartPersistentSh_sets_the_password_on_an_empty_volume_even_when_the_config_is_not_in_the_list()
    {
        _root.CreateVolume();

        Run(dirs: [_db], password: Preset(), environment: new() { ["CMPASS"] = "first" });
        ReplaceImageOf(_db);
        Run(dirs: [_db], password: Preset(), environment: new() { ["CMPASS"] = "second" });

        // The volume was empty on the first run only, and the script's rule is "first population".
        Assert.Contains("admin_password: 'first'", File.ReadAllText(_configFile), StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_configFile));
    }

    private void ReplaceImageOf(string dir)
    {
        File.Delete(dir);
        Directory.Delete(dir + "-initial", recursive: true);
        ImageTrees.Database(dir);
    }

    [Fact]
    public void A_password_file_that_does_not_exist_stops_the_first_population_before_any_change()
    {
        _root.CreateVolume();
        var before = TreeSnapshot.Take(_root.Root);

        var error = Assert.Throws<OperationException>(() => Run(password: Preset(path: _root.Root + "/no-such-file")));

        Assert.Equal(PersistentStateErrors.AdminPasswordSourceMissing, error.ErrorId);
        TreeSnapshot.AssertEqual(before, TreeSnapshot.Take(_root.Root), "refused run");
    }

    [Fact]
    public void StartPersistentSh_sed_on_a_missing_config_fails_under_set_e_so_we_refuse_before_any_change()
    {
        _root.CreateVolume();
        File.Delete(_configFile);
        var before = TreeSnapshot.Take(_root.Root);

        var error = Assert.Throws<OperationException>(() => Run(password: Preset()));

        Assert.Equal(PersistentStateErrors.AdminPasswordConfigMissing, error.ErrorId);
        TreeSnapshot.AssertEqual(before, TreeSnapshot.Take(_root.Root), "refused run");
    }

    [Fact]
    public void StartPersistentSh_without_a_volume_sets_no_password()
    {
        var before = File.ReadAllText(_configFile);

        Run(password: Preset(), environment: new() { ["CMPASS"] = "unused" });

        Assert.Equal(before, File.ReadAllText(_configFile));
    }

    [Fact]
    public void A_password_with_a_line_break_is_refused_without_showing_it()
    {
        _root.CreateVolume();

        var error = Assert.Throws<OperationException>(() => Run(password: Preset(), environment: new() { ["CMPASS"] = "line1\nline2-s3cr3t" }));

        Assert.Equal(PersistentStateErrors.AdminPasswordInvalid, error.ErrorId);
        Assert.DoesNotContain("s3cr3t", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void WhatIf_names_the_password_step_and_its_source_but_not_the_value()
    {
        _root.CreateVolume();
        var before = TreeSnapshot.Take(_root.Root);
        var context = RecordingOperationContext.WhatIf();

        Run(context, password: Preset(), environment: new() { ["CMPASS"] = Secret });

        TreeSnapshot.AssertEqual(before, TreeSnapshot.Take(_root.Root), "-WhatIf");
        Assert.DoesNotContain(context.ShouldProcessCalls, c => c.Action.Contains("s3cr3t", StringComparison.Ordinal));
    }

    /// <summary>A context that answers ShouldProcess yes and the high-impact question as told, recording it.</summary>
    private sealed class HighImpactContext(bool answer) : IOperationContext, IHighImpactConfirmation
    {
        private readonly RecordingOperationContext _inner = new();
        public List<(string Target, string Action)> HighImpactCalls { get; } = [];
        public CancellationToken CancellationToken => _inner.CancellationToken;
        public bool ShouldProcess(string target, string action) => _inner.ShouldProcess(target, action);
        public bool ShouldProcessHighImpact(string target, string action)
        {
            HighImpactCalls.Add((target, action));
            return answer;
        }
        public void WriteObject(object item) => _inner.WriteObject(item);
        public void WriteError(Exception error, object? target = null) => _inner.WriteError(error, target);
        public void WriteWarning(string message) => _inner.WriteWarning(message);
        public void WriteVerbose(string message) => _inner.WriteVerbose(message);
        public void WriteInformation(object data, string tag) => _inner.WriteInformation(data, tag);
        public void WriteDebug(string message) => _inner.WriteDebug(message);
        public void WriteProgress(OperationProgress progress) => _inner.WriteProgress(progress);
    }

    /// <summary>The real filesystem, recording the mode each new file is created with and has right after.</summary>
    private sealed class ModeRecordingFileSystem : IPersistentFileSystem
    {
        private readonly IPersistentFileSystem _real = LinuxFileSystem.Instance;
        public List<(string Path, UnixFileMode Mode)> Created { get; } = [];
        public Dictionary<string, UnixFileMode> ModeRightAfterCreate { get; } = [];

        public void WriteNewFile(string path, byte[] content, UnixFileMode mode = PersistentFileModes.PublicFile)
        {
            Created.Add((path, mode));
            _real.WriteNewFile(path, content, mode);
            ModeRightAfterCreate[path] = File.GetUnixFileMode(path);
        }

        public FileSystemEntry? GetEntry(string path) => _real.GetEntry(path);
        public FileSystemEntry? GetTargetEntry(string path) => _real.GetTargetEntry(path);
        public IReadOnlyList<string> ListDirectory(string path) => _real.ListDirectory(path);
        public byte[]? ReadFile(string path) => _real.ReadFile(path);
        public void CreateDirectory(string path, UnixFileMode mode) => _real.CreateDirectory(path, mode);
        public void CopyFileContent(string source, string destination) => _real.CopyFileContent(source, destination);
        public void CreateSymbolicLink(string path, string target) => _real.CreateSymbolicLink(path, target);
        public void ApplyMetadata(string path, FileSystemEntry from) => _real.ApplyMetadata(path, from);
        public void Rename(string source, string destination) => _real.Rename(source, destination);
        public void Delete(string path) => _real.Delete(path);
        public IDisposable? TryLock(string directory) => _real.TryLock(directory);
        public void FlushFileSystem(string path) { }
        public void FlushDirectory(string path) { }
    }
}
