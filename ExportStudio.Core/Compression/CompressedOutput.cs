using ExportStudio.Core.Compression.Codecs;
using ExportStudio.Core.Compression.Streams;

namespace ExportStudio.Core.Compression;

/// <summary>
/// One compressed file being written: entries go in one after another (a single one for none and zstd),
/// then <see cref="CompleteAsync"/> finishes the format and reports stats that equal what was written.
/// Disposing it without completing abandons the output: nothing more is compressed and spool files go.
/// </summary>
public sealed class CompressedOutput : IAsyncDisposable
{
    private readonly CountingWriteStream _stored;
    private readonly CompressionCounters _counters;
    private readonly CodecWriter _writer;

    internal CompressedOutput(Stream destination, CompressionCounters counters, Func<Stream, CodecWriter> open)
    {
        _stored = new CountingWriteStream(destination, counters.AddOut, hash: true);
        _counters = counters;
        _writer = open(_stored);
    }

    /// <summary>
    /// The stream that takes the next entry's content; the previous entry ends here. The stream stays owned
    /// by the output: write to it, never dispose it.
    /// </summary>
    /// <exception cref="ArgumentException">A format that holds one file was given a second entry.</exception>
    public ValueTask<Stream> OpenEntryAsync(string name, CancellationToken cancellationToken = default) =>
        _writer.OpenEntryAsync(name, cancellationToken);

    /// <summary>Finishes the format (for tar formats, frames and compresses the spooled entries) and flushes.</summary>
    public async Task<CompressionStats> CompleteAsync(CancellationToken cancellationToken = default)
    {
        await _writer.CompleteAsync(cancellationToken);
        await _stored.FlushAsync(cancellationToken);
        return new CompressionStats(_counters.BytesIn, _stored.BytesWritten, _stored.GetSha256());
    }

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        await _stored.DisposeAsync();
    }
}
