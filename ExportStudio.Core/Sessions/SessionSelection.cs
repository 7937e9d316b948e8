using Microsoft.EntityFrameworkCore;
using ExportStudio.Core.Data;

namespace ExportStudio.Core.Sessions;

/// <summary>The sessions a filter selects, in export order (oldest first), and how many messages they hold.</summary>
public sealed record SessionSelection(IReadOnlyList<Guid> SessionIds, int MessageCount)
{
    public int SessionCount => SessionIds.Count;

    /// <summary>Selects on <paramref name="db"/>, inside whatever snapshot its connection holds.</summary>
    public static async Task<SessionSelection> SelectAsync(ExportStudioDbContext db, ExportFilters filters, CancellationToken cancellationToken)
    {
        var selected = db.Sessions.AsNoTracking().ApplyFilters(filters);
        var ids = await selected.OrderBy(s => s.CreatedAt).ThenBy(s => s.Id).Select(s => s.Id).ToListAsync(cancellationToken);
        var messages = await selected.SelectMany(s => s.Messages).CountAsync(cancellationToken);
        return new SessionSelection(ids, messages);
    }
}
