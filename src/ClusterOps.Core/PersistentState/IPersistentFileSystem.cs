namespace ClusterOps.Core.PersistentState;

public enum EntryKind
{
    File,
    Directory,
    SymbolicLink,
    /// <summary>FIFO, socket or device node: not state a service expects to find after a restart.</summary>
    Special,
}

/// <summary>What lstat says about one path (links are not followed).</summary>
public sealed record FileSystemEntry(
    EntryKind Kind,
    UnixFileMode Mode,
    uint UserId,
    uint GroupId,
    long Size,
    UnixTime AccessTime,
    UnixTime ModifyTime,
    string? LinkTarget,
    ulong DeviceId);

/// <summary>A timestamp with the nanoseconds the filesystem keeps (DateTime would round to 100 ns).</summary>
public readonly record struct UnixTime(long Seconds, long Nanoseconds)
{
    public DateTimeOffset ToDateTimeOffset() =>
        DateTimeOffset.FromUnixTimeSeconds(Seconds).AddTicks(Nanoseconds / 100);
}

/// <summary>
/// Every filesystem access of the PersistentState operations. Each mutating member is one crash-relevant step:
/// tests wrap the real implementation and fail at step k to prove that any interruption is recovered.
/// </summary>
public interface IPersistentFileSystem
{
    /// <summary>lstat; null when nothing exists at <paramref name="path"/> (a dangling link does exist).</summary>
    FileSystemEntry? GetEntry(string path);

    /// <summary>stat (follows links); null when the path or its link target does not exist.</summary>
    FileSystemEntry? GetTargetEntry(string path);

    /// <summary>Names of the entries of a directory, sorted ordinally.</summary>
    IReadOnlyList<string> ListDirectory(string path);

    /// <summary>Whole content of a small file, or null if it does not exist.</summary>
    byte[]? ReadFile(string path);

    /// <summary>Create one directory (its parent must exist) with <paramref name="mode"/>.</summary>
    void CreateDirectory(string path, UnixFileMode mode);

    /// <summary>Copy a regular file's content into a new file (no metadata; durability comes from <see cref="FlushFileSystem"/>).</summary>
    void CopyFileContent(string source, string destination);

    /// <summary>
    /// Write a new file with <paramref name="content"/> and flush it to disk. The file is created with
    /// <paramref name="mode"/> (minus the umask), so a secret written with 0600 is never readable by others, not even
    /// between the create and a later chmod.
    /// </summary>
    void WriteNewFile(string path, byte[] content, UnixFileMode mode = PersistentFileModes.PublicFile);

    void CreateSymbolicLink(string path, string target);

    /// <summary>Apply owner, mode (not for links) and times of <paramref name="from"/> without following links.</summary>
    void ApplyMetadata(string path, FileSystemEntry from);

    /// <summary>rename(2): atomic on one filesystem; replaces an existing file, never a non-empty directory.</summary>
    void Rename(string source, string destination);

    /// <summary>Remove a file, a link (not its target) or a whole directory tree.</summary>
    void Delete(string path);

    /// <summary>
    /// Take an exclusive advisory lock on a directory for as long as the result is not disposed; null when another
    /// process holds it. Where the filesystem cannot lock, a lock that guards nothing is returned.
    /// </summary>
    IDisposable? TryLock(string directory);

    /// <summary>
    /// syncfs: everything written to the filesystem holding <paramref name="path"/> reaches the disk. One call after a
    /// tree copy costs far less than an fsync per file, and gives the same guarantee before the copy is renamed into place.
    /// </summary>
    void FlushFileSystem(string path);

    /// <summary>fsync a directory so the entries created or renamed in it survive a power loss.</summary>
    void FlushDirectory(string path);
}

public static class PersistentFileModes
{
    /// <summary>0644: the marker and other files anyone in the container may read.</summary>
    public const UnixFileMode PublicFile = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>0600: a file that holds a secret.</summary>
    public const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
}
