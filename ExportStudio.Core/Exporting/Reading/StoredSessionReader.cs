using Microsoft.EntityFrameworkCore;
using ExportStudio.Core.Data;
using ExportStudio.Core.Exporting.Writers;
using ExportStudio.Core.Sessions;

namespace ExportStudio.Core.Exporting.Reading;

/// <summary>
/// One session as the sessions API returns it: read by the export's own reader and written by its JSON
/// writer, so it is byte for byte the session an export document holds.
/// </summary>
public sealed class StoredSessionReader(IDbContextFactory<ExportStudioDbContext> contextFactory)
{
    /// <summary>Everything about the session in the export document's session shape (UTF-8 JSON), or null when there is none.</summary>
    public async Task<StoredSession?> ReadAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var reader = await ExportSessionReader.OpenAsync(contextFactory, 1, cancellationToken);
        var sequence = await reader.Database.Sessions.Where(s => s.Id == id).Select(s => (long?)s.ChangeSequence).SingleOrDefaultAsync(cancellationToken);
        if (sequence is null)
        {
            return null;
        }
        var everything = new ExportOptions { IncludeMessages = true, IncludeMetadata = true, IncludeToolCalls = true };
        await foreach (var session in reader.ReadAsync(new SessionSelection([id], 0), everything, cancellationToken))
        {
            return new StoredSession(id, sequence.Value, session.UpdatedAt, SessionJson.ToUtf8(session, everything));
        }
        return null;
    }
}

/// <summary>A session as stored: its whole JSON, and the change sequence it is at (an ETag for clients).</summary>
public sealed record StoredSession(Guid Id, long ChangeSequence, DateTime UpdatedAt, byte[] Json);
