namespace ExportStudio.Core.Compression;

/// <summary>Compressed data that is truncated, corrupted or fails its checksum.</summary>
public sealed class CorruptCompressedDataException(string message, Exception? inner = null) : IOException(message, inner);

/// <summary>Decompressed data grew past the allowed size (a decompression bomb, or simply too big).</summary>
public sealed class DecompressionLimitExceededException(long limit)
    : IOException($"The content decompresses to more than {limit:N0} bytes, the most allowed.")
{
    public long Limit { get; } = limit;
}
