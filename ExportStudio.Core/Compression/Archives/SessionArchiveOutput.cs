using System.Security.Cryptography;
using ExportStudio.Core.Compression.Codecs;
using ExportStudio.Core.Compression.Streams;
using ZstdSharp;
using ZstdSharp.Unsafe;

namespace ExportStudio.Core.Compression.Archives;

/// <summary>One session's document as the archive lists it; <paramref name="Path"/> is its entry name.</summary>
public readonly record struct SessionDocument(Guid SessionId, string Title, string Format, string Path);

/// <summary>
/// A per-session archive being written: <c>manifest.json</c> first (where every entry is), then
/// <c>dictionary.zdict</c> when there is one, then one entry per session and format. For zstd each entry is
/// a frame of its own (with the dictionary, whose id every frame names) in a plain tar, so any one opens
/// alone; for tar, tar.gz and tar.zst the entries are plain and the whole tar is compressed.
/// Entries are framed in memory (a session's document is small) and appended to one spool file; the
/// manifest can only be written once every offset is known, so completing writes it, then copies the
/// spool behind it through the compression layer. Memory holds one document, its frame and a compact
/// line per entry.
/// </summary>
public sealed class SessionArchiveOutput : IAsyncDisposable
{
    private const int CopyBufferSize = 1 << 20;
    private static readonly byte[] Zeros = new byte[TarBlocks.RecordSize];

    private readonly CountingWriteStream _stored;
    private readonly CompressionFormat _format;
    private readonly int? _level;
    private readonly CompressionContext _context;
    private readonly IReadOnlyList<string> _formats;
    private readonly FileStream _spool;
    private readonly Compressor? _frames;
    private readonly List<PendingEntry> _entries = [];
    private readonly List<SessionArchiveFile> _files = [];
    private readonly byte[] _header = new byte[TarBlocks.BlockSize];
    private readonly SessionArchiveDictionary? _dictionary;
    private byte[] _frameBuffer = [];
    private long _spoolLength;
    private long _framedBytes;
    private long _frameBytes;
    private int _sessions;
    private Guid _lastSession;

    internal SessionArchiveOutput(Stream destination, CompressionFormat format, int? level, CompressionContext context, IReadOnlyList<string> formats, ZstdDictionary? dictionary)
    {
        _stored = new CountingWriteStream(destination, context.Counters.AddOut, hash: true);
        (_format, _level, _context, _formats) = (format, level, context, formats);
        _spool = SpoolFiles.Create(context.TempDirectory);
        if (format == CompressionFormat.Zstd)
        {
            _frames = new Compressor(level!.Value);
            _frames.SetParameter(ZSTD_cParameter.ZSTD_c_checksumFlag, 1);
            if (dictionary is not null)
            {
                _frames.LoadDictionary(dictionary.Content);
                _dictionary = dictionary.Describe(TarBlocks.BlockSize);
                AppendEntry(ZstdDictionary.EntryName, dictionary.Content);
            }
        }
        else if (dictionary is not null)
        {
            throw new ArgumentException("A dictionary is for per-session zstd archives only.", nameof(dictionary));
        }
    }

    /// <summary>True when each entry is a zstd frame of its own (its name then ends in .zst).</summary>
    public bool ZstdEntries => _frames is not null;

    /// <summary>
    /// Original bytes over frame bytes of the session entries so far (null without zstd entries): what the
    /// dictionary achieved on this run, tar and manifest aside, so runs compare with each other.
    /// </summary>
    public double? FrameRatio => _frames is null || _frameBytes == 0 ? null : (double)_framedBytes / _frameBytes;

    /// <summary>
    /// Adds a plain file that is not a session (an incremental run's <c>increment.json</c>): listed under the
    /// manifest's <c>files</c>, and only before the first session, so readers meet it before the sessions.
    /// </summary>
    public void AddFile(string name, ReadOnlySpan<byte> content)
    {
        if (_entries.Count > 0)
        {
            throw new InvalidOperationException("Files go before the sessions of a per-session archive.");
        }
        var offset = _spoolLength + TarBlocks.BlockSize;
        AppendEntry(name, content);
        _files.Add(new SessionArchiveFile(name, offset, content.Length, Convert.ToHexStringLower(SHA256.HashData(content))));
        _context.Counters.AddIn(content.Length);
    }

    /// <summary>Adds one session's document in one format; entries of one session come one after another.</summary>
    public async ValueTask AddAsync(SessionDocument document, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var hash = default(Sha256Bytes);
        SHA256.HashData(content.Span, hash);
        var data = _frames is null ? content : Compress(content.Span);
        if (_frames is not null)
        {
            (_framedBytes, _frameBytes) = (_framedBytes + content.Length, _frameBytes + data.Length);
        }
        var offset = AppendHeader(document.Path, data.Length);
        await _spool.WriteAsync(data, cancellationToken);
        await _spool.WriteAsync(Zeros.AsMemory(0, TarBlocks.Padding(data.Length)), cancellationToken);
        _spoolLength += data.Length + TarBlocks.Padding(data.Length);
        _entries.Add(new PendingEntry(document.SessionId, document.Title, document.Format, document.Path, offset, data.Length, content.Length, hash));
        if (_sessions == 0 || document.SessionId != _lastSession)
        {
            _sessions++;
            _lastSession = document.SessionId;
        }
        _context.Counters.AddIn(content.Length);
    }

    /// <summary>Writes the manifest, then the entries behind it, through the compression layer; the stats equal what was written.</summary>
    public async Task<CompressionStats> CompleteAsync(CancellationToken cancellationToken = default)
    {
        var header = new ManifestHeader(_context.ModifiedUtc, _format, _level, _formats, _sessions, ZstdEntries, _dictionary, _files);
        var (manifestLength, baseOffset) = await ManifestJsonWriter.MeasureAsync(header, _entries, cancellationToken);
        await _spool.FlushAsync(cancellationToken);
        _context.Counters.StartCompressing(baseOffset + _spoolLength);
        var (compressor, complete, owner) = OuterCodec().OpenCompressor(_stored, _level, _context);
        await using (owner)
        {
            TarBlocks.WriteHeader(_header, SessionArchiveManifest.EntryName, manifestLength, _context.ModifiedUtc);
            await compressor.WriteAsync(_header, cancellationToken);
            await ManifestJsonWriter.WriteAsync(compressor, header, _entries, baseOffset, cancellationToken);
            await compressor.WriteAsync(Zeros.AsMemory(0, TarBlocks.Padding(manifestLength)), cancellationToken);
            _context.Counters.AddCompressedInput(baseOffset);
            await CopySpoolAsync(compressor, cancellationToken);
            await compressor.WriteAsync(Zeros.AsMemory(0, TarBlocks.EndLength(baseOffset + _spoolLength)), cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            await complete(cancellationToken);
        }
        await _stored.FlushAsync(cancellationToken);
        return new CompressionStats(_context.Counters.BytesIn, _stored.BytesWritten, _stored.GetSha256());
    }

    private ReadOnlyMemory<byte> Compress(ReadOnlySpan<byte> content)
    {
        var bound = Compressor.GetCompressBound(content.Length);
        if (_frameBuffer.Length < bound)
        {
            _frameBuffer = new byte[Math.Max(bound, 2 * _frameBuffer.Length)];
        }
        return _frameBuffer.AsMemory(0, _frames!.Wrap(content, _frameBuffer));
    }

    /// <summary>Writes a tar header to the spool; returns where the entry's data starts in it.</summary>
    private long AppendHeader(string name, long size)
    {
        TarBlocks.WriteHeader(_header, name, size, _context.ModifiedUtc);
        _spool.Write(_header);
        _spoolLength += TarBlocks.BlockSize;
        return _spoolLength;
    }

    private void AppendEntry(string name, ReadOnlySpan<byte> content)
    {
        AppendHeader(name, content.Length);
        _spool.Write(content);
        _spool.Write(Zeros.AsSpan(0, TarBlocks.Padding(content.Length)));
        _spoolLength += content.Length + TarBlocks.Padding(content.Length);
    }

    private async Task CopySpoolAsync(Stream compressor, CancellationToken cancellationToken)
    {
        _spool.Position = 0;
        var buffer = LargeBuffers.Pool.Rent(CopyBufferSize);
        try
        {
            int read;
            while ((read = await _spool.ReadAsync(buffer.AsMemory(0, CopyBufferSize), cancellationToken)) > 0)
            {
                await compressor.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                _context.Counters.AddCompressedInput(read);
            }
        }
        finally
        {
            LargeBuffers.Pool.Return(buffer);
        }
    }

    /// <summary>The layer over the whole tar: none for tar and for per-session zstd (its entries are the frames), else gzip or zstd.</summary>
    private TarCodec OuterCodec() => _format switch
    {
        CompressionFormat.TarGz => new TarGzCodec(),
        CompressionFormat.TarZst => new TarZstCodec(),
        _ => new PlainTarCodec(),
    };

    public async ValueTask DisposeAsync()
    {
        _frames?.Dispose();
        await _spool.DisposeAsync();
        await _stored.DisposeAsync();
    }
}
