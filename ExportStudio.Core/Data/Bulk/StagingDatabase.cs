using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace ExportStudio.Core.Data.Bulk;

/// <summary>
/// A private SQLite file with the product's schema, holding sessions that are to replace sessions the
/// database has (newer versions brought by an import). They cannot be written ahead like new sessions,
/// since the old version keeps its ids until the moment it goes; <see cref="ReplaceInto"/> swaps them in
/// inside the import's final transaction. SQLite-specific by nature (ATTACH), which is why it lives here.
/// </summary>
public sealed class StagingDatabase : IAsyncDisposable
{
    private readonly string _path;
    private readonly SqliteConnection _connection;
    private readonly ExportStudioDbContext _model;
    private SqliteTransaction? _transaction;
    private SessionBulkWriter? _writer;

    private StagingDatabase(string path, SqliteConnection connection, ExportStudioDbContext model)
    {
        _path = path;
        _connection = connection;
        _model = model;
    }

    /// <summary>How many sessions are staged.</summary>
    public int Count { get; private set; }

    public static async Task<StagingDatabase> CreateAsync(string path, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, ForeignKeys = true }.ToString());
        await connection.OpenAsync(cancellationToken);
        var model = new ExportStudioDbContext(new DbContextOptionsBuilder<ExportStudioDbContext>().UseSqlite(connection).Options);
        try
        {
            await ExportStudioSqlite.CreateScratchSchemaAsync(model.Database, cancellationToken);
            // A scratch file: nothing to recover after a crash, so no journal and no fsync.
            await model.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;", cancellationToken);
            var staging = new StagingDatabase(path, connection, model);
            staging._transaction = connection.BeginTransaction();
            staging._writer = new SessionBulkWriter(model, connection, staging._transaction);
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

    /// <summary>Stages a whole session; a primary key staged before (a repeated message id) throws <see cref="SqliteException"/>.</summary>
    public void Add(ChatSession session)
    {
        _writer!.Add(session);
        Count++;
    }

    /// <summary>Ends staging: what is staged can be attached and read by another connection.</summary>
    public void Seal()
    {
        _transaction?.Commit();
        _transaction = null;
        _writer?.Dispose();
        _writer = null;
    }

    /// <summary>Makes the staged sessions readable on <paramref name="connection"/> (outside any transaction, as SQLite requires).</summary>
    public void Attach(SqliteConnection connection) => Execute(connection, "ATTACH DATABASE $path AS staging", ("$path", _path));

    public static void Detach(SqliteConnection connection) => Execute(connection, "DETACH DATABASE staging");

    /// <summary>A staged message whose id another session (not one being replaced) already holds, if any.</summary>
    public (Guid Message, Guid Owner)? FindMessageClash(SqliteConnection connection)
    {
        var (sessions, messages) = (TableMap.For<ChatSession>(_model), TableMap.For<ChatMessage>(_model));
        var (id, owner, sessionId) = (messages.Column(nameof(ChatMessage.Id)), messages.Column(nameof(ChatMessage.SessionId)), sessions.Column(nameof(ChatSession.Id)));
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT s.{id}, m.{owner} FROM staging.{messages.Table} s JOIN main.{messages.Table} m ON m.{id} = s.{id} " +
                              $"WHERE m.{owner} NOT IN (SELECT {sessionId} FROM staging.{sessions.Table}) LIMIT 1";
        using var reader = command.ExecuteReader();
        return reader.Read() ? (Guid.Parse(reader.GetString(0)), Guid.Parse(reader.GetString(1))) : null;
    }

    /// <summary>Inside the caller's transaction: the old versions go (with their messages), the staged ones take their place.</summary>
    public int ReplaceInto(SqliteConnection connection, SqliteTransaction transaction, long changeSequence)
    {
        var tables = new[] { TableMap.For<ChatSession>(_model), TableMap.For<ChatMessage>(_model), TableMap.For<ToolCall>(_model) };
        var sessionId = tables[0].Column(nameof(ChatSession.Id));
        Execute(connection, $"UPDATE staging.{tables[0].Table} SET {tables[0].Column(nameof(ChatSession.ChangeSequence))} = $sequence", ("$sequence", changeSequence), transaction);
        var replaced = Execute(connection, $"DELETE FROM main.{tables[0].Table} WHERE {sessionId} IN (SELECT {sessionId} FROM staging.{tables[0].Table})", transaction: transaction);
        foreach (var table in tables)
        {
            Execute(connection, $"INSERT INTO main.{table.Table} ({table.ColumnList}) SELECT {table.ColumnList} FROM staging.{table.Table}", transaction: transaction);
        }
        return replaced;
    }

    private static int Execute(SqliteConnection connection, string sql, (string Name, object Value)? parameter = null, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        if (parameter is { } p)
        {
            command.Parameters.AddWithValue(p.Name, p.Value);
        }
        return command.ExecuteNonQuery();
    }

    public async ValueTask DisposeAsync()
    {
        _writer?.Dispose();
        _transaction?.Dispose();
        await _model.DisposeAsync();
        await _connection.DisposeAsync();
        File.Delete(_path);
    }
}
