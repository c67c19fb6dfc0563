using ClusterOps.Core.Common;

namespace ClusterOps.Core.PersistentState;

/// <summary>Test-PersistentState: reads how each directory stands; never changes anything.</summary>
public sealed class PersistentStateInspector(IPersistentFileSystem? fileSystem = null, IPlatformProbe? platform = null)
{
    private readonly IPersistentFileSystem? _fs = fileSystem;
    private readonly IPlatformProbe _platform = platform ?? RuntimePlatformProbe.Instance;

    public IReadOnlyList<PersistentStateStatus> Inspect(TestPersistentStateRequest request, IOperationContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var fs = PersistentStateLayout.FileSystemFor(_fs, _platform);
        var layout = PersistentStateLayout.Create(request.Path, request.Directories, fs, _platform);
        var volumePresent = fs.GetTargetEntry(layout.Volume) is not null;
        var marker = volumePresent ? new StateMarkerStore(fs, layout).Read() : null;
        var results = new List<PersistentStateStatus>();
        foreach (var directory in layout.Directories)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var status = volumePresent
                ? Inspect(fs, layout, directory, marker?.Find(directory))
                : Status(layout, directory, PersistentStateCondition.NoPersistentStorage, null, null, "No volume at " + layout.Volume);
            results.Add(status);
            context.WriteObject(status);
        }
        return results;
    }

    private static PersistentStateStatus Inspect(IPersistentFileSystem fs, PersistentStateLayout layout, string directory, StateMarkerDirectory? recorded)
    {
        var persistent = layout.PersistentPathOf(directory);
        var entry = fs.GetEntry(directory);
        var linkTarget = entry is { Kind: EntryKind.SymbolicLink } ? entry.LinkTarget : null;

        if (fs.GetEntry(layout.StagingPathOf(directory)) is not null)
            return Status(layout, directory, PersistentStateCondition.IncompleteCopy, recorded, linkTarget,
                "An interrupted copy is in the staging area; the next Initialize-PersistentState discards it.");
        // A copy on the volume without a marker entry is not IncompleteCopy: start-persistent.sh (or a run interrupted after
        // its rename) left it, the script trusts it, and Initialize-PersistentState adopts it as it is.
        var unrecorded = recorded is null && fs.GetEntry(persistent) is not null;

        switch (entry?.Kind)
        {
            case null:
                return Status(layout, directory, PersistentStateCondition.Missing, recorded, null, null);
            case EntryKind.SymbolicLink when fs.GetTargetEntry(directory) is null:
                return Status(layout, directory, PersistentStateCondition.BrokenLink, recorded, linkTarget,
                    $"The link target '{linkTarget}' does not exist.");
            case EntryKind.SymbolicLink when PersistentStateLinks.Resolve(directory, linkTarget!) == persistent:
                return Status(layout, directory, PersistentStateCondition.Linked, recorded, linkTarget,
                    recorded is not null ? null : "Populated without a ClusterOps marker (start-persistent.sh); the next Initialize-PersistentState records it without changing a file.");
            case EntryKind.SymbolicLink:
                return Status(layout, directory, PersistentStateCondition.NotLinked, recorded, linkTarget, "Links outside the volume.");
            case EntryKind.Directory:
                return Status(layout, directory, PersistentStateCondition.NotLinked, recorded, null,
                    unrecorded ? "The volume holds this directory's state without a marker; the next Initialize-PersistentState adopts it and links it."
                    : recorded is null ? "Not copied into the volume yet."
                    : fs.GetTargetEntry(persistent) is { Kind: EntryKind.Directory } ? "Copied, but still a real directory."
                    : "Recorded as copied, but the copy is no longer on the volume.");
            default:
                return Status(layout, directory, PersistentStateCondition.NotLinked, recorded, null, $"A {entry.Kind}, not a directory.");
        }
    }

    private static PersistentStateStatus Status(PersistentStateLayout layout, string directory, PersistentStateCondition state,
        StateMarkerDirectory? recorded, string? linkTarget, string? detail) => new()
    {
        Directory = directory,
        PersistentPath = layout.PersistentPathOf(directory),
        State = state,
        Recorded = recorded is not null,
        CopiedAt = recorded?.CopiedUtc,
        LinkTarget = linkTarget,
        Volume = layout.Volume,
        Detail = detail,
    };
}
