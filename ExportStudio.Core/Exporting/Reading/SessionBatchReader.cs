using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using SQLitePCL;
using ExportStudio.Core.Data;

namespace ExportStudio.Core.Exporting.Reading;

/// <summary>
/// Loads a batch of sessions with their messages and tool calls in two plain queries — the export's hot
/// path. It runs prepared SQLite statements on the context's own connection (so inside its snapshot
/// transaction), binds the ids by position and copies text columns as the UTF-8 bytes SQLite holds into the
/// batch's <see cref="Utf8Arena"/>: EF's Include and ADO.NET's data reader were several times slower, the
/// latter with a UTF-16 string per value and a by-name parameter lookup that grew with the square of the
/// batch (figures in docs/benchmarks.md). Table and column names come from the EF model.
/// </summary>
internal sealed class SessionBatchReader : IDisposable
{

    private readonly sqlite3 _handle;
    private readonly string _sessionsSql;
    private readonly string _messagesSql;
    private readonly string _messagesWithToolCallsSql;
    private readonly Dictionary<(string Sql, int Count), sqlite3_stmt> _statements = [];
    // Reused by every batch: a fresh one per batch meant gen 2 collections.
    private readonly Dictionary<Guid, SessionRecord> _sessions = [];
    private readonly RecordRecycler _records = new();
    private readonly Utf8StringCache _repeated = new();
    private readonly Dictionary<string, IReadOnlyList<string>> _tags = [];

    public SessionBatchReader(ExportStudioDbContext db)
    {
        // Opened once for all batches (EF closes it with the context); a snapshot transaction keeps it open anyway.
        db.Database.OpenConnection();
        var connection = db.Database.GetDbConnection() as SqliteConnection
            ?? throw new NotSupportedException("Exports read sessions from SQLite, the product's database.");
        // Statements stepped here bypass Microsoft.Data.Sqlite's retries; the busy handler installed when
        // the connection opened (WriteLockHandOver) waits for a busy database instead.
        _handle = connection.Handle!;

        var sql = db.GetService<ISqlGenerationHelper>();
        var session = Table<ChatSession>(db, sql, out var s);
        var message = Table<ChatMessage>(db, sql, out var m);
        var call = Table<ToolCall>(db, sql, out var t);
        _sessionsSql = $"SELECT {s(nameof(ChatSession.Id))}, {s(nameof(ChatSession.Title))}, {s(nameof(ChatSession.CreatedAt))}, {s(nameof(ChatSession.UpdatedAt))}, " +
                       $"{s(nameof(ChatSession.Model))}, {s(nameof(ChatSession.Tags))}, {s(nameof(ChatSession.MetadataJson))} FROM {session} WHERE {s(nameof(ChatSession.Id))} IN ({{0}})";
        var messageColumns = $"SELECT {m(nameof(ChatMessage.Id))}, {m(nameof(ChatMessage.SessionId))}, {m(nameof(ChatMessage.Role))}, {m(nameof(ChatMessage.Content))}, " +
                             $"{m(nameof(ChatMessage.CreatedAt))}";
        var messageOrder = $"WHERE {m(nameof(ChatMessage.SessionId))} IN ({{0}}) ORDER BY {m(nameof(ChatMessage.SessionId))}, {m(nameof(ChatMessage.Order))}";
        _messagesSql = $"{messageColumns} FROM {message} {messageOrder}";
        // Tool calls come with their message, in one pass over the messages: a second query joining tool
        // calls to messages read every message row again, doubling the reading time.
        _messagesWithToolCallsSql = $"{messageColumns}, {t(nameof(ToolCall.Id))}, {t(nameof(ToolCall.Name))}, {t(nameof(ToolCall.ArgumentsJson))}, " +
                                    $"{t(nameof(ToolCall.ResultJson))}, {t(nameof(ToolCall.Order))} FROM {message} " +
                                    $"LEFT JOIN {call} ON {t(nameof(ToolCall.MessageId))} = {m(nameof(ChatMessage.Id))} {messageOrder}";
    }

    /// <summary>Sessions of the batch in the batch's order (ids that no longer exist are left out).</summary>
    public SessionBatch Load(IReadOnlyList<Guid> ids, ExportOptions options)
    {
        var text = new Utf8Arena();
        try
        {
            return new SessionBatch(LoadInto(text, ids, options), text, _records);
        }
        catch
        {
            text.Dispose();
            throw;
        }
    }

    private List<SessionRecord> LoadInto(Utf8Arena text, IReadOnlyList<Guid> ids, ExportOptions options)
    {
        var sessions = _sessions;
        sessions.Clear();
        LoadSessions(text, ids, sessions);
        if (options.IncludeMessages)
        {
            LoadMessages(text, ids, sessions, options.IncludeToolCalls);
        }
        var ordered = _records.TakeList();
        foreach (var id in ids)
        {
            if (sessions.TryGetValue(id, out var session))
            {
                ordered.Add(session);
            }
        }
        sessions.Clear();
        return ordered;
    }

    private void LoadSessions(Utf8Arena text, IReadOnlyList<Guid> ids, Dictionary<Guid, SessionRecord> sessions)
    {
        var statement = Bind(_sessionsSql, ids);
        var row = new SqliteRow(statement);
        while (Step(statement))
        {
            var session = _records.TakeSession();
            session.Id = SqliteColumns.GuidColumn(row, 0);
            session.Title = SqliteColumns.StringColumn(row, 1);
            session.CreatedAt = SqliteColumns.TimeColumn(row, 2);
            session.UpdatedAt = SqliteColumns.TimeColumn(row, 3);
            session.Model = _repeated.Get(row.Blob(4));
            session.Tags = TagsColumn(row, 5);
            session.MetadataJson = text.Copy(row.Blob(6));
            sessions[session.Id] = session;
        }
    }

    /// <summary>Messages in order, each followed by its tool calls: a message's rows follow each other, one per call (one row of nulls without any).</summary>
    private void LoadMessages(Utf8Arena text, IReadOnlyList<Guid> ids, Dictionary<Guid, SessionRecord> sessions, bool withToolCalls)
    {
        var statement = Bind(withToolCalls ? _messagesWithToolCallsSql : _messagesSql, ids);
        var row = new SqliteRow(statement);
        MessageRecord? message = null;
        while (Step(statement))
        {
            var id = SqliteColumns.GuidColumn(row, 0);
            if (message?.Id != id)
            {
                if (!sessions.TryGetValue(SqliteColumns.GuidColumn(row, 1), out var owner))
                {
                    message = null;
                    continue;
                }
                message = ReadMessage(text, row, id);
                owner.Messages.Add(message);
            }
            if (withToolCalls && !row.IsNull(5))
            {
                AddToolCall(message, ReadToolCall(text, row));
            }
        }
    }

    private MessageRecord ReadMessage(Utf8Arena text, SqliteRow row, Guid id)
    {
        var role = row.Blob(2);
        var message = _records.TakeMessage();
        message.Id = id;
        message.Role = MessageRoleNames.TryParse(role, out var parsed) ? parsed : throw new InvalidDataException($"Unknown message role '{Encoding.UTF8.GetString(role)}' in the database.");
        message.Content = text.Copy(row.Blob(3));
        message.CreatedAt = SqliteColumns.TimeColumn(row, 4);
        return message;
    }

    private ToolCallRecord ReadToolCall(Utf8Arena text, SqliteRow row)
    {
        var call = _records.TakeToolCall();
        call.Id = SqliteColumns.StringColumn(row, 5);
        call.Name = _repeated.Get(row.Blob(6));
        call.ArgumentsJson = text.Copy(row.Blob(7));
        // The cast matters: with a bare null the conditional's type is ReadOnlyMemory<byte>, and null becomes empty.
        call.ResultJson = row.IsNull(8) ? (ReadOnlyMemory<byte>?)null : text.Copy(row.Blob(8));
        call.Order = row.Int32(9);
        return call;
    }

    /// <summary>Tool calls come unsorted (sorting in SQL sorted every argument and result); keep them in their order.</summary>
    private static void AddToolCall(MessageRecord message, ToolCallRecord call)
    {
        message.ToolCalls.Add(call);
        if (message.ToolCalls.Count > 1 && message.ToolCalls[^2].Order > message.ToolCalls[^1].Order)
        {
            message.ToolCalls.Sort((a, b) => a.Order.CompareTo(b.Order));
        }
    }

    /// <summary>The statement for this query and batch size, prepared once and reused, with the ids bound by position.</summary>
    private sqlite3_stmt Bind(string sqlTemplate, IReadOnlyList<Guid> ids)
    {
        if (!_statements.TryGetValue((sqlTemplate, ids.Count), out var statement))
        {
            var sql = string.Format(CultureInfo.InvariantCulture, sqlTemplate, string.Join(", ", Enumerable.Repeat("?", ids.Count)));
            Check(raw.sqlite3_prepare_v2(_handle, sql, out statement));
            _statements[(sqlTemplate, ids.Count)] = statement;
        }
        else
        {
            Check(raw.sqlite3_reset(statement));
        }
        Span<byte> key = stackalloc byte[StoredGuid.Length];
        for (var i = 0; i < ids.Count; i++)
        {
            StoredGuid.Write(ids[i], key);
            Check(raw.sqlite3_bind_text(statement, i + 1, key));
        }
        return statement;
    }

    private bool Step(sqlite3_stmt statement)
    {
        var result = raw.sqlite3_step(statement);
        if (result == raw.SQLITE_ROW)
        {
            return true;
        }
        if (result != raw.SQLITE_DONE)
        {
            Check(result);
        }
        return false;
    }

    private void Check(int result)
    {
        if (result != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(result, _handle);
        }
    }

    /// <summary>A session's tags (a JSON array as stored); sessions share few distinct sets, so each is parsed once.</summary>
    private IReadOnlyList<string> TagsColumn(SqliteRow row, int column)
    {
        var json = _repeated.Get(row.Blob(column));
        if (!_tags.TryGetValue(json, out var tags))
        {
            tags = JsonSerializer.Deserialize<List<string>>(json) ?? [];
            if (_tags.Count < 4096)
            {
                _tags[json] = tags;
            }
        }
        return tags;
    }

    private static string Table<T>(ExportStudioDbContext db, ISqlGenerationHelper sql, out Func<string, string> column)
    {
        var entity = db.Model.FindEntityType(typeof(T))!;
        var table = sql.DelimitIdentifier(entity.GetTableName()!);
        var store = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        column = property => $"{table}.{sql.DelimitIdentifier(entity.FindProperty(property)!.GetColumnName(store)!)}";
        return table;
    }

    public void Dispose()
    {
        foreach (var statement in _statements.Values)
        {
            statement.Dispose();
        }
        _statements.Clear();
    }
}
