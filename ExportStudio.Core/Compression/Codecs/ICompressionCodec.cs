namespace ExportStudio.Core.Compression.Codecs;

/// <summary>One compression format: opens a writer that takes the output's entries one after another.</summary>
internal interface ICompressionCodec
{
    CompressionFormat Format { get; }

    /// <param name="destination">The stored bytes go here; the writer does not dispose it.</param>
    /// <param name="level">Already validated: a level in the format's range, or null for formats without levels.</param>
    CodecWriter Open(Stream destination, int? level, CompressionContext context);
}

/// <summary>
/// Writes one output of a codec: each entry's content goes into the stream <see cref="OpenEntryAsync"/>
/// returns, until the next entry is opened or the output completed. Disposing without completing abandons
/// the output (nothing more is compressed; temporary files go).
/// </summary>
internal abstract class CodecWriter : IAsyncDisposable
{
    public abstract ValueTask<Stream> OpenEntryAsync(string name, CancellationToken cancellationToken);

    public abstract Task CompleteAsync(CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();
}

/// <summary>What every codec needs besides the data: counters to update, the entries' time, threads, temp space.</summary>
internal sealed record CompressionContext(CompressionCounters Counters, DateTime ModifiedUtc, int ZstdWorkers, int GzipWorkers, string TempDirectory);
