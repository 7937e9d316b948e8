using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using ExportStudio.Core.Data;
using ExportStudio.Core.Sessions;

namespace ExportStudio.Core.Exporting.Reading;

/// <summary>
/// Reads the sessions of one export from one read snapshot, streamed in batches, in the selection's order.
/// Reading rows is the export's slowest step, so batches are loaded on several connections at once, each a
/// batch ahead of the writer; each reader stays at most one batch ahead, so memory stays flat. A record is
/// valid until the next one is requested: its batch's buffers go back to the pool once the batch is written.
/// </summary>
public sealed class ExportSessionReader : IAsyncDisposable
{
    private const int DefaultBatchSize = 500;
    private const int DefaultLocateFirstFrom = 1000;

    /// <summary>Past this many messages with tool calls (some 10 MB of ids) each message is probed for its own.</summary>
    private const int MaxToolCallOwners = 250_000;

    /// <summary>Past this many sessions (some 15 MB of locations) each batch looks its messages up by session.</summary>
    private const int MaxSessionsLocated = 250_000;
    private readonly List<(ExportStudioDbContext Context, IDbContextTransaction Snapshot)> _connections;

    private ExportSessionReader(List<(ExportStudioDbContext, IDbContextTransaction)> connections) => _connections = connections;

    /// <summary>The first connection, inside the snapshot: select on it so the selection and the rows agree.</summary>
    public ExportStudioDbContext Database => _connections[0].Context;

    /// <summary>Opens <paramref name="connections"/> connections, all inside one read snapshot of the same moment.</summary>
    public static async Task<ExportSessionReader> OpenAsync(IDbContextFactory<ExportStudioDbContext> contextFactory, int connections, CancellationToken cancellationToken)
    {
        var contexts = new List<ExportStudioDbContext>();
        try
        {
            for (var i = 0; i < Math.Max(1, connections); i++)
            {
                contexts.Add(await contextFactory.CreateDbContextAsync(cancellationToken));
            }
            List<IDbContextTransaction> snapshots;
            if (contexts.Count == 1)
            {
                snapshots = [await contexts[0].Database.BeginSnapshotAsync(cancellationToken)];
            }
            else
            {
                // Sessions change in place (appends, replacements): snapshots of different moments would let
                // one connection's batches disagree with the selection made on another.
                await using var gate = await contextFactory.CreateDbContextAsync(cancellationToken);
                snapshots = await SnapshotTransactions.BeginSharedSnapshotAsync(contexts, gate, cancellationToken);
            }
            return new ExportSessionReader(contexts.Zip(snapshots).ToList());
        }
        catch
        {
            foreach (var context in contexts)
            {
                await context.DisposeAsync();
            }
            throw;
        }
    }

    /// <param name="locateFirstFrom">
    /// From this many sessions on, where each session's messages are stored and which messages have tool calls
    /// are listed first: each batch then reads its messages by row id and looks up only their tool calls. A
    /// smaller selection looks its messages up by session and probes under each for tool calls instead
    /// (the lists read the selection's entries of the messages' index and every tool call's key in the database).
    /// </param>
    public async IAsyncEnumerable<SessionRecord> ReadAsync(
        SessionSelection selection, ExportOptions options, [EnumeratorCancellation] CancellationToken cancellationToken = default, int batchSize = DefaultBatchSize,
        int locateFirstFrom = DefaultLocateFirstFrom)
    {
        var readers = _connections.Select(c => new SessionBatchReader(c.Context)).ToList();
        if (options.IncludeMessages && selection.SessionIds.Count >= locateFirstFrom)
        {
            try
            {
                // On the first connection, before the readers start: every connection reads the same snapshot.
                var stored = readers[0].ReadMessageRows(selection.SessionIds, MaxSessionsLocated, everySession: selection.Everything);
                var owners = options.IncludeToolCalls ? readers[0].ReadToolCallOwners(MaxToolCallOwners) : null;
                readers.ForEach(reader => (reader.MessageRows, reader.ToolCallOwners) = (stored, owners));
            }
            catch
            {
                readers.ForEach(reader => reader.Dispose());
                throw;
            }
        }
        var batches = selection.SessionIds.Chunk(batchSize).ToList();
        var loaded = batches.Select(_ => new TaskCompletionSource<SessionBatch>(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        // One window per reader: a shared one could fill with one reader's batches while the writer waits for the other's.
        var windows = readers.Select(_ => new SemaphoreSlim(1)).ToArray();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producers = readers.Select((reader, r) => Task.Run(() => ProduceAsync(reader, r, readers.Count, batches, loaded, windows[r], options, stop.Token), CancellationToken.None)).ToArray();
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
            readers.ForEach(reader => reader.Dispose());
        }
    }

    /// <summary>
    /// The headings of the selected sessions in the selection's order, a batch at a time on the first
    /// connection (so from the same snapshot as the sessions); never run it while <see cref="ReadAsync"/> is.
    /// </summary>
    public async IAsyncEnumerable<SessionHeading> ReadHeadingsAsync(SessionSelection selection, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var batch in selection.SessionIds.Chunk(DefaultBatchSize))
        {
            var headings = await Database.Sessions.AsNoTracking().Where(s => batch.Contains(s.Id))
                .Select(s => new SessionHeading(s.Id, s.Title, s.CreatedAt, s.Messages.Count))
                .ToDictionaryAsync(h => h.Id, cancellationToken);
            foreach (var id in batch)
            {
                if (headings.TryGetValue(id, out var heading))
                {
                    yield return heading;
                }
            }
        }
    }

    /// <summary>Reader <paramref name="index"/> of <paramref name="count"/> loads every count-th batch, one ahead of the writer.</summary>
    private static async Task ProduceAsync(SessionBatchReader reader, int index, int count, List<Guid[]> batches,
        TaskCompletionSource<SessionBatch>?[] loaded, SemaphoreSlim window, ExportOptions options, CancellationToken cancellationToken)
    {
        try
        {
            for (var i = index; i < batches.Count; i += count)
            {
                await window.WaitAsync(cancellationToken);
                var batch = reader.Load(batches[i], options);
                if (loaded[i]?.TrySetResult(batch) != true)
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
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (context, snapshot) in _connections)
        {
            await snapshot.DisposeAsync();
            await context.DisposeAsync();
        }
        _connections.Clear();
    }
}
