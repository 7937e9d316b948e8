using Microsoft.EntityFrameworkCore;
using ExportStudio.Core.Data;

namespace ExportStudio.Core.Sessions;

/// <summary>The sessions a filter selects, in export order (oldest first), and how many messages they hold.</summary>
public sealed record SessionSelection(IReadOnlyList<Guid> SessionIds, int MessageCount)
{
    public int SessionCount => SessionIds.Count;

    /// <summary>True when no filter narrowed it: every visible session is selected.</summary>
    public bool Everything { get; init; }

    /// <summary>
    /// Selects on <paramref name="db"/>, inside whatever snapshot its connection holds; with
    /// <paramref name="changedAfter"/>, only the sessions whose change sequence passed it.
    /// </summary>
    public static async Task<SessionSelection> SelectAsync(ExportStudioDbContext db, ExportFilters filters, CancellationToken cancellationToken, long? changedAfter = null)
    {
        var sessions = db.Sessions.AsNoTracking().ApplyFilters(filters);
        if (changedAfter is { } after)
        {
            sessions = sessions.Where(s => s.ChangeSequence > after);
        }
        var ids = await sessions.OrderBy(s => s.CreatedAt).ThenBy(s => s.Id).Select(s => s.Id).ToListAsync(cancellationToken);
        var everything = filters.SelectsEverything && changedAfter is null;
        var messages = ids.Count == 0 ? 0
            : everything ? await CountAllMessagesAsync(db, cancellationToken)
            : await CountMessagesAsync(db, sessions, ids, filters, cancellationToken);
        return new SessionSelection(ids, messages) { Everything = everything };
    }

    /// <summary>
    /// Every visible session's messages: all messages (SQLite counts them on its smallest index) but those of
    /// sessions still being imported, which are hidden from every reader until their import commits.
    /// </summary>
    private static async Task<int> CountAllMessagesAsync(ExportStudioDbContext db, CancellationToken cancellationToken)
    {
        var pending = db.Sessions.IgnoreQueryFilters().Where(s => s.PendingImport != null).Select(s => s.Id);
        return await db.Messages.CountAsync(cancellationToken) - await db.Messages.CountAsync(m => pending.Contains(m.SessionId), cancellationToken);
    }

    /// <summary>
    /// The selection's messages, counted apart from the selection: counted per session in export order
    /// (a correlated count) each session's count was a seek to a random place in the messages' index, the
    /// longest step before an export's first session; counted over the selected ids in key order, the seeks
    /// follow the index.
    /// A text search reads every message, so it runs once: the count then goes by the ids it found.
    /// </summary>
    private static Task<int> CountMessagesAsync(ExportStudioDbContext db, IQueryable<Data.ChatSession> sessions, List<Guid> ids, ExportFilters filters,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(filters.Search))
        {
            var selected = sessions.Select(s => s.Id);
            return db.Messages.CountAsync(m => selected.Contains(m.SessionId), cancellationToken);
        }
        return db.Messages.CountAsync(m => ids.Contains(m.SessionId), cancellationToken);
    }
}
