using ExportStudio.Core.Compression.Streams;

namespace ExportStudio.Core.Compression.Codecs;

/// <summary>none: the entry's bytes as they are.</summary>
internal sealed class NoCompressionCodec : ICompressionCodec
{
    public CompressionFormat Format => CompressionFormat.None;

    public CodecWriter Open(Stream destination, int? level, CompressionContext context) =>
        new SingleEntryWriter(Format, new CountingWriteStream(destination, context.Counters.AddIn), destination.FlushAsync, abandon: null);
}

/// <summary>zstd: one frame with a content checksum, compressed as the entry is written.</summary>
internal sealed class ZstdCodec : ICompressionCodec
{
    public CompressionFormat Format => CompressionFormat.Zstd;

    public CodecWriter Open(Stream destination, int? level, CompressionContext context)
    {
        var frame = ZstdFrame.Open(destination, level!.Value, context.ZstdWorkers);
        return new SingleEntryWriter(Format, new CountingWriteStream(frame.Content, context.Counters.AddIn), async cancellationToken =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            await frame.CompleteAsync(cancellationToken);
            await destination.FlushAsync(cancellationToken);
        }, frame.DisposeAsync);
    }
}

/// <summary>A format that holds exactly one file: the one entry's content stream, and how to complete or abandon it.</summary>
internal sealed class SingleEntryWriter(
    CompressionFormat format, Stream content, Func<CancellationToken, Task> complete, Func<ValueTask>? abandon) : CodecWriter
{
    private bool _opened;

    public override ValueTask<Stream> OpenEntryAsync(string name, CancellationToken cancellationToken)
    {
        if (_opened)
        {
            throw new ArgumentException($"{format.GetWireName()} holds exactly one file; several formats need tar, tar.gz or tar.zst.", nameof(name));
        }
        _opened = true;
        return ValueTask.FromResult(content);
    }

    public override async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (!_opened)
        {
            throw new InvalidOperationException($"{format.GetWireName()} holds exactly one file, but none was written.");
        }
        await content.FlushAsync(cancellationToken);
        await complete(cancellationToken);
    }

    public override async ValueTask DisposeAsync()
    {
        await content.DisposeAsync();
        if (abandon is not null)
        {
            // A completed frame only frees its context here; an abandoned one drops what it holds.
            await abandon();
        }
    }
}
