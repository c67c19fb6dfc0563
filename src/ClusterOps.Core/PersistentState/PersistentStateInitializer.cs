using System.Globalization;
using ClusterOps.Core.Common;

namespace ClusterOps.Core.PersistentState;

/// <summary>
/// Initialize-PersistentState: the crash-safe version of cm-container's start-persistent.sh. Per directory:
/// copy the image's directory into a staging area on the volume, flush, rename into place, record it in the
/// marker; then move the real directory aside to &lt;dir&gt;-initial and link it into the volume. Any interruption
/// leaves either a recorded, complete copy or an unrecorded one that the next run discards and redoes.
/// </summary>
public sealed class PersistentStateInitializer(IPersistentFileSystem? fileSystem = null, IPlatformProbe? platform = null, TimeProvider? time = null)
{
    private readonly IPersistentFileSystem? _fs = fileSystem;
    private readonly IPlatformProbe _platform = platform ?? RuntimePlatformProbe.Instance;
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public IReadOnlyList<PersistentStateResult> Initialize(InitializePersistentStateRequest request, IOperationContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var fs = PersistentStateLayout.FileSystemFor(_fs, _platform);
        var layout = PersistentStateLayout.Create(request.Path, request.Directories, fs, _platform);
        return new Run(fs, _time, layout, request, context).Execute();
    }

    private sealed class Run(IPersistentFileSystem fs, TimeProvider time, PersistentStateLayout layout, InitializePersistentStateRequest request, IOperationContext context)
    {
        private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        private const UnixFileMode Public = Private | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        private const string Activity = "Initialize persistent state";

        private readonly IPersistentFileSystem _fs = fs;
        private readonly StateMarkerStore _store = new(fs, layout);
        private readonly List<PersistentStateResult> _results = [];
        private StateMarker? _marker;

        public IReadOnlyList<PersistentStateResult> Execute()
        {
            if (_fs.GetTargetEntry(layout.Volume) is null)
            {
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
            context.WriteProgress(new OperationProgress(1, Activity, "Done", 100, Completed: true));
            return _results;
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
            if (!recorded && request.AdoptExisting && _fs.GetEntry(persistent) is { Kind: EntryKind.Directory })
            {
                var then = LinkChange(directory, entry, persistent) is { } adoptLink ? "; then " + adoptLink : "";
                if (!context.ShouldProcess(directory, $"Adopt '{persistent}' as the persistent copy without copying{then}"))
                    return null;
                Record(directory, persistent, 0, 0);
                context.WriteVerbose($"Adopted '{persistent}', found on the volume without a completion marker.");
                return Link(directory, persistent, PersistentStateAction.Adopted, 0, 0, started);
            }
            if (!recorded)
            {
                var source = entry is { Kind: EntryKind.Directory } ? directory
                    : _fs.GetEntry(PersistentStateLayout.InitialPathOf(directory)) is { Kind: EntryKind.Directory } ? PersistentStateLayout.InitialPathOf(directory)
                    : null;
                if (source is null)
                {
                    context.WriteWarning($"'{directory}' does not exist in the image, so there is nothing to keep.");
                    return Result(directory, PersistentStateAction.SourceMissing, started, "Not in the image");
                }
                // One question per directory, naming the link too, so that -WhatIf lists every change of the run.
                var then = LinkChange(directory, entry, persistent) is { } link ? "; then " + link : "";
                if (!context.ShouldProcess(directory, $"Copy '{source}' into the volume at '{persistent}'{then}"))
                    return null;
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
            context.WriteWarning($"'{persistent}' was on the volume without a completed copy recorded (an interrupted first run, " +
                $"or a volume filled by another tool). It was moved to '{aside}', and '{directory}' is copied from the image instead.");
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
