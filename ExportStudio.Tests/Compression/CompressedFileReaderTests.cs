
namespace ExportStudio.Tests.Compression;

/// <summary>Reading back: format detection, checksums, truncation, corruption and decompression bombs.</summary>
public sealed class CompressedFileReaderTests
{
    private static readonly DateTime ExportTime = new(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc);
    private readonly CompressionService _service = new(zstdWorkers: 2, gzipWorkers: 2);

    private async Task<byte[]> CompressAsync(CompressionFormat format, byte[] content)
    {
        using var output = new MemoryStream();
        await _service.CompressAsync(output, format, null, [new CompressionSource("e.json", new MemoryStream(content, writable: false))], ExportTime);
        return output.ToArray();
    }

    [Theory]
    [InlineData(CompressionFormat.Zstd, StoredFormat.Zstd)]
    [InlineData(CompressionFormat.TarZst, StoredFormat.Zstd)]
    [InlineData(CompressionFormat.TarGz, StoredFormat.Gzip)]
    [InlineData(CompressionFormat.Tar, StoredFormat.Tar)]
    [InlineData(CompressionFormat.None, StoredFormat.Plain)]
    public async Task Formats_are_detected_by_their_magic_bytes(CompressionFormat format, StoredFormat expected)
    {
        var bytes = await CompressAsync(format, SampleData.Text(10_000));

        Assert.Equal(expected, CompressedFileReader.Detect(bytes));
    }

    [Theory]
    [InlineData(CompressionFormat.Zstd)]
    [InlineData(CompressionFormat.TarGz)]
    [InlineData(CompressionFormat.TarZst)]
    public async Task A_flipped_byte_fails_cleanly_as_corrupt_data(CompressionFormat format)
    {
        var bytes = await CompressAsync(format, SampleData.MixedSessions(3 << 20));
        bytes[bytes.Length / 2] ^= 0x20;

        await Assert.ThrowsAsync<CorruptCompressedDataException>(() => CompressedFileReader.VerifyAsync(new MemoryStream(bytes)));
    }

    /// <summary>
    /// Every single-byte flip of a small file, one at a time: each is refused as corrupt, or changes nothing
    /// the reader returns (a gzip member's time stamp, a zstd window larger than needed). Only the magic
    /// bytes are left out: without them the file is plain by definition and comes back as it is.
    /// </summary>
    [Theory]
    [InlineData(CompressionFormat.Zstd, 4)]
    [InlineData(CompressionFormat.TarGz, 2)]
    [InlineData(CompressionFormat.TarZst, 4)]
    public async Task No_flipped_byte_anywhere_gives_different_content_or_another_error(CompressionFormat format, int magicBytes)
    {
        var stored = await CompressAsync(format, SampleData.MixedSessions(16 << 10));
        var original = await ReadContentAsync(stored);
        var wrong = new List<string>();

        for (var position = magicBytes; position < stored.Length; position++)
        {
            var damaged = (byte[])stored.Clone();
            damaged[position] ^= 0x20;
            try
            {
                if (!(await ReadContentAsync(damaged)).AsSpan().SequenceEqual(original))
                {
                    wrong.Add($"{position}: different content");
                }
            }
            catch (CorruptCompressedDataException)
            {
            }
            catch (Exception exception)
            {
                wrong.Add($"{position}: {exception.GetType().Name}");
            }
        }

        Assert.Empty(wrong);
    }

    private static async Task<byte[]> ReadContentAsync(byte[] stored)
    {
        await using var content = CompressedFileReader.OpenContent(new MemoryStream(stored), long.MaxValue);
        using var copy = new MemoryStream();
        await content.CopyToAsync(copy);
        return copy.ToArray();
    }

    [Theory]
    [InlineData(CompressionFormat.Zstd, 1)]
    [InlineData(CompressionFormat.Zstd, 5000)]
    [InlineData(CompressionFormat.TarGz, 4)]
    [InlineData(CompressionFormat.TarGz, 5000)]
    [InlineData(CompressionFormat.TarZst, 5000)]
    public async Task A_truncated_file_fails_cleanly_as_corrupt_data(CompressionFormat format, int cut)
    {
        var bytes = await CompressAsync(format, SampleData.MixedSessions(1 << 20));

        await Assert.ThrowsAsync<CorruptCompressedDataException>(() => CompressedFileReader.VerifyAsync(new MemoryStream(bytes[..^cut])));
    }

    [Theory]
    [InlineData(CompressionFormat.Zstd)]
    [InlineData(CompressionFormat.TarGz)]
    public async Task A_decompression_bomb_stops_at_the_limit(CompressionFormat format)
    {
        var bomb = await CompressAsync(format, new byte[20 << 20]);
        Assert.True(bomb.Length < 100_000);

        var exception = await Assert.ThrowsAsync<DecompressionLimitExceededException>(() => CompressedFileReader.VerifyAsync(new MemoryStream(bomb), maxDecompressedBytes: 1 << 20));

        Assert.Equal(1 << 20, exception.Limit);
        Assert.Contains("1,048,576 bytes", exception.Message);
    }

    [Fact]
    public async Task Multi_member_gzip_and_multi_frame_zstd_read_as_one_stream()
    {
        var first = SampleData.Text(5 << 20);
        var gzip = await CompressAsync(CompressionFormat.TarGz, first);
        var zstd = await CompressAsync(CompressionFormat.Zstd, first);

        // The parallel gzip writes 2 MiB members; two zstd frames back to back are one valid stream too.
        Assert.True(await CompressedFileReader.VerifyAsync(new MemoryStream(gzip)) > first.Length);
        Assert.Equal(2L * first.Length, await CompressedFileReader.VerifyAsync(new MemoryStream([.. zstd, .. zstd])));
    }

    [Fact]
    public async Task A_malformed_tar_is_refused_cleanly()
    {
        var tar = await CompressAsync(CompressionFormat.Tar, SampleData.Text(100_000));
        var truncated = tar[..2000];

        await Assert.ThrowsAsync<CorruptCompressedDataException>(async () =>
        {
            await foreach (var entry in TarEntryReader.ReadEntriesAsync(new MemoryStream(truncated)))
            {
                await entry.Content.CopyToAsync(Stream.Null);
            }
        });
    }
}
