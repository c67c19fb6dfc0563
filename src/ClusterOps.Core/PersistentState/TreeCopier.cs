using ClusterOps.Core.Common;

namespace ClusterOps.Core.PersistentState;

/// <summary>
/// Copies a tree the way `cp -rp` does (content, modes, owners, times, symbolic links as links). Durability is the
/// caller's: one syncfs after the whole tree, before it is renamed into place. Hard links become separate files and extended
/// attributes are not kept, as with cp -rp. FIFOs, sockets and device nodes are skipped with a warning.
/// </summary>
internal sealed class TreeCopier(IPersistentFileSystem fs, IOperationContext context, Action<long>? onProgress = null)
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public long Files { get; private set; }
    public long Bytes { get; private set; }

    public void Copy(string source, string destination)
    {
        context.CancellationToken.ThrowIfCancellationRequested();
        var entry = fs.GetEntry(source) ?? throw new FileNotFoundException($"'{source}' disappeared during the copy.", source);
        switch (entry.Kind)
        {
            case EntryKind.Directory:
                // Private until complete; the real mode and times go on after the children (adding them moves mtime).
                fs.CreateDirectory(destination, Private);
                foreach (var name in fs.ListDirectory(source))
                    Copy(source + "/" + name, destination + "/" + name);
                fs.ApplyMetadata(destination, entry);
                break;
            case EntryKind.File:
                fs.CopyFileContent(source, destination);
                fs.ApplyMetadata(destination, entry);
                Count(entry.Size);
                break;
            case EntryKind.SymbolicLink:
                fs.CreateSymbolicLink(destination, entry.LinkTarget!);
                fs.ApplyMetadata(destination, entry);
                Count(0);
                break;
            default:
                context.WriteWarning($"Skipped '{source}': FIFOs, sockets and device nodes are not copied.");
                break;
        }
    }

    private void Count(long bytes)
    {
        Files++;
        Bytes += bytes;
        onProgress?.Invoke(Files);
    }
}
