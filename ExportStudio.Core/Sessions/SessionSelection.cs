using Microsoft.EntityFrameworkCore;
using ExportStudio.Core.Data;

namespace ExportStudio.Core.Sessions;

/// <summary>The sessions a filter selects, in export order (oldest first), and how many messages they hold.</summary>
public sealed record SessionSelection(IReadOnlyList<Guid> SessionIds, int MessageCount)
{
    public int SessionCount => SessionIds.Count;

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
        // One pass over the filter (a text search reads every message), counting each selected session's
        // messages by its index as it goes.
        var selected = await sessions
            .OrderBy(s => s.CreatedAt).ThenBy(s => s.Id)
            .Select(s => new { s.Id, Messages = s.Messages.Count })
            .ToListAsync(cancellationToken);
        return new SessionSelection(selected.ConvertAll(s => s.Id), selected.Sum(s => s.Messages));
    }
}
