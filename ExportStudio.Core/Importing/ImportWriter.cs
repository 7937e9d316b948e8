using System.Diagnostics;
using System.Text;
using ExportStudio.Core.Sessions;
using ExportStudio.Core.Data;
using ExportStudio.Core.Data.Bulk;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace ExportStudio.Core.Importing;

/// <summary>
/// Writes one import's new sessions straight into the real tables, each session marked as pending so that
/// no query sees it; <see cref="RevealAsync"/> then makes them all visible at once (and swaps in the
/// replacements staged aside) in one small transaction, so the import is all or nothing. Chunks share a
/// transaction up to <see cref="TransactionBytes"/> or <see cref="TransactionTime"/>: each commit writes
/// again every page of the id indexes the transaction touched, and random ids touch nearly all of them, so
/// 4 MB commits wrote a log of over 250 MB for 100 MB imported. Another writer waits a chunk at most: a wait for the
/// lock is seen (<see cref="WriteLockHandOver"/>), and the transaction then ends at the chunk's end.
/// </summary>
internal sealed class ImportWriter : IAsyncDisposable
{
    /// <summary>Room kept free on the database's disk: an import that would eat into it stops, leaving space to undo it.</summary>
    private const long DiskReserve = 64L << 20;

    /// <summary>A transaction ends once it holds this much (a log of 134-153 MB for 100 MB imported; one transaction for all of it was no faster).</summary>
    private const long TransactionBytes = 32L << 20;

    /// <summary>A transaction ends after this long even when nobody here waits for the lock (another instance's writers cannot say they wait).</summary>
    private static readonly TimeSpan TransactionTime = TimeSpan.FromSeconds(1);

    /// <summary>How long the lock stays free after a transaction that ended full, for writers of other instances.</summary>
    private static readonly TimeSpan OtherInstancesGap = TimeSpan.FromMilliseconds(5);

    /// <summary>How long a hand-over waits for the waiting writers to take the lock.</summary>
    private static readonly TimeSpan HandOverTime = TimeSpan.FromMilliseconds(250);

    private readonly ExportStudioDbContext _db;
    private readonly SqliteConnection _connection;
    private readonly ImportRun _run;
    private readonly string _databaseDirectory;
    private readonly string _databasePath;
    private Task _writingOut = Task.CompletedTask;
    private SqliteCommand? _held;
    private SqliteParameter? _heldIds;
    private SqliteTransaction? _open;
    private long _openBytes;
    private long _openedAt;

    private ImportWriter(ExportStudioDbContext db, ImportRun run)
    {
        _db = db;
        _run = run;
        _connection = (SqliteConnection)db.Database.GetDbConnection();
        _databasePath = Path.GetFullPath(_connection.DataSource);
        _databaseDirectory = Path.GetDirectoryName(_databasePath)!;
    }

    public static async Task<ImportWriter> OpenAsync(IDbContextFactory<ExportStudioDbContext> contextFactory, ImportRun run, CancellationToken cancellationToken)
    {
        var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken);
        // Inserts land at random places of the id indexes: a larger page cache keeps those pages in memory.
        // With 32 KB pages 8 MB imports 100 MB as fast as 16 or 32 MB (medians of seven alternated runs
        // 1.57 / 1.56 s generated, 1.04 / 1.26 s realistic), with a peak resident memory some 10 MB lower than
        // 16 MB and 20 lower than 32 (with 4 KB pages 8 MB had been 20% slower).
        // Pending rows need no durability (a run lost to a power cut is undone anyway), so their commits do
        // not wait for the disk, and they leave checkpoints to the others; the reveal is durable again.
        // Their foreign keys need no check either: the writer puts every message and tool call right after
        // its parent, which the checks looked up again for every row (5% of a generated import's time); they
        // are on again for the reveal, whose deletions cascade.
        await db.Database.ExecuteSqlRawAsync("PRAGMA cache_size = -8192; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 0; PRAGMA foreign_keys = OFF;", cancellationToken);
        return new ImportWriter(db, run);
    }

    /// <summary>
    /// The versions (<c>UpdatedAt</c>) of those of <paramref name="ids"/> the database holds, pending sessions
    /// of imports still running included. On the writer's own connection, with one prepared statement: a
    /// context and an EF query per chunk took a tenth of the writing thread.
    /// </summary>
    public Dictionary<Guid, DateTime> FindHeld(IReadOnlyList<Guid> ids)
    {
        if (_held is null)
        {
            var sessions = TableMap.For<ChatSession>(_db);
            var (id, updatedAt) = (sessions.Column(nameof(ChatSession.Id)), sessions.Column(nameof(ChatSession.UpdatedAt)));
            _held = _connection.CreateCommand();
            _held.CommandText = $"SELECT {id}, {updatedAt} FROM {sessions.Table} WHERE {id} IN (SELECT value FROM json_each($ids))";
            _heldIds = _held.Parameters.Add("$ids", SqliteType.Text);
        }
        var list = new StringBuilder(ids.Count * (StoredGuid.Length + 3) + 2).Append('[');
        foreach (var sessionId in ids)
        {
            list.Append(list.Length > 1 ? ",\"" : "\"").Append(StoredGuid.Text(sessionId)).Append('"');
        }
        _heldIds!.Value = list.Append(']').ToString();
        _held.Transaction = _open;
        var held = new Dictionary<Guid, DateTime>();
        using var reader = _held.ExecuteReader();
        while (reader.Read())
        {
            held[reader.GetGuid(0)] = DateTime.SpecifyKind(reader.GetDateTime(1), DateTimeKind.Utc);
        }
        return held;
    }

    /// <summary>
    /// Writes the sessions as pending, in the open transaction (or a new one), and commits when the
    /// transaction is large or old enough or another writer waits. A message id the database already holds
    /// throws <see cref="ImportRejectedException"/> naming it.
    /// </summary>
    /// <param name="bytes">About how much the chunk weighs, to keep the disk from filling up.</param>
    public void WriteChunk(IReadOnlyList<(ChatSession Session, string Source)> chunk, long bytes)
    {
        EnsureRoom(bytes);
        if (_open is null)
        {
            _open = _connection.BeginTransaction(deferred: false);
            _openedAt = WriteLockHandOver.Now();
            _openBytes = 0;
        }
        using (var writer = new SessionBulkWriter(_db, _connection, _open))
        {
            foreach (var (session, source) in chunk)
            {
                session.PendingImport = _run.Marker;
                try
                {
                    writer.Add(session);
                }
                catch (SqliteException exception) when (exception.SqliteErrorCode == 19)
                {
                    throw Clash(session, source, exception);
                }
            }
        }
        _openBytes += bytes;
        if (OthersWaiting)
        {
            Commit();
        }
        else if (_openBytes >= TransactionBytes || Stopwatch.GetElapsedTime(_openedAt) >= TransactionTime)
        {
            Commit();
            // Writers of other instances leave no mark here, but wait in the same handler, asking every
            // millisecond: the lock stays free long enough for one of them to take it.
            Thread.Sleep(OtherInstancesGap);
        }
    }

    /// <summary>Whether a transaction of the import is open, holding the write lock.</summary>
    public bool HoldsLock => _open is not null;

    /// <summary>Whether another writer has waited for the lock since the open transaction began.</summary>
    public bool OthersWaiting => _open is not null && WriteLockHandOver.WaitedSince(_openedAt);

    /// <summary>
    /// Commits what the open transaction holds (the import waits for its upload, say), and when other
    /// writers waited for the lock meanwhile, stands aside until they have it.
    /// </summary>
    public void Commit()
    {
        if (_open is null)
        {
            return;
        }
        _open.Commit();
        _open.Dispose();
        _open = null;
        // The chunks' commits skip the disk; the reveal's does not, and would write out the whole log.
        if (_writingOut.IsCompleted)
        {
            _writingOut = WriteAheadLog.WriteOutAsync(_databasePath);
        }
        if (WriteLockHandOver.WaitedSince(_openedAt))
        {
            WriteLockHandOver.HandOver(HandOverTime);
        }
    }

    /// <summary>
    /// The import's end: staged replacements swapped in, pending sessions made visible, the sessions of
    /// <paramref name="deletions"/> deleted (replicate mode), the run closed — in one transaction. Returns the
    /// sessions deleted.
    /// </summary>
    public async Task<int> RevealAsync(StagingDatabase replacements, IReadOnlyCollection<Guid> deletions, CancellationToken cancellationToken)
    {
        Commit();
        replacements.Seal();
        if (replacements.Count > 0)
        {
            replacements.Attach(_connection);
        }
        try
        {
            if (replacements.Count > 0 && replacements.FindMessageClash(_connection) is { } clash)
            {
                throw new ImportRejectedException($"Message id {clash.Message} already belongs to session {clash.Owner} in this database. Nothing was imported.");
            }
            _db.Database.ExecuteSqlRaw("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;");
            using var transaction = _connection.BeginTransaction(deferred: false);
            _db.Database.UseTransaction(transaction);
            // The whole import is one change: every session it brings takes the same value of the sequence.
            var sequence = await ChangeCounter.TakeAsync(_db, 1, cancellationToken);
            if (replacements.Count > 0)
            {
                replacements.ReplaceInto(_connection, transaction, sequence);
            }
            var marker = _run.Marker;
            var revealed = _db.Sessions.IgnoreQueryFilters().Where(s => s.PendingImport == marker);
            await _db.SessionDeletions.Where(d => revealed.Any(s => s.Id == d.SessionId)).ExecuteDeleteAsync(cancellationToken);
            await revealed.ExecuteUpdateAsync(s => s.SetProperty(x => x.PendingImport, (string?)null).SetProperty(x => x.ChangeSequence, sequence), cancellationToken);
            var deleted = deletions.Count > 0 ? await SessionStore.RemoveAsync(_db, deletions, DateTime.UtcNow, sequence, cancellationToken) : 0;
            await _db.Set<ImportRun>().Where(r => r.Id == _run.Id).ExecuteDeleteAsync(cancellationToken);
            transaction.Commit();
            _db.Database.UseTransaction(null);
            return deleted;
        }
        finally
        {
            if (replacements.Count > 0)
            {
                StagingDatabase.Detach(_connection);
            }
        }
    }

    /// <summary>
    /// The write-ahead log takes each chunk and the database file takes it again at the next checkpoint;
    /// a disk without that room (plus a reserve to undo the import) stops the import before it is full.
    /// </summary>
    private void EnsureRoom(long bytes)
    {
        var free = new DriveInfo(_databaseDirectory).AvailableFreeSpace;
        var needed = 2 * bytes + DiskReserve;
        if (free < needed)
        {
            throw new ImportFailedException(
                $"The database would run out of disk space: its disk ({_databaseDirectory}) has {free / (1 << 20):N0} MB free, and the import needs more to go on. " +
                "Nothing was imported; free some space and import again.");
        }
    }

    private ImportRejectedException Clash(ChatSession session, string source, SqliteException exception)
    {
        var ids = session.Messages.Select(m => m.Id).ToList();
        // The owner may be in this very transaction: the query reads inside it.
        _db.Database.UseTransaction(_open);
        try
        {
            var owner = _db.Messages.AsNoTracking().Where(m => ids.Contains(m.Id)).Select(m => new { m.Id, m.SessionId }).FirstOrDefault();
            return owner is null
                ? new ImportRejectedException($"Session {session.Id} in {source} could not be written ({exception.Message}). Nothing was imported.", exception)
                : new ImportRejectedException($"Message id {owner.Id} in session {session.Id} ({source}) already belongs to session {owner.SessionId} in this database. Nothing was imported.", exception);
        }
        finally
        {
            _db.Database.UseTransaction(null);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            // A failed import's last chunks: undone here, before the run's undo takes the lock.
            _open?.Dispose();
            _open = null;
            // The connection goes back to the pool: give it SQLite's defaults again (its foreign keys are
            // switched on by every open, as its connection string says).
            await _db.Database.ExecuteSqlRawAsync("PRAGMA cache_size = -2000; PRAGMA synchronous = FULL; PRAGMA wal_autocheckpoint = 1000;");
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            // Closing anyway.
        }
        _held?.Dispose();
        await _writingOut;
        await _db.Database.CloseConnectionAsync();
        await _db.DisposeAsync();
    }
}
