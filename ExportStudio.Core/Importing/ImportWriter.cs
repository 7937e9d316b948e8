using System.Text;
using ExportStudio.Core.Sessions;
using ExportStudio.Core.Data;
using ExportStudio.Core.Data.Bulk;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace ExportStudio.Core.Importing;

/// <summary>
/// Writes one import's new sessions straight into the real tables, a chunk per short transaction, each
/// session marked as pending so that no query sees it; <see cref="RevealAsync"/> then makes them all
/// visible at once (and swaps in the replacements staged aside) in one small transaction. Other writers
/// therefore wait a chunk at most, and the import is all or nothing.
/// </summary>
internal sealed class ImportWriter : IAsyncDisposable
{
    /// <summary>Room kept free on the database's disk: an import that would eat into it stops, leaving space to undo it.</summary>
    private const long DiskReserve = 64L << 20;

    private readonly ExportStudioDbContext _db;
    private readonly SqliteConnection _connection;
    private readonly ImportRun _run;
    private readonly string _databaseDirectory;
    private SqliteCommand? _held;
    private SqliteParameter? _heldIds;

    private ImportWriter(ExportStudioDbContext db, ImportRun run)
    {
        _db = db;
        _run = run;
        _connection = (SqliteConnection)db.Database.GetDbConnection();
        _databaseDirectory = Path.GetDirectoryName(Path.GetFullPath(_connection.DataSource))!;
    }

    public static async Task<ImportWriter> OpenAsync(IDbContextFactory<ExportStudioDbContext> contextFactory, ImportRun run, CancellationToken cancellationToken)
    {
        var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken);
        // Inserts land at random places of the id indexes: a larger page cache keeps those pages in memory.
        // 16 MB imported 100 MB as fast as 32 MB did, with a peak resident memory 35 MB lower; 8 MB was 20% slower.
        // Pending rows need no durability (a run lost to a power cut is undone anyway), so their commits do
        // not wait for the disk, and they leave checkpoints to the others; the reveal is durable again.
        await db.Database.ExecuteSqlRawAsync("PRAGMA cache_size = -16384; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 0;", cancellationToken);
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
        var held = new Dictionary<Guid, DateTime>();
        using var reader = _held.ExecuteReader();
        while (reader.Read())
        {
            held[reader.GetGuid(0)] = DateTime.SpecifyKind(reader.GetDateTime(1), DateTimeKind.Utc);
        }
        return held;
    }

    /// <summary>
    /// Writes the sessions as pending, in one transaction. A message id the database already holds throws
    /// <see cref="ImportRejectedException"/> naming it.
    /// </summary>
    /// <param name="bytes">About how much the chunk weighs, to keep the disk from filling up.</param>
    public void WriteChunk(IReadOnlyList<(ChatSession Session, string Source)> chunk, long bytes)
    {
        EnsureRoom(bytes);
        using var transaction = _connection.BeginTransaction(deferred: false);
        using (var writer = new SessionBulkWriter(_db, _connection, transaction))
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
        transaction.Commit();
    }

    /// <summary>
    /// The import's end: staged replacements swapped in, pending sessions made visible, the sessions of
    /// <paramref name="deletions"/> deleted (replicate mode), the run closed — in one transaction. Returns the
    /// sessions deleted.
    /// </summary>
    public async Task<int> RevealAsync(StagingDatabase replacements, IReadOnlyCollection<Guid> deletions, CancellationToken cancellationToken)
    {
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
            _db.Database.ExecuteSqlRaw("PRAGMA synchronous = FULL;");
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
        var owner = _db.Messages.AsNoTracking().Where(m => ids.Contains(m.Id)).Select(m => new { m.Id, m.SessionId }).FirstOrDefault();
        return owner is null
            ? new ImportRejectedException($"Session {session.Id} in {source} could not be written ({exception.Message}). Nothing was imported.", exception)
            : new ImportRejectedException($"Message id {owner.Id} in session {session.Id} ({source}) already belongs to session {owner.SessionId} in this database. Nothing was imported.", exception);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            // The connection goes back to the pool: give it SQLite's defaults again.
            await _db.Database.ExecuteSqlRawAsync("PRAGMA cache_size = -2000; PRAGMA synchronous = FULL; PRAGMA wal_autocheckpoint = 1000;");
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            // Closing anyway.
        }
        _held?.Dispose();
        await _db.Database.CloseConnectionAsync();
        await _db.DisposeAsync();
    }
}
