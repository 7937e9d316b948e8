namespace ExportStudio.Core.Compression;

/// <summary>none: the entry's bytes as they are.</summary>
internal sealed class NoCompressionCodec : ICompressionCodec
{
    public CompressionFormat Format => CompressionFormat.None;

    public async Task WriteAsync(Stream destination, IReadOnlyList<ExportEntry> entries, int? level, CompressionContext context, CancellationToken cancellationToken)
    {
        var entry = SingleEntry(entries, Format);
        await using var content = new CountingStream(destination, context.Counters.AddIn);
        await entry.WriteContentAsync(content, cancellationToken);
        await content.FlushAsync(cancellationToken);
    }

    internal static ExportEntry SingleEntry(IReadOnlyList<ExportEntry> entries, CompressionFormat format) => entries.Count == 1
        ? entries[0]
        : throw new ArgumentException($"{format.GetWireName()} holds exactly one file, but {entries.Count} were given; several formats need tar, tar.gz or tar.zst.", nameof(entries));
}

/// <summary>zstd: one frame with a content checksum, compressed as the entry is written.</summary>
internal sealed class ZstdCodec : ICompressionCodec
{
    public CompressionFormat Format => CompressionFormat.Zstd;

    public async Task WriteAsync(Stream destination, IReadOnlyList<ExportEntry> entries, int? level, CompressionContext context, CancellationToken cancellationToken)
    {
        var entry = NoCompressionCodec.SingleEntry(entries, Format);
        await using var frame = ZstdFrame.Open(destination, level!.Value, context.Workers);
        await using (var content = new CountingStream(frame.Content, context.Counters.AddIn))
        {
            await entry.WriteContentAsync(content, cancellationToken);
        }
        cancellationToken.ThrowIfCancellationRequested();
        await frame.CompleteAsync(cancellationToken);
        await destination.FlushAsync(cancellationToken);
    }
}
