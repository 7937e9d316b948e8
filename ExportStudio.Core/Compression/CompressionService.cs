using System.Diagnostics;

namespace ExportStudio.Core.Compression;

/// <summary>
/// The entry point of the compression engine: validates the level, picks the codec, counts and hashes the
/// stored bytes on their way to the destination, and reports stats that equal what was written.
/// </summary>
public sealed class CompressionService
{
    private readonly Dictionary<CompressionFormat, ICompressionCodec> _codecs =
        new ICompressionCodec[] { new NoCompressionCodec(), new ZstdCodec(), new PlainTarCodec(), new TarGzCodec(), new TarZstCodec() }
            .ToDictionary(c => c.Format);

    private readonly int _workers;
    private readonly string _tempDirectory;

    /// <param name="workers">Compression threads; 0 = one per core.</param>
    /// <param name="tempDirectory">Where tar entries are spooled; the system temp folder by default.</param>
    public CompressionService(int workers = 0, string? tempDirectory = null)
    {
        _workers = workers > 0 ? workers : Environment.ProcessorCount;
        _tempDirectory = tempDirectory ?? Path.GetTempPath();
    }

    /// <summary>
    /// Writes <paramref name="entries"/> to <paramref name="destination"/> in <paramref name="format"/>
    /// (none and zstd take exactly one entry). The destination is not disposed.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The level is outside the format's range; the message names the range.</exception>
    public async Task<CompressionStats> CompressAsync(
        Stream destination,
        CompressionFormat format,
        int? level,
        IReadOnlyList<ExportEntry> entries,
        DateTime modifiedUtc,
        CompressionCounters? counters = null,
        CancellationToken cancellationToken = default)
    {
        var resolvedLevel = CompressionLevels.Resolve(format, level);
        counters ??= new CompressionCounters();
        var stopwatch = Stopwatch.StartNew();

        await using var stored = new CountingStream(destination, counters.AddOut, hash: true);
        var context = new CompressionContext(counters, DateTime.SpecifyKind(modifiedUtc, DateTimeKind.Utc), _workers, _tempDirectory);
        await _codecs[format].WriteAsync(stored, entries, resolvedLevel, context, cancellationToken);
        await stored.FlushAsync(cancellationToken);

        return new CompressionStats(counters.BytesIn, stored.BytesWritten, stored.GetSha256(), stopwatch.Elapsed);
    }
}
