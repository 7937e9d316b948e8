using ICSharpCode.SharpZipLib;
using ICSharpCode.SharpZipLib.GZip;
using ZstdSharp;

namespace ExportStudio.Core.Compression;

/// <summary>What a stored or uploaded file is, by its first bytes.</summary>
public enum StoredFormat
{
    Plain,
    Zstd,
    Gzip,
    Tar,
}

/// <summary>
/// Reads compressed files back: detects the format by magic bytes, decompresses as a stream (constant
/// memory), verifies checksums, and stops cleanly on truncated or corrupted data or past a size limit.
/// </summary>
public static class CompressedFileReader
{
    public const int DetectBytes = 512;

    /// <summary>zstd <c>28 B5 2F FD</c>, gzip <c>1F 8B</c>, tar <c>ustar</c> at offset 257, otherwise plain.</summary>
    public static StoredFormat Detect(ReadOnlySpan<byte> header)
    {
        if (header.StartsWith((ReadOnlySpan<byte>)[0x28, 0xB5, 0x2F, 0xFD]))
        {
            return StoredFormat.Zstd;
        }
        if (header.StartsWith((ReadOnlySpan<byte>)[0x1F, 0x8B]))
        {
            return StoredFormat.Gzip;
        }
        if (header.Length >= 262 && header.Slice(257, 5).SequenceEqual("ustar"u8))
        {
            return StoredFormat.Tar;
        }
        return StoredFormat.Plain;
    }

    /// <summary>
    /// The contents of <paramref name="stored"/>: a zstd frame → the original file; gzip → what it holds
    /// (the tar of a tar.gz); tar or plain → as they are. Reading past <paramref name="maxDecompressedBytes"/>
    /// throws <see cref="DecompressionLimitExceededException"/>; damaged data throws
    /// <see cref="CorruptCompressedDataException"/>. Disposing the result disposes <paramref name="stored"/>.
    /// </summary>
    public static Stream OpenContent(Stream stored, long maxDecompressedBytes)
    {
        var head = new byte[DetectBytes];
        var read = stored.ReadAtLeast(head, DetectBytes, throwOnEndOfStream: false);
        var source = new PrefixedStream(head.AsMemory(0, read), stored);
        Stream content = Detect(head.AsSpan(0, read)) switch
        {
            StoredFormat.Zstd => new DecompressionStream(source, bufferSize: 1 << 20, checkEndOfStream: true, leaveOpen: false),
            // SharpZipLib's reader, not GZipStream: GZipStream silently accepts a truncated member.
            StoredFormat.Gzip => new GZipInputStream(source) { IsStreamOwner = true },
            _ => source,
        };
        return new VerifyingReadStream(content, maxDecompressedBytes);
    }

    /// <summary>Reads a whole stored file through its decompressor, verifying it; returns the decompressed size.</summary>
    public static async Task<long> VerifyAsync(Stream stored, long maxDecompressedBytes = long.MaxValue, CancellationToken cancellationToken = default)
    {
        await using var content = OpenContent(stored, maxDecompressedBytes);
        var buffer = new byte[1 << 20];
        long total = 0;
        int read;
        while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
        }
        return total;
    }

    /// <summary>Counts what is read, enforces the limit, and turns each decoder's own errors into the two exceptions callers handle.</summary>
    private sealed class VerifyingReadStream(Stream inner, long limit) : Stream
    {
        private long _total;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _total; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            try
            {
                return Count(inner.Read(buffer));
            }
            catch (Exception exception) when (Translate(exception) is { } translated)
            {
                throw translated;
            }
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            try
            {
                return Count(await inner.ReadAsync(buffer, cancellationToken));
            }
            catch (Exception exception) when (Translate(exception) is { } translated)
            {
                throw translated;
            }
        }

        private int Count(int read)
        {
            _total += read;
            if (_total > limit)
            {
                throw new DecompressionLimitExceededException(limit);
            }
            return read;
        }

        private static Exception? Translate(Exception exception) => exception switch
        {
            DecompressionLimitExceededException or CorruptCompressedDataException => null,
            ZstdException zstd => new CorruptCompressedDataException($"The zstd data is corrupted ({zstd.Message}).", zstd),
            EndOfStreamException end => new CorruptCompressedDataException($"The compressed data is truncated ({end.Message}).", end),
            SharpZipBaseException gzip => new CorruptCompressedDataException($"The gzip data is corrupted or truncated ({gzip.Message}).", gzip),
            InvalidDataException invalid => new CorruptCompressedDataException($"The compressed data is corrupted ({invalid.Message}).", invalid),
            _ => null,
        };

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
