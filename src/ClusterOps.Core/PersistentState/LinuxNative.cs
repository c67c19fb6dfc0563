using System.ComponentModel;
using System.Runtime.InteropServices;

namespace ClusterOps.Core.PersistentState;

/// <summary>
/// The few libc calls .NET does not expose: ownership, nanosecond times without following links, and fsync of a
/// directory. statx is used rather than lstat because its struct layout is the same on every architecture.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class LinuxNative
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasicStats = 0x7ff;
    private const int StatxSize = 256;

    public readonly record struct Stat(uint Mode, uint Uid, uint Gid, long Size, UnixTime Atime, UnixTime Mtime, ulong Device);

    public static Stat? StatX(string path, bool followLinks)
    {
        var buffer = new byte[StatxSize];
        if (statx(AtFdCwd, path, followLinks ? 0 : AtSymlinkNoFollow, StatxBasicStats, buffer) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno is 2 or 20) // ENOENT, ENOTDIR
                return null;
            throw Failure("statx", path, errno);
        }
        var span = buffer.AsSpan();
        return new Stat(
            Mode: BitConverter.ToUInt16(span[28..]),
            Uid: BitConverter.ToUInt32(span[20..]),
            Gid: BitConverter.ToUInt32(span[24..]),
            Size: BitConverter.ToInt64(span[40..]),
            Atime: new UnixTime(BitConverter.ToInt64(span[64..]), BitConverter.ToUInt32(span[72..])),
            Mtime: new UnixTime(BitConverter.ToInt64(span[112..]), BitConverter.ToUInt32(span[120..])),
            Device: ((ulong)BitConverter.ToUInt32(span[136..]) << 32) | BitConverter.ToUInt32(span[140..]));
    }

    /// <summary>
    /// Set owner and group. Like cp -p, a process that may not give files away (not root, as under OpenShift's random
    /// UIDs) keeps the copy as its own instead of failing: the caller learns that from the false return.
    /// </summary>
    public static bool LChown(string path, uint uid, uint gid)
    {
        if (lchown(path, uid, gid) == 0)
            return true;
        var errno = Marshal.GetLastPInvokeError();
        if (errno == 1 /* EPERM */ && geteuid() != 0)
            return false;
        throw Failure("lchown", path, errno);
    }

    public static void SetTimes(string path, UnixTime atime, UnixTime mtime)
    {
        var times = new[] { new Timespec((nint)atime.Seconds, (nint)atime.Nanoseconds), new Timespec((nint)mtime.Seconds, (nint)mtime.Nanoseconds) };
        if (utimensat(AtFdCwd, path, times, AtSymlinkNoFollow) != 0)
            throw Failure("utimensat", path, Marshal.GetLastPInvokeError());
    }

    /// <summary>fsync of a directory (its entries), or syncfs of the whole filesystem holding it.</summary>
    public static void Sync(string path, bool wholeFileSystem)
    {
        var fd = open(path, 0 /* O_RDONLY */);
        if (fd < 0)
            throw Failure("open", path, Marshal.GetLastPInvokeError());
        try
        {
            if ((wholeFileSystem ? syncfs(fd) : fsync(fd)) != 0)
                throw Failure(wholeFileSystem ? "syncfs" : "fsync", path, Marshal.GetLastPInvokeError());
        }
        finally
        {
            _ = close(fd);
        }
    }

    /// <summary>flock(LOCK_EX | LOCK_NB) on the directory itself, so that locking creates nothing on the volume.</summary>
    public static IDisposable? TryLockDirectory(string path)
    {
        var fd = open(path, 0 /* O_RDONLY */);
        if (fd < 0)
            throw Failure("open", path, Marshal.GetLastPInvokeError());
        if (flock(fd, 2 /* LOCK_EX */ | 4 /* LOCK_NB */) == 0)
            return new Descriptor(fd);
        var errno = Marshal.GetLastPInvokeError();
        _ = close(fd);
        // EWOULDBLOCK: someone else holds it. Anything else (NFS refuses flock on a read-only directory handle): no lock.
        return errno == 11 ? null : new Descriptor(-1);
    }

    private sealed class Descriptor(int fd) : IDisposable
    {
        private int _fd = fd;

        public void Dispose()
        {
            var fd = Interlocked.Exchange(ref _fd, -1);
            if (fd >= 0)
                _ = close(fd);
        }
    }

    private static IOException Failure(string call, string path, int errno) =>
        new($"{call} '{path}' failed: {new Win32Exception(errno).Message}", errno);

    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct Timespec(nint Seconds, nint Nanoseconds);

    [DllImport("libc", SetLastError = true)]
    private static extern int statx(int dirfd, string path, int flags, uint mask, byte[] buffer);

    [DllImport("libc")]
    private static extern uint geteuid();

    [DllImport("libc", SetLastError = true)]
    private static extern int lchown(string path, uint owner, uint group);

    [DllImport("libc", SetLastError = true)]
    private static extern int utimensat(int dirfd, string path, Timespec[] times, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int open(string path, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int fsync(int fd);

    [DllImport("libc", SetLastError = true)]
    private static extern int syncfs(int fd);

    [DllImport("libc", SetLastError = true)]
    private static extern int flock(int fd, int operation);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);
}
