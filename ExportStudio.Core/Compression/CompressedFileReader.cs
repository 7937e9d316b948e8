using ICSharpCode.SharpZipLib;
using ICSharpCode.SharpZipLib.GZip;
using ZstdSharp;
using ExportStudio.Core.Compression.Streams;

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
    /// A zstd frame that names a dictionary is read with <paramref name="zstdDictionary"/>.
    /// </summary>
    public static Stream OpenContent(Stream stored, long maxDecompressedBytes, byte[]? zstdDictionary = null)
    {
        var (source, head) = PrefixedStream.Peek(stored, DetectBytes);
        Stream content = Detect(head.Span) switch
        {
            StoredFormat.Zstd when zstdDictionary is not null => WithDictionary(source, zstdDictionary),
            StoredFormat.Zstd => new DecompressionStream(source, bufferSize: 1 << 20, checkEndOfStream: true, leaveOpen: false),
            // SharpZipLib's reader, not GZipStream: GZipStream silently accepts a truncated member.
            StoredFormat.Gzip => new GZipInputStream(source) { IsStreamOwner = true },
            _ => source,
        };
        var limited = new CountingReadStream(content, maxDecompressedBytes, limit => new DecompressionLimitExceededException(limit), leaveOpen: false);
        return new DecoderErrorStream(limited);
    }

    private static DecompressionStream WithDictionary(Stream source, byte[] dictionary)
    {
        var decompressor = new Decompressor();
        decompressor.LoadDictionary(dictionary);
        // The stream owns the decompressor (and disposes it) unless told to preserve it.
        return new DecompressionStream(source, decompressor, bufferSize: 1 << 20, checkEndOfStream: true, preserveDecompressor: false, leaveOpen: false);
    }

    /// <summary>
    /// The content of one zstd frame decoded by <paramref name="decompressor"/> (kept, with the dictionary it
    /// holds, for the next frame): limited and with errors translated as <see cref="OpenContent"/> does.
    /// Disposing the result leaves <paramref name="frame"/> open.
    /// </summary>
    internal static Stream OpenZstdFrame(Stream frame, Decompressor decompressor, long maxDecompressedBytes)
    {
        decompressor.ResetStream();
        var content = new DecompressionStream(frame, decompressor, bufferSize: 1 << 16, checkEndOfStream: true, preserveDecompressor: true, leaveOpen: true);
        var limited = new CountingReadStream(content, maxDecompressedBytes, limit => new DecompressionLimitExceededException(limit), leaveOpen: false);
        return new DecoderErrorStream(limited);
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

    /// <summary>Turns each decoder's own errors into the one exception callers handle for damaged data.</summary>
    private sealed class DecoderErrorStream(Stream inner) : ReadOnlyStream
    {
        public override int Read(Span<byte> buffer)
        {
            try
            {
                return inner.Read(buffer);
            }
            catch (Exception exception) when (Translate(exception) is { } translated)
            {
                throw translated;
            }
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            try
            {
                return await inner.ReadAsync(buffer, cancellationToken);
            }
            catch (Exception exception) when (Translate(exception) is { } translated)
            {
                throw translated;
            }
        }

        private static Exception? Translate(Exception exception) => exception switch
        {
            DecompressionLimitExceededException or CorruptCompressedDataException => null,
            ZstdException zstd => new CorruptCompressedDataException($"The zstd data is corrupted ({zstd.Message}).", zstd),
            EndOfStreamException end => new CorruptCompressedDataException($"The compressed data is truncated ({end.Message}).", end),
            SharpZipBaseException gzip => new CorruptCompressedDataException($"The gzip data is corrupted or truncated ({gzip.Message}).", gzip),
            // SharpZipLib's inflater indexes its tables with code lengths read from the data: a damaged block
            // header throws IndexOutOfRangeException from inside it (BuildTree) instead of its own exception.
            IndexOutOfRangeException or ArgumentOutOfRangeException when ThrownBySharpZipLib(exception) =>
                new CorruptCompressedDataException("The gzip data is corrupted (a block's Huffman code lengths are invalid).", exception),
            InvalidDataException invalid => new CorruptCompressedDataException($"The compressed data is corrupted ({invalid.Message}).", invalid),
            _ => null,
        };

        /// <summary>Whether the first frame outside the runtime's throw helpers is SharpZipLib's (never a bug of ours hidden as bad data).</summary>
        private static bool ThrownBySharpZipLib(Exception exception)
        {
            var thrower = new System.Diagnostics.StackTrace(exception).GetFrames()
                .Select(frame => frame.GetMethod()?.DeclaringType?.FullName)
                .FirstOrDefault(type => type is not null && !type.StartsWith("Internal.Runtime.", StringComparison.Ordinal) && !type.StartsWith("System.ThrowHelper", StringComparison.Ordinal));
            return thrower?.StartsWith("ICSharpCode.SharpZipLib.", StringComparison.Ordinal) == true;
        }

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
