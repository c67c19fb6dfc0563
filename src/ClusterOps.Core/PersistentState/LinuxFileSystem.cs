using ClusterOps.Kubernetes.Input;

namespace ClusterOps.Core.PersistentState;

/// <summary>The real filesystem, through .NET where it can and libc where it must (see <see cref="LinuxNative"/>).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LinuxFileSystem : IPersistentFileSystem
{
    private const int CopyBufferSize = 1 << 20;

    public static LinuxFileSystem Instance { get; } = new();

    public FileSystemEntry? GetEntry(string path) => Read(path, followLinks: false);

    public FileSystemEntry? GetTargetEntry(string path) => Read(path, followLinks: true);

    private static FileSystemEntry? Read(string path, bool followLinks)
    {
        if (LinuxNative.StatX(path, followLinks) is not { } st)
            return null;
        var kind = (st.Mode & 0xF000) switch
        {
            0x8000 => EntryKind.File,
            0x4000 => EntryKind.Directory,
            0xA000 => EntryKind.SymbolicLink,
            _ => EntryKind.Special,
        };
        var target = kind == EntryKind.SymbolicLink ? new FileInfo(path).LinkTarget : null;
        return new FileSystemEntry(kind, (UnixFileMode)(st.Mode & 0xFFF), st.Uid, st.Gid, st.Size, st.Atime, st.Mtime, target, st.Device);
    }

    public IReadOnlyList<string> ListDirectory(string path)
    {
        var names = new DirectoryInfo(path).EnumerateFileSystemInfos("*", new EnumerationOptions
        {
            AttributesToSkip = 0,
            IgnoreInaccessible = false,
            RecurseSubdirectories = false,
            ReturnSpecialDirectories = false,
        }).Select(i => i.Name).ToList();
        names.Sort(StringComparer.Ordinal);
        return names;
    }

    /// <summary>
    /// Only the completion marker is read, and it is small: read it through the shared bounded reader so a marker
    /// path that is a FIFO or a device (a damaged or hostile volume) is an error, not a hang or an endless read.
    /// </summary>
    public byte[]? ReadFile(string path) =>
        File.Exists(path) ? BoundedFile.ReadBytes(path, InputLimits.MaxCredentialFileBytes, "completion marker file") : null;

    public void CreateDirectory(string path, UnixFileMode mode)
    {
        if (GetEntry(path) is not null)
            throw new IOException($"Cannot create directory '{path}': it already exists.");
        Directory.CreateDirectory(path, mode);
    }

    public void CopyFileContent(string source, string destination)
    {
        using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, CopyBufferSize, FileOptions.SequentialScan);
        using var output = new FileStream(destination, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            BufferSize = CopyBufferSize,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        input.CopyTo(output, CopyBufferSize);
    }

    public void WriteNewFile(string path, byte[] content, UnixFileMode mode = PersistentFileModes.PublicFile)
    {
        using var output = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            UnixCreateMode = mode,
        });
        output.Write(content);
        output.Flush(flushToDisk: true);
    }

    public void CreateSymbolicLink(string path, string target) => File.CreateSymbolicLink(path, target);

    public void ApplyMetadata(string path, FileSystemEntry from)
    {
        // Owner first: chown clears setuid/setgid, so the mode must come after it. Without the right to give files
        // away, setuid/setgid on a file we keep would be a privilege the image never granted: drop them, as cp -p does.
        var owned = LinuxNative.LChown(path, from.UserId, from.GroupId);
        if (from.Kind != EntryKind.SymbolicLink)
            File.SetUnixFileMode(path, owned ? from.Mode : from.Mode & ~(UnixFileMode.SetUser | UnixFileMode.SetGroup));
        LinuxNative.SetTimes(path, from.AccessTime, from.ModifyTime);
    }

    public void Rename(string source, string destination)
    {
        var entry = GetEntry(source) ?? throw new FileNotFoundException($"Cannot rename '{source}': it does not exist.", source);
        if (entry.Kind == EntryKind.Directory)
            Directory.Move(source, destination);
        else
            File.Move(source, destination, overwrite: true);
    }

    public void Delete(string path)
    {
        switch (GetEntry(path)?.Kind)
        {
            case null:
                return;
            case EntryKind.Directory:
                try
                {
                    Directory.Delete(path, recursive: true);
                }
                catch (UnauthorizedAccessException)
                {
                    // A copied read-only directory (mode 0555) cannot be emptied by a non-root owner: open it up, retry.
                    MakeDirectoriesWritable(path);
                    Directory.Delete(path, recursive: true);
                }
                return;
            default:
                File.Delete(path);
                return;
        }
    }

    private void MakeDirectoriesWritable(string path)
    {
        if (GetEntry(path) is not { Kind: EntryKind.Directory } entry)
            return;
        File.SetUnixFileMode(path, entry.Mode | UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        foreach (var name in ListDirectory(path))
            MakeDirectoriesWritable(path + "/" + name);
    }

    public void FlushDirectory(string path) => LinuxNative.Sync(path, wholeFileSystem: false);

    public void FlushFileSystem(string path) => LinuxNative.Sync(path, wholeFileSystem: true);

    public IDisposable? TryLock(string directory) => LinuxNative.TryLockDirectory(directory);
}
