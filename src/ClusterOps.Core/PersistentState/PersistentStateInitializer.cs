using System.Globalization;
using ClusterOps.Core.Common;

namespace ClusterOps.Core.PersistentState;

/// <summary>
/// Initialize-PersistentState: the crash-safe version of cm-container's start-persistent.sh. Per directory:
/// copy the image's directory into a staging area on the volume, flush, rename into place, record it in the
/// marker; then move the real directory aside to &lt;dir&gt;-initial and link it into the volume. Any interruption
/// leaves either a recorded, complete copy or an unrecorded one that the next run discards and redoes.
/// A directory already on the volume that no marker records is Cloudify's state (the script's rule: a non-empty
/// volume is populated), so it is adopted as it is; only -ReplaceUnrecorded moves it aside.
/// </summary>
public sealed class PersistentStateInitializer(IPersistentFileSystem? fileSystem = null, IPlatformProbe? platform = null, TimeProvider? time = null,
    Func<string, string?>? environment = null)
{
    private readonly IPersistentFileSystem? _fs = fileSystem;
    private readonly IPlatformProbe _platform = platform ?? RuntimePlatformProbe.Instance;
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Func<string, string?> _environment = environment ?? Environment.GetEnvironmentVariable;

    public IReadOnlyList<PersistentStateResult> Initialize(InitializePersistentStateRequest request, IOperationContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var fs = PersistentStateLayout.FileSystemFor(_fs, _platform);
        var layout = PersistentStateLayout.Create(request.Path, request.Directories, fs, _platform);
        if (request.AdminPassword is { } password)
            PersistentStateLayout.NormalizeAbsolute(password.ConfigPath, PersistentStateErrors.PathNotAbsolute, "-CloudifyConfigPath");
        using var run = new Run(fs, _time, _environment, layout, request, context);
        return run.Execute();
    }

    private sealed class Run(IPersistentFileSystem fs, TimeProvider time, Func<string, string?> environment, PersistentStateLayout layout,
        InitializePersistentStateRequest request, IOperationContext context) : IDisposable
    {
        private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        private const UnixFileMode Public = Private | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        private const string Activity = "Initialize persistent state";

        private readonly IPersistentFileSystem _fs = fs;
        private readonly StateMarkerStore _store = new(fs, layout);
        private readonly List<PersistentStateResult> _results = [];
        private readonly List<string> _adopted = [];
        private StateMarker? _marker;
        private CloudifyAdminPassword.Secret? _password;
        private string? _passwordConfig;
        private string? _passwordHolder;

        public void Dispose() => _password?.Dispose();

        public IReadOnlyList<PersistentStateResult> Execute()
        {
            if (_fs.GetTargetEntry(layout.Volume) is null)
            {
                // As the script: no volume, no links and no password step (it sets the password only on first population).
                context.WriteWarning($"No persistent storage available: nothing is mounted at '{layout.Volume}'. " +
                    "The service keeps its state in the container and loses it when the container is replaced.");
                foreach (var directory in layout.Directories)
                    Emit(Result(directory, PersistentStateAction.NoPersistentStorage, 0, "No volume at " + layout.Volume));
                return _results;
            }
            WarnIfNotMounted();
            using var volumeLock = _fs.TryLock(layout.Volume) ?? throw new OperationException(PersistentStateErrors.VolumeBusy,
                FailureKind.ResourceBusy, $"Another process is initializing persistent state on '{layout.Volume}'.", layout.Volume)
            {
                RecommendedAction = "Let the other container finish (pods sharing a ReadWriteMany volume start together), then run again.",
            };
            _marker = _store.Read();
            RefuseMissingDirectories();
            PreparePassword();

            try
            {
                if (_password is not null && _passwordHolder is null)
                    Guarded(_passwordConfig!, () => SetPassword(_passwordConfig!));
                for (var i = 0; i < layout.Directories.Count; i++)
                {
                    var directory = layout.Directories[i];
                    context.CancellationToken.ThrowIfCancellationRequested();
                    context.WriteProgress(new OperationProgress(1, Activity, $"{directory} ({i + 1} of {layout.Directories.Count})",
                        i * 100 / layout.Directories.Count));
                    if (Guarded(directory, () => Process(directory)) is { } result)
                        Emit(result);
                }
                Guarded(layout.StagingRoot, RemoveStaging);
            }
            finally
            {
                // One warning per run, even when a later directory fails: the operator must learn that the volume was
                // taken as it is, and how to get the old behaviour.
                if (_adopted.Count > 0)
                    context.WriteWarning($"'{layout.Volume}' held state that no ClusterOps marker records ({string.Join(", ", _adopted)}): " +
                        "adopted as it is, as start-persistent.sh does (a non-empty volume is populated); no file on the volume was changed, " +
                        "only the marker was written. If that state is an unfinished copy, run once with -ReplaceUnrecorded to move it aside and copy from the image.");
            }
            context.WriteProgress(new OperationProgress(1, Activity, "Done", 100, Completed: true));
            return _results;
        }

        /// <summary>The directory has something on the volume that no marker records (the script's "populated").</summary>
        private bool Unrecorded(string directory) =>
            _marker?.Find(directory) is null && _fs.GetEntry(layout.PersistentPathOf(directory)) is not null;

        /// <summary>The image's directory (or its -initial copy after an interrupted run), or null if the image lacks it.</summary>
        private string? SourceOf(string directory) =>
            _fs.GetEntry(directory) is { Kind: EntryKind.Directory } ? directory
            : _fs.GetEntry(PersistentStateLayout.InitialPathOf(directory)) is { Kind: EntryKind.Directory } ? PersistentStateLayout.InitialPathOf(directory)
            : null;

        /// <summary>This run copies the directory from the image (so the script's first-population steps apply to it).</summary>
        private bool WillCopy(string directory) =>
            _marker?.Find(directory) is null && (request.ReplaceUnrecorded || !Unrecorded(directory)) && SourceOf(directory) is not null;

        /// <summary>
        /// start-persistent.sh copies with set -e, so a listed directory the image lacks stops it on the first run. We stop
        /// too, before any change, naming every such directory at once rather than the first.
        /// </summary>
        private void RefuseMissingDirectories()
        {
            var missing = layout.Directories
                .Where(d => _marker?.Find(d) is null && _fs.GetEntry(layout.PersistentPathOf(d)) is null && SourceOf(d) is null && NothingForeignAt(d))
                .ToList();
            if (missing.Count == 0 || request.AllowMissingDirectory)
                return;
            throw new OperationException(PersistentStateErrors.DirectoryMissing, FailureKind.ObjectNotFound,
                $"{(missing.Count == 1 ? "A directory to keep on the volume exists" : missing.Count + " directories to keep on the volume exist")} neither in the image nor on the volume: " +
                $"{string.Join(", ", missing.Select(d => "'" + d + "'"))}. start-persistent.sh stops at such a directory (set -e), so nothing was changed.",
                missing.Count == 1 ? missing[0] : missing)
            {
                RecommendedAction = "Check the directory list against the image (the CloudifyManager preset is cm-container's list at a4e03d8), " +
                    "or pass -AllowMissingDirectory to warn about them and keep the others.",
            };
        }

        /// <summary>A foreign link or a file at the path is a conflict, reported per directory, not a missing directory.</summary>
        private bool NothingForeignAt(string directory) =>
            _fs.GetEntry(directory) is not { } entry || IsLinkTo(directory, entry, layout.PersistentPathOf(directory));

        /// <summary>
        /// Decide whether the admin password step is due (before this run copies the directory holding the config, or,
        /// if no listed directory holds it, when the volume holds none of them yet) and check it can be done before any change.
        /// </summary>
        private void PreparePassword()
        {
            if (request.AdminPassword is not { } password)
                return;
            var config = PersistentStateLayout.NormalizeAbsolute(password.ConfigPath, PersistentStateErrors.PathNotAbsolute, "-CloudifyConfigPath");
            var holder = layout.Directories.FirstOrDefault(d => PersistentStateLayout.IsUnder(config, d));
            var due = holder is not null
                ? WillCopy(holder)
                : layout.Directories.All(d => _marker?.Find(d) is null && !Unrecorded(d));
            if (!due && (password.Password is not null || password.PasswordPath is not null))
            {
                // The user named a password; saying nothing would let them believe it is in effect.
                context.WriteWarning($"The admin password was not set: '{config}' is already persisted on the volume, and start-persistent.sh " +
                    "sets it only on first population. Change it with Cloudify's own tools (cfy users set-password).");
                return;
            }
            if (!due)
            {
                context.WriteVerbose($"The admin password step is skipped: '{config}' is already persisted, and start-persistent.sh sets it only on first population.");
                return;
            }
            var source = holder is null ? config : SourceOf(holder) + config[holder.Length..];
            if (_fs.GetEntry(source) is not { Kind: EntryKind.File })
                throw CloudifyAdminPassword.ConfigMissing(source);
            _passwordHolder = holder;
            _passwordConfig = source;
            _password = CloudifyAdminPassword.Resolve(password, _fs, environment, context);
        }

        private void SetPassword(string configPath)
        {
            if (context.ShouldProcess(configPath, $"Set admin_password from {_password!.Source} (file mode 0600)"))
                CloudifyAdminPassword.Write(_fs, configPath, _password, time, context);
        }

        private PersistentStateResult? Process(string directory)
        {
            var started = time.GetTimestamp();
            var persistent = layout.PersistentPathOf(directory);
            var entry = _fs.GetEntry(directory);
            if (entry is { Kind: not EntryKind.Directory } && !IsLinkTo(directory, entry, persistent))
                return Conflict(directory, started, PersistentStateErrors.LinkConflict,
                    entry.Kind == EntryKind.SymbolicLink
                        ? $"'{directory}' is a link to '{entry.LinkTarget}', not into the volume: left as it is."
                        : $"'{directory}' is a {entry.Kind}, not a directory: left as it is.");

            long files = 0, bytes = 0;
            var copied = false;
            var recorded = _marker?.Find(directory) is not null;
            var onVolume = recorded ? null : _fs.GetEntry(persistent);
            if (onVolume is not null && !request.ReplaceUnrecorded)
            {
                if (onVolume.Kind != EntryKind.Directory)
                    return Conflict(directory, started, PersistentStateErrors.VolumePathBlocked,
                        $"'{persistent}' on the volume is a {onVolume.Kind}, not a directory; '{directory}' was left as it is.",
                        "Move it away yourself, or run with -ReplaceUnrecorded to move it to .clusterops-superseded and copy from the image.");
                var then = LinkChange(directory, entry, persistent) is { } adoptLink ? "; then " + adoptLink : "";
                if (!context.ShouldProcess(directory, $"Adopt '{persistent}' as the persistent copy without copying{then}"))
                    return null;
                Record(directory, persistent, 0, 0);
                _adopted.Add(directory);
                context.WriteVerbose($"Adopted '{persistent}', found on the volume without a completion marker.");
                return Link(directory, persistent, PersistentStateAction.Adopted, 0, 0, started);
            }
            if (!recorded)
            {
                var source = SourceOf(directory);
                if (source is null)
                {
                    // Only with -AllowMissingDirectory: otherwise RefuseMissingDirectories stopped the run.
                    context.WriteWarning($"'{directory}' does not exist in the image, so there is nothing to keep.");
                    return Result(directory, PersistentStateAction.SourceMissing, started, "Not in the image");
                }
                // One question per directory, naming the link too, so that -WhatIf lists every change of the run.
                var then = LinkChange(directory, entry, persistent) is { } link ? "; then " + link : "";
                if (onVolume is not null)
                {
                    if (!ShouldReplace(directory, $"Move '{persistent}', which no marker records, to '{layout.SupersededRoot}' and copy '{source}' in its place{then}"))
                        return null;
                }
                else if (!context.ShouldProcess(directory, $"Copy '{source}' into the volume at '{persistent}'{then}"))
                {
                    return null;
                }
                if (directory == _passwordHolder)
                    SetPassword(_passwordConfig!);
                (files, bytes) = CopyIntoVolume(directory, source, persistent);
                copied = true;
            }
            else if (_fs.GetTargetEntry(persistent) is not { Kind: EntryKind.Directory })
            {
                return Conflict(directory, started, PersistentStateErrors.CopyMissing,
                    $"The marker records a copy of '{directory}' at '{persistent}', but it is no longer there; '{directory}' was left as it is.",
                    "Restore the directory on the volume from a backup, or remove its entry from the marker to start again from the image.");
            }
            return Link(directory, persistent, copied ? PersistentStateAction.Copied : null, files, bytes, started);
        }

        private bool ShouldReplace(string directory, string action) => context is IHighImpactConfirmation high
            ? high.ShouldProcessHighImpact(directory, action)
            : context.ShouldProcess(directory, action);

        private (long Files, long Bytes) CopyIntoVolume(string directory, string source, string persistent)
        {
            var staging = layout.StagingPathOf(directory);
            if (_fs.GetEntry(staging) is not null)
            {
                context.WriteVerbose($"Discarding '{staging}', the unfinished copy of an interrupted run.");
                _fs.Delete(staging);
            }
            EnsureParentsOf(staging);
            context.WriteVerbose($"Copying '{source}' to '{staging}'.");
            var copier = new TreeCopier(_fs, context, files =>
            {
                if (files % 1000 == 0)
                    context.WriteProgress(new OperationProgress(2, "Copy " + directory, $"{files} files copied", ParentActivityId: 1));
            });
            copier.Copy(source, staging);
            // The copy must be on disk before the rename can make it visible: a crash then leaves it in staging.
            _fs.FlushFileSystem(layout.Volume);

            if (_fs.GetEntry(persistent) is not null)
                MoveAside(directory, persistent);
            EnsureParentsOf(persistent);
            _fs.Rename(staging, persistent);
            _fs.FlushDirectory(PersistentStateLayout.ParentOf(persistent));
            _fs.FlushDirectory(PersistentStateLayout.ParentOf(staging));

            Record(directory, persistent, copier.Files, copier.Bytes);
            return (copier.Files, copier.Bytes);
        }

        /// <summary>The directory's copy is complete on disk: say so in the marker (atomically rewritten).</summary>
        private void Record(string directory, string persistent, long files, long bytes)
        {
            var now = time.GetUtcNow();
            _marker ??= new StateMarker { CreatedUtc = now };
            _marker.Directories.RemoveAll(d => d.Directory == directory);
            _marker.Directories.Add(new StateMarkerDirectory
            {
                Directory = directory,
                PersistentPath = persistent,
                CopiedUtc = now,
                Files = files,
                Bytes = bytes,
                Writer = StateMarkerStore.WriterName,
            });
            _marker.UpdatedUtc = now;
            _marker.Writer = StateMarkerStore.WriterName;
            _store.Write(_marker);
        }

        /// <param name="done">What this run already did to the volume (Copied, Adopted), already confirmed; null if nothing.</param>
        private PersistentStateResult? Link(string directory, string persistent, PersistentStateAction? done, long files, long bytes, long started)
        {
            var action = done ?? PersistentStateAction.Linked;
            var entry = _fs.GetEntry(directory);
            if (entry is { Kind: EntryKind.SymbolicLink })
                return Result(directory, done ?? PersistentStateAction.AlreadyLinked, started, null, files, bytes);

            var initial = PersistentStateLayout.InitialPathOf(directory);
            if (done is null && !context.ShouldProcess(directory, Capitalized(LinkChange(directory, entry, persistent)!)))
                return null;

            string? movedTo = null;
            if (entry is not null)
            {
                if (_fs.GetEntry(initial) is not null)
                {
                    var aside = FreeName(initial + "." + Stamp());
                    _fs.Rename(initial, aside);
                    context.WriteWarning($"'{initial}' already existed; it was moved to '{aside}' so that nothing is lost.");
                }
                _fs.Rename(directory, initial);
                movedTo = initial;
            }
            _fs.CreateSymbolicLink(directory, persistent);
            _fs.FlushDirectory(PersistentStateLayout.ParentOf(directory));
            context.WriteVerbose($"'{directory}' now links to '{persistent}'.");
            return Result(directory, action, started, null, files, bytes, movedTo);
        }

        private static string? LinkChange(string directory, FileSystemEntry? entry, string persistent) => entry switch
        {
            null => $"create '{directory}' as a link to '{persistent}'",
            { Kind: EntryKind.Directory } => $"move '{directory}' to '{PersistentStateLayout.InitialPathOf(directory)}' and replace it with a link to '{persistent}'",
            _ => null,
        };

        private static string Capitalized(string text) => char.ToUpperInvariant(text[0]) + text[1..];

        private void MoveAside(string directory, string persistent)
        {
            var aside = FreeName(layout.SupersededRoot + "/" + Stamp()) + directory;
            EnsureParentsOf(aside);
            _fs.Rename(persistent, aside);
            _fs.FlushDirectory(PersistentStateLayout.ParentOf(persistent));
            context.WriteWarning($"-ReplaceUnrecorded: '{persistent}' was on the volume without a completed copy recorded. " +
                $"It was moved to '{aside}' (nothing is deleted), and '{directory}' is copied from the image instead.");
        }

        private void RemoveStaging()
        {
            if (_fs.GetEntry(layout.StagingRoot) is null || !context.ShouldProcess(layout.StagingRoot, "Remove the staging area of interrupted copies"))
                return;
            _fs.Delete(layout.StagingRoot);
            _fs.FlushDirectory(layout.Volume);
        }

        /// <summary>mkdir -p for the part of <paramref name="path"/>'s parents that lies inside the volume.</summary>
        private void EnsureParentsOf(string path)
        {
            var missing = new Stack<string>();
            for (var p = PersistentStateLayout.ParentOf(path); PersistentStateLayout.IsUnder(p, layout.Volume); p = PersistentStateLayout.ParentOf(p))
            {
                var entry = _fs.GetEntry(p);
                if (entry is { Kind: EntryKind.Directory })
                    break;
                if (entry is not null)
                    throw new OperationException(PersistentStateErrors.VolumePathBlocked, FailureKind.ResourceExists,
                        $"'{p}' on the volume is a {entry.Kind}, where a directory is needed.", p);
                missing.Push(p);
            }
            while (missing.TryPop(out var p))
            {
                _fs.CreateDirectory(p, p == layout.StagingRoot ? Private : Public);
                _fs.FlushDirectory(PersistentStateLayout.ParentOf(p));
            }
        }

        private string FreeName(string path)
        {
            var candidate = path;
            for (var n = 1; _fs.GetEntry(candidate) is not null; n++)
                candidate = path + "-" + n.ToString(CultureInfo.InvariantCulture);
            return candidate;
        }

        private string Stamp() => time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

        private static bool IsLinkTo(string link, FileSystemEntry entry, string expected) =>
            entry.Kind == EntryKind.SymbolicLink && PersistentStateLinks.Resolve(link, entry.LinkTarget!) == expected;

        private T? Guarded<T>(string target, Func<T?> step) where T : class
        {
            try
            {
                return step();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new OperationException(PersistentStateErrors.StepFailed, FailureKind.ResourceUnavailable,
                    $"Persistent state setup failed at '{target}': {ex.Message}", target, ex)
                {
                    RecommendedAction = "Fix the cause and run again: an interrupted copy is never trusted and is redone from the image.",
                };
            }
        }

        private void Guarded(string target, Action step) => Guarded<object>(target, () => { step(); return null; });

        private PersistentStateResult Conflict(string directory, long started, string errorId, string message, string? advice = null)
        {
            context.WriteError(new OperationException(errorId, FailureKind.ResourceExists, message, directory) { RecommendedAction = advice }, directory);
            return Result(directory, PersistentStateAction.Conflict, started, message);
        }

        private PersistentStateResult Result(string directory, PersistentStateAction action, long started, string? message,
            long files = 0, long bytes = 0, string? initialPath = null) => new()
        {
            Directory = directory,
            PersistentPath = layout.PersistentPathOf(directory),
            Action = action,
            Files = files,
            Bytes = bytes,
            Duration = started == 0 ? TimeSpan.Zero : time.GetElapsedTime(started),
            InitialPath = initialPath,
            Volume = layout.Volume,
            Message = message,
        };

        private void Emit(PersistentStateResult result)
        {
            _results.Add(result);
            if (request.PassThru)
                context.WriteObject(result);
        }

        private void WarnIfNotMounted()
        {
            var volume = _fs.GetTargetEntry(layout.Volume);
            var parent = _fs.GetTargetEntry(PersistentStateLayout.ParentOf(layout.Volume));
            if (volume is not null && parent is not null && volume.DeviceId == parent.DeviceId)
                context.WriteWarning($"'{layout.Volume}' is on the same filesystem as its parent: if no volume is mounted there, " +
                    "the state is kept in the container and lost with it.");
        }
    }
}

internal static class PersistentStateLinks
{
    /// <summary>The absolute, normalized path a link's target names (relative targets resolve from the link's folder).</summary>
    public static string Resolve(string link, string target)
    {
        var full = target.StartsWith('/') ? target : PersistentStateLayout.ParentOf(link) + "/" + target;
        full = Path.GetFullPath(full);
        return full.Length > 1 ? full.TrimEnd('/') : full;
    }
}
