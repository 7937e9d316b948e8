using System.Runtime.CompilerServices;
using ExportStudio.Core.Sessions;
using Microsoft.EntityFrameworkCore;

namespace ExportStudio.Core.Exports;

/// <summary>The sessions an export selects, and reading them streamed from the database in a stable order.</summary>
public static class ExportSessionSource
{
    private const int BatchSize = 500;

    public static IQueryable<ChatSession> ApplyFilters(this IQueryable<ChatSession> sessions, ExportFilters filters)
    {
        if (filters.From is { } from)
        {
            sessions = sessions.Where(s => s.CreatedAt >= from);
        }
        if (filters.To is { } to)
        {
            sessions = sessions.Where(s => s.CreatedAt <= to);
        }
        if (filters.SessionIds.Count > 0)
        {
            var ids = filters.SessionIds.ToList();
            sessions = sessions.Where(s => ids.Contains(s.Id));
        }
        if (filters.Models.Count > 0)
        {
            var models = filters.Models.ToList();
            sessions = sessions.Where(s => models.Contains(s.Model));
        }
        if (filters.Tags.Count > 0)
        {
            var tags = filters.Tags.ToList();
            sessions = sessions.Where(s => s.Tags.Any(t => tags.Contains(t)));
        }
        if (!string.IsNullOrWhiteSpace(filters.Search))
        {
            // lower() on both sides: case-insensitive on every provider without provider-specific SQL.
            var search = filters.Search.Trim().ToLower();
            sessions = sessions.Where(s => s.Title.ToLower().Contains(search) || s.Messages.Any(m => m.Content.ToLower().Contains(search)));
        }
        return sessions;
    }

    /// <summary>The selected session ids in export order (oldest first), and how many messages they hold.</summary>
    public static async Task<ExportSelection> SelectAsync(ExportStudioDbContext db, ExportFilters filters, CancellationToken cancellationToken)
    {
        var selected = db.Sessions.AsNoTracking().ApplyFilters(filters);
        var ids = await selected.OrderBy(s => s.CreatedAt).ThenBy(s => s.Id).Select(s => s.Id).ToListAsync(cancellationToken);
        var messages = await selected.SelectMany(s => s.Messages).CountAsync(cancellationToken);
        return new ExportSelection(ids, messages);
    }

    /// <summary>
    /// Streams the selected sessions in batches, untracked: one batch is written while the next is read
    /// (on another thread), and only those two are in memory at a time.
    /// </summary>
    public static async IAsyncEnumerable<ChatSession> ReadAsync(
        ExportStudioDbContext db, ExportSelection selection, ExportOptions options, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var reader = new SessionBatchReader(db);
        var batches = selection.SessionIds.Chunk(BatchSize).ToList();
        var next = batches.Count > 0 ? Task.Run(() => reader.Load(batches[0], options), cancellationToken) : null;
        try
        {
            for (var i = 0; i < batches.Count; i++)
            {
                var current = await next!;
                var following = i + 1;
                next = following < batches.Count ? Task.Run(() => reader.Load(batches[following], options), cancellationToken) : null;
                foreach (var session in current)
                {
                    yield return session;
                }
            }
        }
        finally
        {
            // Never leave a read running on the connection when the consumer stops early.
            if (next is not null)
            {
                await next.ContinueWith(static _ => { }, TaskScheduler.Default);
            }
        }
    }
}

public sealed record ExportSelection(IReadOnlyList<Guid> SessionIds, int MessageCount)
{
    public int SessionCount => SessionIds.Count;
}
