using ExportStudio.Core.Compression.Streams;
using ZstdSharp;
using ZstdSharp.Unsafe;

namespace ExportStudio.Core.Compression.Codecs;

/// <summary>
/// One zstd frame as the product makes it: content checksum always, zstd's own worker threads when there
/// are cores to use, input gathered into 1 MiB chunks (fewer, larger compressor calls are much faster),
/// and flushes from content writers ignored (a zstd flush ends the block early, costing speed and ratio).
/// </summary>
internal sealed class ZstdFrame : IAsyncDisposable
{
    public const int ChunkSize = 1 << 20;

    private readonly Compressor _compressor;
    private readonly CompressionStream _stream;
    private readonly GatheringStream _content;
    private bool _completed;

    private ZstdFrame(Stream destination, int level, int workers)
    {
        _compressor = new Compressor(level);
        _compressor.SetParameter(ZSTD_cParameter.ZSTD_c_checksumFlag, 1);
        if (workers > 1)
        {
            // zstd's own workers nearly double the speed on two cores for the same output.
            _compressor.SetParameter(ZSTD_cParameter.ZSTD_c_nbWorkers, workers);
            var (jobSize, overlapLog) = JobsFor(level);
            _compressor.SetParameter(ZSTD_cParameter.ZSTD_c_jobSize, jobSize);
            if (overlapLog is { } overlap)
            {
                _compressor.SetParameter(ZSTD_cParameter.ZSTD_c_overlapLog, overlap);
            }
        }
        _stream = new CompressionStream(destination, _compressor, ChunkSize, preserveCompressor: true, leaveOpen: true);
        _content = new GatheringStream(_stream, ChunkSize);
    }

    /// <summary>
    /// How multi-threaded zstd splits the input. Each job sees only its own data and the overlap it reloads
    /// from the job before; real chat text repeats material (a pasted file, a doc page) hundreds of KB to a
    /// few MB apart, so jobs and overlaps must reach that far to compress as well as the zstd tool does,
    /// while zstd's own default jobs (four windows) would cost memory. Measured per level (figures in
    /// docs/benchmarks.md): fast levels take two windows per job and reload a quarter window, middle
    /// levels a window and half a window; the strongest levels keep zstd's own overlap, since their
    /// window already spans what repeats.
    /// </summary>
    internal static (int JobSize, int? OverlapLog) JobsFor(int level)
    {
        var parameters = Methods.ZSTD_getCParams(level, 0, 0);
        var window = 1 << (int)parameters.windowLog;
        if (parameters.strategy == ZSTD_strategy.ZSTD_btultra2)
        {
            return (window, null);
        }
        return level < 9 ? (Math.Max(2 * ChunkSize, 2 * window), 7) : (Math.Max(2 * ChunkSize, window), 8);
    }

    /// <summary>Where the uncompressed content goes.</summary>
    public Stream Content => _content;

    public static ZstdFrame Open(Stream destination, int level, int workers) => new(destination, level, workers);

    /// <summary>
    /// Compresses what is left and ends the frame with its checksum. The flush first, with the token: with
    /// workers, input handed over earlier may still be compressing, and a cancel must not wait for all of it.
    /// </summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        await _content.WriteBufferedAsync(cancellationToken);
        await _stream.FlushAsync(cancellationToken);
        await _stream.DisposeAsync();
        _completed = true;
    }

    /// <summary>
    /// Without <see cref="CompleteAsync"/> (a failure or a cancel) the frame is abandoned: the pending input
    /// is dropped rather than compressed, so stopping a level-19 export takes milliseconds, not seconds.
    /// Freeing the context waits for zstd's jobs already running (seconds at level 19), so that
    /// happens in the background while the export reports its cancel at once.
    /// </summary>
    public ValueTask DisposeAsync()
    {
        if (_completed)
        {
            _compressor.Dispose();
            return ValueTask.CompletedTask;
        }
        _content.Discard();
        try
        {
            _compressor.ResetStream();
            _stream.Dispose();
        }
        catch (Exception)
        {
            // Already failing: the original error is the one the caller reports.
        }
        var compressor = _compressor;
        _ = Task.Run(compressor.Dispose);
        return ValueTask.CompletedTask;
    }

    /// <summary>Gathers writes into chunks for the compressor; Flush is ignored, Discard drops the pending chunk.</summary>
    private sealed class GatheringStream(Stream inner, int chunkSize) : WriteOnlyStream
    {
        private byte[] _buffer = LargeBuffers.Pool.Rent(chunkSize);
        private int _filled;

        public override void Write(ReadOnlySpan<byte> source)
        {
            while (!source.IsEmpty)
            {
                var take = Math.Min(source.Length, chunkSize - _filled);
                source[..take].CopyTo(_buffer.AsSpan(_filled));
                _filled += take;
                source = source[take..];
                if (_filled == chunkSize)
                {
                    inner.Write(_buffer, 0, _filled);
                    _filled = 0;
                }
            }
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
        {
            if (_filled == 0 && source.Length >= chunkSize)
            {
                // Whole chunks go straight through (a file copy's 1 MiB reads): no copy into the buffer first.
                var whole = source.Length - source.Length % chunkSize;
                await inner.WriteAsync(source[..whole], cancellationToken);
                source = source[whole..];
            }
            while (!source.IsEmpty)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var take = Math.Min(source.Length, chunkSize - _filled);
                source.Span[..take].CopyTo(_buffer.AsSpan(_filled));
                _filled += take;
                source = source[take..];
                if (_filled == chunkSize)
                {
                    await inner.WriteAsync(_buffer.AsMemory(0, _filled), cancellationToken);
                    _filled = 0;
                }
            }
        }

        public async Task WriteBufferedAsync(CancellationToken cancellationToken)
        {
            if (_filled > 0)
            {
                await inner.WriteAsync(_buffer.AsMemory(0, _filled), cancellationToken);
                _filled = 0;
            }
        }

        public void Discard() => _filled = 0;

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        protected override void Dispose(bool disposing)
        {
            if (disposing && _buffer.Length > 0)
            {
                LargeBuffers.Pool.Return(_buffer);
                _buffer = [];
            }
            base.Dispose(disposing);
        }
    }
}
