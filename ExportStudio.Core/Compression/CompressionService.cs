using ExportStudio.Core.Compression.Archives;
using ExportStudio.Core.Compression.Codecs;

namespace ExportStudio.Core.Compression;

/// <summary>
/// The entry point of the compression engine: validates the level, picks the codec, and opens outputs that
/// count and hash the stored bytes on their way to the destination.
/// </summary>
public sealed class CompressionService
{
    private readonly Dictionary<CompressionFormat, ICompressionCodec> _codecs =
        new ICompressionCodec[] { new NoCompressionCodec(), new ZstdCodec(), new PlainTarCodec(), new TarGzCodec(), new TarZstCodec() }
            .ToDictionary(c => c.Format);

    private readonly int _zstdWorkers;
    private readonly int _gzipWorkers;
    private readonly string _tempDirectory;

    /// <param name="zstdWorkers">zstd compression threads; 0 = one per core.</param>
    /// <param name="gzipWorkers">gzip compression threads; 0 = one per core.</param>
    /// <param name="tempDirectory">Where tar entries are spooled; the system temp folder by default.</param>
    public CompressionService(int zstdWorkers = 0, int gzipWorkers = 0, string? tempDirectory = null)
    {
        _zstdWorkers = zstdWorkers > 0 ? zstdWorkers : Environment.ProcessorCount;
        _gzipWorkers = gzipWorkers > 0 ? gzipWorkers : Environment.ProcessorCount;
        _tempDirectory = tempDirectory ?? Path.GetTempPath();
    }

    /// <summary>Where tar entries are spooled while an archive is made.</summary>
    public string TempDirectory => _tempDirectory;

    /// <summary>
    /// Opens an output in <paramref name="format"/> on <paramref name="destination"/> (not disposed): write each
    /// entry into the stream <see cref="CompressedOutput.OpenEntryAsync"/> gives, then complete it.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The level is outside the format's range; the message names the range.</exception>
    public CompressedOutput Open(Stream destination, CompressionFormat format, int? level, DateTime modifiedUtc, CompressionCounters? counters = null)
    {
        var resolvedLevel = CompressionLevels.Resolve(format, level);
        counters ??= new CompressionCounters();
        var context = new CompressionContext(counters, DateTime.SpecifyKind(modifiedUtc, DateTimeKind.Utc), _zstdWorkers, _gzipWorkers, _tempDirectory);
        return new CompressedOutput(destination, counters, stored => _codecs[format].Open(stored, resolvedLevel, context));
    }

    /// <summary>
    /// Opens a per-session archive in <paramref name="format"/> (tar, tar.gz, tar.zst, or zstd: a tar of
    /// zstd frames, compressed with <paramref name="dictionary"/> when given) on <paramref name="destination"/>
    /// (not disposed). <paramref name="formats"/> are the export formats its manifest lists.
    /// </summary>
    /// <exception cref="ArgumentException">The format holds no archive (none), or a dictionary was given for a format without zstd entries.</exception>
    public SessionArchiveOutput OpenSessionArchive(
        Stream destination, CompressionFormat format, int? level, DateTime modifiedUtc, IReadOnlyList<string> formats,
        ZstdDictionary? dictionary = null, CompressionCounters? counters = null)
    {
        if (format == CompressionFormat.None)
        {
            throw new ArgumentException("A per-session archive is a tar: choose tar, tar.gz, tar.zst or zstd.", nameof(format));
        }
        var resolvedLevel = CompressionLevels.Resolve(format, level);
        var context = new CompressionContext(counters ?? new CompressionCounters(), DateTime.SpecifyKind(modifiedUtc, DateTimeKind.Utc), _zstdWorkers, _gzipWorkers, _tempDirectory);
        return new SessionArchiveOutput(destination, format, resolvedLevel, context, formats, dictionary);
    }

    /// <summary>Compresses whole inputs (files, buffers) into one output, each read to its end in turn.</summary>
    public async Task<CompressionStats> CompressAsync(
        Stream destination, CompressionFormat format, int? level, IReadOnlyList<CompressionSource> sources, DateTime modifiedUtc,
        CompressionCounters? counters = null, CancellationToken cancellationToken = default)
    {
        await using var output = Open(destination, format, level, modifiedUtc, counters);
        foreach (var source in sources)
        {
            var entry = await output.OpenEntryAsync(source.Name, cancellationToken);
            await source.Content.CopyToAsync(entry, 1 << 20, cancellationToken);
        }
        return await output.CompleteAsync(cancellationToken);
    }
}

/// <summary>One input of <see cref="CompressionService.CompressAsync"/>: the entry's name and a stream of its content.</summary>
public sealed record CompressionSource(string Name, Stream Content);
