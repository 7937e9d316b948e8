using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace ExportStudio.Core.Data.Bulk;

/// <summary>
/// A private SQLite file with the product's schema, where an import writes every session it will apply
/// before it touches the real database: parsing, validating and writing rows take as long as the file
/// takes, and none of it holds the real database's write lock. <see cref="ApplyAsync"/> then copies the
/// staged rows across in one short transaction, so an import is all or nothing and other writers only ever
/// wait a moment. SQLite-specific by nature (ATTACH), which is why it lives here, with the provider.
/// </summary>
public sealed class StagingDatabase : IAsyncDisposable
{
    private readonly string _path;
    private readonly SqliteConnection _connection;
    private readonly ExportStudioDbContext _model;
    private SqliteTransaction? _transaction;
    private SessionBulkWriter? _writer;
    private int _arrived;

    private StagingDatabase(string path, SqliteConnection connection, ExportStudioDbContext model)
    {
        _path = path;
        _connection = connection;
        _model = model;
    }

    public static async Task<StagingDatabase> CreateAsync(string path, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, ForeignKeys = true }.ToString());
        await connection.OpenAsync(cancellationToken);
        var model = new ExportStudioDbContext(new DbContextOptionsBuilder<ExportStudioDbContext>().UseSqlite(connection).Options);
        try
        {
            await model.Database.EnsureCreatedAsync(cancellationToken);
            // A scratch file: nothing to recover after a crash, so no journal and no fsync.
            await model.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; CREATE TABLE Replaced (Id TEXT PRIMARY KEY) WITHOUT ROWID;", cancellationToken);
            var staging = new StagingDatabase(path, connection, model);
            staging.BeginWriting();
            return staging;
        }
        catch
        {
            await model.DisposeAsync();
            await connection.DisposeAsync();
            File.Delete(path);
            throw;
        }
    }

    /// <summary>Stages a whole session; a primary key seen before (a repeated message id) throws <see cref="SqliteException"/>.</summary>
    public void Add(ChatSession session) => _writer!.Add(session);

    /// <summary>Marks a staged session as the newer version of one the database holds: the old one is replaced when applied.</summary>
    public void MarkReplacement(Guid sessionId)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = "INSERT OR IGNORE INTO Replaced (Id) VALUES ($id)";
        command.Parameters.AddWithValue("$id", sessionId.ToString().ToUpperInvariant());
        command.ExecuteNonQuery();
    }

    /// <summary>True when a message id is already staged (to name a repeated id in a message).</summary>
    public bool HasMessage(Guid messageId)
    {
        var messages = TableMap.For<ChatMessage>(_model);
        using var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = $"SELECT 1 FROM {messages.Table} WHERE {messages.ColumnOf(nameof(ChatMessage.Id))} = $id";
        command.Parameters.AddWithValue("$id", messageId.ToString().ToUpperInvariant());
        return command.ExecuteScalar() is not null;
    }

    /// <summary>
    /// Copies the staged sessions into <paramref name="target"/> in one transaction: sessions that exist
    /// there by now are left out (and counted), replaced ones go first. Refuses, before taking the write
    /// lock, a staged message whose id another session of the target already holds.
    /// </summary>
    public async Task<StagingApplied> ApplyAsync(ExportStudioDbContext target, CancellationToken cancellationToken)
    {
        _transaction?.Commit();
        _transaction = null;
        _writer?.Dispose();
        _writer = null;

        var connection = (SqliteConnection)target.Database.GetDbConnection();
        EnsureRoomFor(connection.DataSource);
        await target.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            Execute(connection, "ATTACH DATABASE $path AS staging", ("$path", _path));
            var tables = new Tables(_model);
            LeaveOutArrived(connection, tables);
            var clash = FindMessageClash(connection, tables);
            if (clash is { } found)
            {
                throw new StagedIdConflictException(found.Message, found.Session);
            }
            using var transaction = connection.BeginTransaction(deferred: false);
            var replaced = Execute(connection, $"DELETE FROM main.{tables.Sessions.Table} WHERE {tables.SessionId} IN (SELECT Id FROM staging.Replaced)");
            LeaveOutArrived(connection, tables); // again: one may have come while checking
            var arrived = _arrived;
            var inserted = Copy(connection, tables.Sessions);
            Copy(connection, tables.Messages);
            Copy(connection, tables.ToolCalls);
            transaction.Commit();
            return new StagingApplied(inserted, replaced, arrived);
        }
        finally
        {
            Execute(connection, "DETACH DATABASE staging");
            await target.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// The copy lands in the write-ahead log first and then in the database file: about twice the staged
    /// size. A disk without that room is refused before anything is written, since a log that filled the
    /// disk could not even be checkpointed away again until space is freed.
    /// </summary>
    private void EnsureRoomFor(string databasePath)
    {
        var needed = 2 * new FileInfo(_path).Length + (16L << 20);
        var directory = Path.GetDirectoryName(Path.GetFullPath(databasePath))!;
        var free = new DriveInfo(directory).AvailableFreeSpace;
        if (free < needed)
        {
            throw new InsufficientDiskSpaceException(directory, needed, free);
        }
    }

    /// <summary>Staged sessions the target holds by now (another import or a chat app wrote them meanwhile), not being replaced, stay out.</summary>
    private int LeaveOutArrived(SqliteConnection connection, Tables tables)
    {
        var count = Execute(connection, $"DELETE FROM staging.{tables.Sessions.Table} WHERE {tables.SessionId} IN (SELECT {tables.SessionId} FROM main.{tables.Sessions.Table}) " +
                                        $"AND {tables.SessionId} NOT IN (SELECT Id FROM staging.Replaced)");
        _arrived += count;
        return count;
    }

    private static (Guid Message, Guid Session)? FindMessageClash(SqliteConnection connection, Tables tables)
    {
        var id = tables.Messages.Column(nameof(ChatMessage.Id));
        var session = tables.Messages.Column(nameof(ChatMessage.SessionId));
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT s.{id}, m.{session} FROM staging.{tables.Messages.Table} s JOIN main.{tables.Messages.Table} m ON m.{id} = s.{id} " +
                              $"WHERE m.{session} NOT IN (SELECT Id FROM staging.Replaced) LIMIT 1";
        using var reader = command.ExecuteReader();
        return reader.Read() ? (Guid.Parse(reader.GetString(0)), Guid.Parse(reader.GetString(1))) : null;
    }

    private static int Copy(SqliteConnection connection, TableMap table) =>
        Execute(connection, $"INSERT INTO main.{table.Table} ({table.ColumnList}) SELECT {table.ColumnList} FROM staging.{table.Table}");

    private static int Execute(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        return command.ExecuteNonQuery();
    }

    private void BeginWriting()
    {
        _transaction = _connection.BeginTransaction();
        _writer = new SessionBulkWriter(_model, _connection, _transaction);
    }

    public async ValueTask DisposeAsync()
    {
        _writer?.Dispose();
        _transaction?.Dispose();
        await _model.DisposeAsync();
        await _connection.DisposeAsync();
        File.Delete(_path);
    }

    private sealed class Tables(ExportStudioDbContext model)
    {
        public TableMap Sessions { get; } = TableMap.For<ChatSession>(model);
        public TableMap Messages { get; } = TableMap.For<ChatMessage>(model);
        public TableMap ToolCalls { get; } = TableMap.For<ToolCall>(model);
        public string SessionId => Sessions.Column(nameof(ChatSession.Id));
    }
}

/// <summary>What applying a staging database did: sessions inserted, old versions replaced, and sessions left out because they had arrived meanwhile.</summary>
public sealed record StagingApplied(int Inserted, int Replaced, int ArrivedMeanwhile);

/// <summary>A staged message id already belongs to another session of the database.</summary>
public sealed class StagedIdConflictException(Guid messageId, Guid owner)
    : Exception($"Message id {messageId} already belongs to session {owner} in this database.")
{
    public Guid MessageId { get; } = messageId;
    public Guid Owner { get; } = owner;
}

/// <summary>The database's disk has less room than writing the staged sessions needs; nothing was written.</summary>
public sealed class InsufficientDiskSpaceException(string directory, long needed, long free)
    : IOException($"The database's disk ({directory}) has {free / (1 << 20):N0} MB free, and this import needs about {needed / (1 << 20):N0} MB there.")
{
    public long Needed { get; } = needed;
    public long Free { get; } = free;
}
