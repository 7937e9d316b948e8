using ExportStudio.Core.Compression.Streams;
using ExportStudio.Core.Exporting.Reading;

namespace ExportStudio.Core.Exporting.Writers;

/// <summary>
/// Writes one session as a document of its own, through the format's own writer (header, the session,
/// footer), into a buffer reused for every session: what a per-session archive holds for each session and
/// format. Each document says it holds one session and its message count, so it imports on its own.
/// </summary>
internal sealed class SessionDocumentWriter(ExportDocumentHeader header) : IDisposable
{
    private readonly PooledBufferStream _buffer = new(64 << 10);

    /// <summary>The session's document in <paramref name="format"/>; valid until the next call.</summary>
    public async ValueTask<ReadOnlyMemory<byte>> WriteAsync(ExportFormat format, SessionRecord session, CancellationToken cancellationToken)
    {
        _buffer.Clear();
        // An incremental run's range and deletions travel once, as the archive's increment.json, not in every session.
        var own = header with { SessionCount = 1, MessageCount = header.Options.IncludeMessages ? session.Messages.Count : 0, Increment = null };
        await using (var writer = ExportWriter.Create(format, _buffer, header.Options))
        {
            await writer.WriteHeaderAsync(own, cancellationToken);
            await writer.WriteSessionAsync(session, cancellationToken);
            await writer.WriteFooterAsync(cancellationToken);
        }
        return _buffer.WrittenMemory;
    }

    public void Dispose() => _buffer.Dispose();
}
