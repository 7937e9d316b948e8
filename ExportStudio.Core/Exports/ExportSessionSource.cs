using System.Runtime.CompilerServices;
using ExportStudio.Core.Formats;
using ExportStudio.Core.Sessions;
using Microsoft.EntityFrameworkCore;

namespace ExportStudio.Core.Exports;

/// <summary>The sessions an export selects, and reading them streamed from the database in a stable order.</summary>
public static class ExportSessionSource
{
    private const int DefaultBatchSize = 500;

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
    /// Streams the selected sessions in batches, in the selection's order. Reader tasks keep batches ready
    /// ahead of the writer — one per context given: with a <paramref name="secondary"/> context (its own
    /// connection and snapshot) two batches are read at once (measured on 1 GB: 75 → 83 MB/s from cold,
    /// 120 MB/s warm, before records kept UTF-8), since reading rows is the export's slowest step. Each
    /// reader stays at most one batch ahead, so memory stays flat. A record is valid until the next one is
    /// requested: its batch's buffers go back to the pool once the batch has been written.
    /// </summary>
    public static async IAsyncEnumerable<SessionRecord> ReadAsync(
        ExportStudioDbContext db, ExportSelection selection, ExportOptions options, ExportStudioDbContext? secondary = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default, int batchSize = DefaultBatchSize)
    {
        var readers = new List<SessionBatchReader> { new(db) };
        if (secondary is not null)
        {
            readers.Add(new SessionBatchReader(secondary));
        }
        var batches = selection.SessionIds.Chunk(batchSize).ToList();
        var loaded = batches.Select(_ => new TaskCompletionSource<SessionBatch>(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        // One window per reader: a shared one could fill with one reader's batches while the writer waits for the other's.
        var windows = readers.Select(_ => new SemaphoreSlim(1)).ToArray();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producers = readers.Select((reader, r) => Task.Run(async () =>
        {
            try
            {
                for (var i = r; i < batches.Count; i += readers.Count)
                {
                    await windows[r].WaitAsync(stop.Token);
                    var batch = reader.Load(batches[i], options);
                    if (!loaded[i].TrySetResult(batch))
                    {
                        batch.Dispose();
                    }
                }
            }
            catch (Exception exception)
            {
                foreach (var batch in loaded)
                {
                    batch?.TrySetException(exception);
                }
            }
        }, CancellationToken.None)).ToArray();

        try
        {
            for (var i = 0; i < batches.Count; i++)
            {
                using var batch = await loaded[i].Task.WaitAsync(cancellationToken);
                loaded[i] = null!; // written batches must not stay reachable: memory stays flat
                windows[i % readers.Count].Release();
                foreach (var session in batch.Sessions)
                {
                    yield return session;
                }
            }
        }
        finally
        {
            // Never leave a read running on a connection when the consumer stops early.
            await stop.CancelAsync();
            await Task.WhenAll(producers);
            foreach (var pending in loaded)
            {
                if (pending is { Task.IsCompletedSuccessfully: true })
                {
                    pending.Task.Result.Dispose();
                }
            }
            foreach (var window in windows)
            {
                window.Dispose();
            }
            foreach (var reader in readers)
            {
                reader.Dispose();
            }
        }
    }
}

public sealed record ExportSelection(IReadOnlyList<Guid> SessionIds, int MessageCount)
{
    public int SessionCount => SessionIds.Count;
}
