using ClusterOps.Core.PersistentState;

namespace ClusterOps.Tests.PersistentState;

/// <summary>
/// The real filesystem with a crash at mutating step <see cref="FailAt"/> (1-based; 0 = never). A crash inside a
/// content write leaves a torn file behind, as a power loss would. Every step is recorded. Flushes count as steps but
/// are not passed on: the crash here is an exception, not a power loss, and syncfs on a shared build machine is slow.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class FaultInjectingFileSystem(int failAt = 0) : IPersistentFileSystem
{
    private readonly IPersistentFileSystem _real = LinuxFileSystem.Instance;

    public int FailAt { get; } = failAt;
    public int Steps { get; private set; }
    public List<string> Log { get; } = [];

    public FileSystemEntry? GetEntry(string path) => _real.GetEntry(path);
    public FileSystemEntry? GetTargetEntry(string path) => _real.GetTargetEntry(path);
    public IReadOnlyList<string> ListDirectory(string path) => _real.ListDirectory(path);
    public byte[]? ReadFile(string path) => _real.ReadFile(path);
    public IDisposable? TryLock(string directory) => _real.TryLock(directory);

    public void CreateDirectory(string path, UnixFileMode mode) => Step($"mkdir {path}", () => _real.CreateDirectory(path, mode));

    public void CopyFileContent(string source, string destination) => Step($"copy {source} {destination}",
        () => _real.CopyFileContent(source, destination),
        torn: () => File.WriteAllBytes(destination, File.ReadAllBytes(source)[..(int)(new FileInfo(source).Length / 2)]));

    public void WriteNewFile(string path, byte[] content, UnixFileMode mode = PersistentFileModes.PublicFile) => Step($"write {path}",
        () => _real.WriteNewFile(path, content, mode),
        torn: () => File.WriteAllBytes(path, content[..(content.Length / 2)]));

    public void CreateSymbolicLink(string path, string target) => Step($"symlink {path}", () => _real.CreateSymbolicLink(path, target));
    public void ApplyMetadata(string path, FileSystemEntry from) => Step($"meta {path}", () => _real.ApplyMetadata(path, from));
    public void Rename(string source, string destination) => Step($"rename {source} {destination}", () => _real.Rename(source, destination));
    public void Delete(string path) => Step($"delete {path}", () => _real.Delete(path));
    public void FlushDirectory(string path) => Step($"fsync {path}", () => { });
    public void FlushFileSystem(string path) => Step($"syncfs {path}", () => { });

    private void Step(string description, Action action, Action? torn = null)
    {
        Steps++;
        Log.Add(description);
        if (Steps == FailAt)
        {
            torn?.Invoke();
            throw new IOException($"Injected failure at step {Steps}: {description}");
        }
        action();
    }
}
