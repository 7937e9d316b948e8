using System.Buffers;

namespace ExportStudio.Core.Storage;

/// <summary>
/// Reads a file once so that the operating system holds it in its page cache. A database whose pages had
/// left the cache (nothing read it for a while, or other work pushed it out) made the first export after a
/// start read it from the disk: 2.4 s for 100 MB of sessions against 0.98 s with the file cached. Asking
/// the kernel to read ahead (<c>POSIX_FADV_WILLNEED</c>) brought in a tenth of the file; reading it does it all.
/// </summary>
public static class PageCache
{
    private const int ChunkBytes = 1 << 20;

    /// <summary>
    /// Reads <paramref name="path"/> through and returns the bytes read: 0 when the file is missing or larger
    /// than <paramref name="maxBytes"/> (a database that would crowd out the cache is read as its queries need it).
    /// </summary>
    public static async Task<long> WarmAsync(string path, long maxBytes, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return 0;
        }
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.Asynchronous | FileOptions.SequentialScan);
        var length = RandomAccess.GetLength(handle);
        if (length > maxBytes)
        {
            return 0;
        }
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            long offset = 0;
            int read;
            while (offset < length && (read = await RandomAccess.ReadAsync(handle, buffer, offset, cancellationToken)) > 0)
            {
                offset += read;
            }
            return offset;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>A quarter of the memory Linux reports as available (<c>MemAvailable</c>); 0 where it does not say.</summary>
    public static long Budget()
    {
        try
        {
            var line = File.Exists("/proc/meminfo") ? File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemAvailable:", StringComparison.Ordinal)) : null;
            var kilobytes = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, var value, ..] && long.TryParse(value, out var parsed) ? parsed : 0;
            return kilobytes * 1024 / 4;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
