using System.Runtime.InteropServices;
using System.Text;

namespace ClusterOps.Kubernetes.Input;

/// <summary>
/// The one way ClusterOps reads a file the user named (kubeconfig, -Path manifest, tokenFile, certificate, key, CA).
/// Only regular files are opened: opening a FIFO blocks until some writer appears (for ever, in practice), and a
/// device such as /dev/zero never ends, so <c>File.ReadAllText</c> on either hangs or grows until the session dies.
/// The read stops at a size cap whatever the file claims to be, and checks the caller's cancellation between chunks.
/// </summary>
public static class BoundedFile
{
    private const int ChunkSize = 64 * 1024;

    /// <summary>
    /// The file's text (UTF-8, or the encoding its byte-order mark names, as <c>File.ReadAllText</c>).
    /// Throws <see cref="FileNotFoundException"/>, other <see cref="IOException"/>s and
    /// <see cref="UnauthorizedAccessException"/> as File does,
    /// <see cref="InputLimitException"/> for a non-regular or oversized file, and
    /// <see cref="OperationCanceledException"/> when cancelled.
    /// </summary>
    /// <param name="what">What the file is, for the message ("kubeconfig file", "token file").</param>
    public static string ReadText(string path, long maxBytes, string what, CancellationToken cancellationToken = default)
    {
        var bytes = ReadBytes(path, maxBytes, what, cancellationToken);
        using var reader = new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    /// <summary>The file's bytes; see <see cref="ReadText"/>.</summary>
    public static byte[] ReadBytes(string path, long maxBytes, string what, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        cancellationToken.ThrowIfCancellationRequested();
        var (kind, size) = Probe(path);
        if (kind is not (FileKind.Regular or FileKind.Unknown))
        {
            throw new InputLimitException(
                $"The {what} '{path}' is {Describe(kind)}, not a regular file. ClusterOps reads a {what} only from a regular file, " +
                "so that a pipe that never closes or a device such as /dev/zero cannot hang the session or fill its memory.",
                path, InputLimit.NotRegularFile);
        }
        if (size > maxBytes)
            throw TooLarge(path, what, maxBytes, $"is {InputLimits.Bytes(size)}");

        // Share everything: a kubeconfig or a rotated token may be rewritten while we read; we never lock it.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete,
            bufferSize: 1, FileOptions.SequentialScan);
        return ReadAtMost(stream, maxBytes, size, cancellationToken)
            ?? throw TooLarge(path, what, maxBytes, "grew past the limit while it was read");
    }

    /// <summary>
    /// A stream's bytes up to <paramref name="maxBytes"/>, or null when it holds more (at most one byte past the
    /// bound is read, whatever the stream is: a device, a pipe, a decompressor). Checks cancellation per chunk.
    /// </summary>
    public static byte[]? ReadAtMost(Stream stream, long maxBytes, long expected = 0, CancellationToken cancellationToken = default)
    {
        var output = new MemoryStream(expected is > 0 and <= int.MaxValue ? (int)Math.Min(expected, maxBytes) : 0);
        var chunk = new byte[(int)Math.Min(ChunkSize, maxBytes + 1)];
        long total = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Ask for at most one byte past the cap: enough to know the input is too big, never more.
            var want = (int)Math.Min(chunk.Length, maxBytes + 1 - total);
            var read = stream.Read(chunk, 0, want);
            if (read == 0)
                break;
            total += read;
            if (total > maxBytes)
                return null;
            output.Write(chunk, 0, read);
        }
        return output.ToArray();
    }

    private static InputLimitException TooLarge(string path, string what, long maxBytes, string actual) => new(
        $"The {what} '{path}' {actual}; ClusterOps reads a {what} of at most {InputLimits.Bytes(maxBytes)}, so that an " +
        "oversized or endless file cannot exhaust the session's memory.",
        path, InputLimit.FileSize);

    internal enum FileKind { Regular, Directory, Fifo, CharacterDevice, BlockDevice, Socket, Unknown }

    private static string Describe(FileKind kind) => kind switch
    {
        FileKind.Directory => "a directory",
        FileKind.Fifo => "a named pipe (FIFO)",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Socket => "a socket",
        _ => "not a regular file",
    };

    /// <summary>The file type (following symbolic links, as open does) and size, without opening the file.</summary>
    internal static (FileKind Kind, long Size) Probe(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            var info = new FileInfo(path);
            if (!info.Exists)
                return Directory.Exists(path) ? (FileKind.Directory, 0) : (FileKind.Unknown, 0);
            return info.Attributes.HasFlag(FileAttributes.Device) ? (FileKind.CharacterDevice, 0) : (FileKind.Regular, info.Length);
        }
        return UnixStat.Probe(path);
    }

    /// <summary>
    /// stat(2) through the runtime's own native shim (libSystem.Native, part of every .NET on Linux and macOS, the
    /// same call FileInfo uses). Its FileStatus layout is the runtime's, identical on every Unix and architecture,
    /// unlike libc's struct stat; .NET exposes no public API for the file type, and FileInfo.Attributes reports a
    /// FIFO or a device as a normal file. Only Mode (offset 4) and Size (offset 16) are read, from a buffer larger
    /// than the structure.
    /// </summary>
    private static class UnixStat
    {
        private const int TypeMask = 0xF000;
        private static bool _unavailable;

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat")]
        private static extern int Stat(byte[] utf8Path, byte[] status);

        public static (FileKind, long) Probe(string path)
        {
            if (!_unavailable)
            {
                try
                {
                    var status = new byte[512];
                    // On failure (missing, no permission) let the open report the real error.
                    if (Stat(Encoding.UTF8.GetBytes(path + "\0"), status) != 0)
                        return (FileKind.Unknown, 0);
                    var mode = BitConverter.ToInt32(status, 4);
                    var size = BitConverter.ToInt64(status, 16);
                    var kind = (mode & TypeMask) switch
                    {
                        0x8000 => FileKind.Regular,
                        0x4000 => FileKind.Directory,
                        0x1000 => FileKind.Fifo,
                        0x2000 => FileKind.CharacterDevice,
                        0x6000 => FileKind.BlockDevice,
                        0xC000 => FileKind.Socket,
                        _ => FileKind.Unknown,
                    };
                    return (kind, size);
                }
                catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
                {
                    // A host without the shim (never seen): fall back to the size cap alone.
                    _unavailable = true;
                }
            }
            return Directory.Exists(path) ? (FileKind.Directory, 0) : (FileKind.Unknown, 0);
        }
    }
}

/// <summary>Reads a text stream that may never end (a child process's output) within a bound.</summary>
public static class BoundedText
{
    /// <summary>
    /// The stream's text up to <paramref name="maxChars"/> characters, and whether more followed. With
    /// <paramref name="drain"/> the rest is read and dropped (so a writer never blocks on a full pipe); without, the
    /// read stops at the bound.
    /// </summary>
    public static async Task<(string Text, bool Truncated)> ReadAsync(TextReader reader, long maxChars, bool drain, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        var buffer = new char[16 * 1024];
        var truncated = false;
        while (true)
        {
            var read = await reader.ReadAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
            if (read == 0)
                break;
            if (truncated)
                continue;
            var keep = (int)Math.Min(read, maxChars - text.Length);
            text.Append(buffer, 0, keep);
            if (keep < read)
            {
                truncated = true;
                if (!drain)
                    break;
            }
        }
        return (text.ToString(), truncated);
    }
}
