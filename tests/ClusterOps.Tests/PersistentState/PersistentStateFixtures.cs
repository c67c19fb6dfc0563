using System.Security.Cryptography;
using ClusterOps.Core.PersistentState;

namespace ClusterOps.Tests.PersistentState;

/// <summary>
/// A throw-away root with an "image" (the container's own directories) and a "volume" (the mounted persistent
/// volume). Directories are absolute paths under the root, so the operations run exactly as in a container.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class TempRoot : IDisposable
{
    public TempRoot()
    {
        Root = Path.Combine(Path.GetTempPath(), "clusterops-pstate-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        Image = Root + "/image";
        Volume = Root + "/volume";
        Directory.CreateDirectory(Image);
    }

    public string Root { get; }
    public string Image { get; }
    public string Volume { get; }

    public string Dir(string relative) => Image + "/" + relative;
    public string Persistent(string directory) => Volume + directory;

    /// <summary>An empty volume as a fresh ext4 filesystem has it: only lost+found.</summary>
    public void CreateVolume(bool lostAndFound = true)
    {
        Directory.CreateDirectory(Volume);
        if (lostAndFound)
            Directory.CreateDirectory(Volume + "/lost+found", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}

/// <summary>Builds image trees with everything cp -rp must keep: modes, owners, nanosecond times, links.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public static class ImageTrees
{
    private static readonly UnixTime Old = new(1_500_000_000, 123_456_789);
    private static readonly UnixTime Older = new(1_400_000_000, 987_654_321);

    /// <summary>A postgres-like tree: private data dir owned by 26:26, config, links of each kind.</summary>
    public static void Database(string dir)
    {
        MakeDir(dir, "755", 0, 0);
        MakeDir(dir + "/pgsql", "700", 26, 26);
        MakeDir(dir + "/pgsql/data", "700", 26, 26);
        MakeFile(dir + "/pgsql/data/PG_VERSION", "9.5\n", "600", 26, 26);
        MakeFile(dir + "/pgsql/data/base.dat", new string('x', 300_000), "600", 26, 26);
        MakeFile(dir + "/pgsql/data/empty", "", "600", 26, 26);
        MakeLink(dir + "/pgsql/data/current", "PG_VERSION", 26, 26);
        MakeLink(dir + "/pgsql/dangling", "/nonexistent/target", 0, 0);
        MakeDir(dir + "/shared", "2775", 1001, 1002);
        MakeFile(dir + "/shared/tool", "#!/bin/sh\necho hi\n", "4755", 0, 0);
        MakeDir(dir + "/empty", "555", 0, 0);
        Stamp(dir + "/pgsql/data", Older);
        Stamp(dir + "/pgsql", Old);
        Stamp(dir + "/shared", Old);
        Stamp(dir + "/empty", Older);
        Stamp(dir, Old);
    }

    /// <summary>A small configuration tree.</summary>
    public static void Config(string dir)
    {
        MakeDir(dir, "750", 0, 1002);
        MakeFile(dir + "/config.yaml", "admin_password: from-image\n", "640", 0, 1002);
        MakeDir(dir + "/ssl", "700", 0, 0);
        MakeFile(dir + "/ssl/key.pem", "not-a-real-key\n", "600", 0, 0);
        MakeLink(dir + "/current.yaml", "/etc/absolute/link", 0, 0);
        Stamp(dir + "/ssl", Older);
        Stamp(dir, Old);
    }

    public static void MakeDir(string path, string octalMode, uint uid, uint gid)
    {
        Directory.CreateDirectory(path);
        Chown(path, uid, gid);
        File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32(octalMode, 8));
    }

    public static void MakeFile(string path, string content, string octalMode, uint uid, uint gid)
    {
        File.WriteAllText(path, content);
        Chown(path, uid, gid);
        File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32(octalMode, 8));
        Stamp(path, Older);
    }

    public static void MakeLink(string path, string target, uint uid, uint gid)
    {
        File.CreateSymbolicLink(path, target);
        Chown(path, uid, gid);
        Stamp(path, Older);
    }

    public static void Stamp(string path, UnixTime time) => LinuxNative.SetTimes(path, time, time);

    private static void Chown(string path, uint uid, uint gid) => LinuxNative.LChown(path, uid, gid);
}

/// <summary>Everything about one entry that a faithful copy must reproduce (atime is not: reading changes it).</summary>
public sealed record EntrySnapshot(EntryKind Kind, UnixFileMode Mode, uint Uid, uint Gid, UnixTime ModifyTime, string? Sha256, string? LinkTarget);

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public static class TreeSnapshot
{
    /// <summary>Path relative to <paramref name="root"/> ("." for the root itself) → entry, for the whole tree.</summary>
    public static SortedDictionary<string, EntrySnapshot> Take(string root)
    {
        var result = new SortedDictionary<string, EntrySnapshot>(StringComparer.Ordinal);
        Walk(root, ".", result);
        return result;
    }

    private static void Walk(string path, string relative, SortedDictionary<string, EntrySnapshot> result)
    {
        var entry = LinuxFileSystem.Instance.GetEntry(path) ?? throw new FileNotFoundException(path);
        string? hash = null;
        if (entry.Kind == EntryKind.File)
            hash = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
        result[relative] = new EntrySnapshot(entry.Kind, entry.Kind == EntryKind.SymbolicLink ? 0 : entry.Mode, entry.UserId, entry.GroupId,
            entry.ModifyTime, hash, entry.LinkTarget);
        if (entry.Kind != EntryKind.Directory)
            return;
        foreach (var name in LinuxFileSystem.Instance.ListDirectory(path))
            Walk(path + "/" + name, relative == "." ? name : relative + "/" + name, result);
    }

    public static void AssertEqual(IReadOnlyDictionary<string, EntrySnapshot> expected, IReadOnlyDictionary<string, EntrySnapshot> actual, string because)
    {
        var missing = expected.Keys.Except(actual.Keys).ToList();
        var extra = actual.Keys.Except(expected.Keys).ToList();
        var different = expected.Keys.Intersect(actual.Keys).Where(k => expected[k] != actual[k])
            .Select(k => $"{k}: expected {expected[k]}, got {actual[k]}").ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0 && different.Count == 0,
            $"{because}: missing [{string.Join(", ", missing)}] extra [{string.Join(", ", extra)}] different [{string.Join("; ", different)}]");
    }
}

public sealed class FakePlatform(bool isLinux) : IPlatformProbe
{
    public bool IsLinux => isLinux;
    public string Description => isLinux ? "Linux (test)" : "Microsoft Windows 10.0.26100 (test)";
}
