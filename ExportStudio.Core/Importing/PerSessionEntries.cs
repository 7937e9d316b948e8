using ExportStudio.Core.Compression;
using ExportStudio.Core.Compression.Archives;
using ExportStudio.Core.Compression.Streams;

namespace ExportStudio.Core.Importing;

/// <summary>
/// What a per-session archive adds to the entries of a tar: its manifest and its dictionary serve the
/// other entries and are not imported; each session's zstd frame is decompressed with that dictionary and
/// then read like any other entry. A frame whose dictionary the archive does not hold is refused, naming it.
/// Decompressed frames count against the same limit as the upload's own decompression.
/// </summary>
internal sealed class PerSessionEntries(long maxBytes, int sniffBytes) : IDisposable
{
    private readonly SessionArchiveReader _archive = new();
    private CountingReadStream? _lastFrame;
    private long _decompressed;

    /// <summary>The entry's content to read as a document, with its first bytes; null content for the manifest and the dictionary.</summary>
    public async Task<(Stream? Content, ReadOnlyMemory<byte> Head)> OpenAsync(string name, Stream content, ReadOnlyMemory<byte> head, CancellationToken cancellationToken)
    {
        ForgetLastFrame();
        try
        {
            switch (SessionArchiveReader.Classify(head.Span))
            {
                case SessionArchiveEntryKind.Manifest:
                    await _archive.ReadManifestAsync(content, cancellationToken);
                    return (null, default);
                case SessionArchiveEntryKind.Dictionary:
                    await _archive.ReadDictionaryAsync(content, cancellationToken);
                    return (null, default);
                case SessionArchiveEntryKind.ZstdFrame:
                    _lastFrame = new CountingReadStream(_archive.OpenFrame(name, content, head.Span, maxBytes - _decompressed), leaveOpen: false);
                    var (frame, frameHead) = await PrefixedStream.PeekAsync(_lastFrame, sniffBytes, cancellationToken);
                    return (frame, frameHead);
                default:
                    return (content, head);
            }
        }
        catch (Exception exception) when (exception is MissingDictionaryException or InvalidDataException)
        {
            throw new ImportRejectedException($"{exception.Message} Nothing was imported.");
        }
    }

    private void ForgetLastFrame()
    {
        if (_lastFrame is not null)
        {
            _decompressed += _lastFrame.BytesRead;
            _lastFrame.Dispose();
            _lastFrame = null;
        }
    }

    public void Dispose()
    {
        ForgetLastFrame();
        _archive.Dispose();
    }
}
