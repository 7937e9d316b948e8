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
    /// Streams the selected sessions in batches, untracked. A reader task keeps up to two batches ready
    /// ahead of the writer (measured: with one batch of look-ahead the export ran at ~1.3 of 2 cores, the
    /// reader and writer waiting on each other), so at most three batches are in memory at a time.
    /// </summary>
    public static async IAsyncEnumerable<ChatSession> ReadAsync(
        ExportStudioDbContext db, ExportSelection selection, ExportOptions options, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var reader = new SessionBatchReader(db);
        var batches = System.Threading.Channels.Channel.CreateBounded<List<ChatSession>>(new System.Threading.Channels.BoundedChannelOptions(2)
        {
            SingleReader = true,
            SingleWriter = true,
        });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(async () =>
        {
            try
            {
                foreach (var ids in selection.SessionIds.Chunk(BatchSize))
                {
                    await batches.Writer.WriteAsync(reader.Load(ids, options), stop.Token);
                }
                batches.Writer.TryComplete();
            }
            catch (Exception exception)
            {
                batches.Writer.TryComplete(exception);
            }
        }, CancellationToken.None);

        try
        {
            await foreach (var batch in batches.Reader.ReadAllAsync(cancellationToken))
            {
                foreach (var session in batch)
                {
                    yield return session;
                }
            }
        }
        finally
        {
            // Never leave a read running on the connection when the consumer stops early.
            await stop.CancelAsync();
            await producer;
        }
    }
}

public sealed record ExportSelection(IReadOnlyList<Guid> SessionIds, int MessageCount)
{
    public int SessionCount => SessionIds.Count;
}
