using System.IO.Compression;
using ClusterOps.Core.Common;
using ClusterOps.Core.Lifecycle;

namespace ClusterOps.Tests.Lifecycle;

/// <summary>
/// The restore record is a Secret anyone who may write Secrets in the namespace can replace, checksum annotation
/// included: its gzip must not inflate without bound when Start-TmlCluster reads it back.
/// </summary>
public sealed class RestoreRecordBombTests
{
    private static byte[] Gzip(long bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var spaces = new byte[1 << 20];
            Array.Fill(spaces, (byte)' ');
            for (long written = 0; written < bytes; written += spaces.Length)
                gzip.Write(spaces, 0, (int)Math.Min(spaces.Length, bytes - written));
        }
        return output.ToArray();
    }

    [Fact]
    public void A_record_that_inflates_past_the_bound_is_refused_without_inflating_it()
    {
        var bomb = Gzip(4L * RestoreRecord.MaxRecordJsonBytes); // 256 MiB of spaces, a few hundred KiB compressed
        Assert.True(bomb.Length < RestoreRecord.MaxSecretDataBytes);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<OperationException>(() => RestoreRecord.Deserialize(bomb, RestoreRecord.Checksum(bomb), "tml-restore"));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal("RestoreRecordUnreadable", error.ErrorId);
        Assert.Contains("expands to more than 64 MiB of JSON", error.Message);
        // At most the bound (plus the growth of its buffer), never the 256 MiB it would inflate to.
        Assert.True(allocated < 3L * RestoreRecord.MaxRecordJsonBytes, $"allocated {allocated:N0} bytes");
    }
}
