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
    private readonly string _toolCallsOfSql;
    private readonly string _toolCallOwnersSql;
    private readonly Dictionary<(string Sql, int Count), sqlite3_stmt> _statements = [];
    // Reused by every batch: a fresh one per batch meant gen 2 collections.
    private readonly Dictionary<Guid, SessionRecord> _sessions = [];
    private readonly RecordRecycler _records = new();
    private readonly Utf8StringCache _repeated = new();
    private readonly Dictionary<string, IReadOnlyList<string>> _tags = [];
    private readonly Dictionary<Guid, MessageRecord> _calling = [];
    private readonly StringBuilder _callingIds = new();

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
        _toolCallsOfSql = $"SELECT {t(nameof(ToolCall.MessageId))}, {t(nameof(ToolCall.Id))}, {t(nameof(ToolCall.Name))}, {t(nameof(ToolCall.ArgumentsJson))}, " +
                          $"{t(nameof(ToolCall.ResultJson))}, {t(nameof(ToolCall.Order))} FROM {call} WHERE {t(nameof(ToolCall.MessageId))} IN (SELECT value FROM json_each(?))";
        // The tool calls' key begins with the message id: its index alone answers, without reading a call.
        _toolCallOwnersSql = $"SELECT DISTINCT {t(nameof(ToolCall.MessageId))} FROM {call} LIMIT ?";
    }

    /// <summary>
    /// The messages that have tool calls, for <see cref="ToolCallOwners"/>; null when there are more than
    /// <paramref name="limit"/> (the set would cost more memory than it is worth).
    /// </summary>
    public MessageIdFilter? ReadToolCallOwners(int limit)
    {
        var statement = Prepare(_toolCallOwnersSql, 1);
        Check(raw.sqlite3_bind_int(statement, 1, limit + 1));
        var row = new SqliteRow(statement);
        var owners = new List<Guid>(); // distinct already
        while (Step(statement))
        {
            owners.Add(SqliteColumns.GuidColumn(row, 0));
        }
        return owners.Count > limit ? null : new MessageIdFilter(owners);
    }

    /// <summary>
    /// The messages of this read snapshot that have tool calls: when set, a batch reads its messages alone,
    /// then the tool calls of just those messages. Looking for a tool call under every message (the join)
    /// was a fifth of a 100 MB export's time, for the one message in six that has any.
    /// </summary>
    public MessageIdFilter? ToolCallOwners { get; set; }

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

    /// <summary>
    /// Messages in order, each with its tool calls: in the join a message's rows follow each other, one per
    /// call (one row of nulls without any); with <see cref="ToolCallOwners"/> the calls come from a second query.
    /// </summary>
    private void LoadMessages(Utf8Arena text, IReadOnlyList<Guid> ids, Dictionary<Guid, SessionRecord> sessions, bool withToolCalls)
    {
        var owners = withToolCalls ? ToolCallOwners : null;
        var joined = withToolCalls && owners is null;
        var statement = Bind(joined ? _messagesWithToolCallsSql : _messagesSql, ids);
        var row = new SqliteRow(statement);
        MessageRecord? message = null;
        // Rows come session by session: a session's id is parsed and looked up once, not once per message.
        Span<byte> ownerKey = stackalloc byte[StoredGuid.Length];
        SessionRecord? owner = null;
        while (Step(statement))
        {
            var id = SqliteColumns.GuidColumn(row, 0);
            if (message?.Id != id)
            {
                var sessionKey = row.Blob(1);
                if (owner is null || sessionKey.Length != StoredGuid.Length || !sessionKey.SequenceEqual(ownerKey))
                {
                    if (!sessions.TryGetValue(SqliteColumns.GuidColumn(row, 1), out owner))
                    {
                        message = null;
                        continue;
                    }
                    if (sessionKey.Length == StoredGuid.Length)
                    {
                        sessionKey.CopyTo(ownerKey);
                    }
                    else
                    {
                        ownerKey.Clear(); // an id in another spelling is looked up on each of its rows
                    }
                }
                message = ReadMessage(text, row, id);
                owner.Messages.Add(message);
                if (owners?.MightContain(id) == true)
                {
                    _calling[id] = message;
                }
            }
            if (joined && !row.IsNull(5))
            {
                AddToolCall(message, ReadToolCall(text, row, 5));
            }
        }
        if (_calling.Count > 0)
        {
            LoadToolCallsOfCalling(text);
        }
    }

    /// <summary>The tool calls of the batch's messages that have any, looked up by message id.</summary>
    private void LoadToolCallsOfCalling(Utf8Arena text)
    {
        var list = _callingIds.Clear().Append('[');
        foreach (var id in _calling.Keys)
        {
            list.Append(list.Length > 1 ? ",\"" : "\"").Append(StoredGuid.Text(id)).Append('"');
        }
        var statement = Prepare(_toolCallsOfSql, 1);
        Check(raw.sqlite3_bind_text(statement, 1, list.Append(']').ToString()));
        var row = new SqliteRow(statement);
        while (Step(statement))
        {
            if (_calling.TryGetValue(SqliteColumns.GuidColumn(row, 0), out var message))
            {
                AddToolCall(message, ReadToolCall(text, row, 1));
            }
        }
        _calling.Clear();
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

    /// <summary>A tool call whose columns begin at <paramref name="first"/>: id, name, arguments, result, order.</summary>
    private ToolCallRecord ReadToolCall(Utf8Arena text, SqliteRow row, int first)
    {
        var call = _records.TakeToolCall();
        call.Id = SqliteColumns.StringColumn(row, first);
        call.Name = _repeated.Get(row.Blob(first + 1));
        call.ArgumentsJson = text.Copy(row.Blob(first + 2));
        // The cast matters: with a bare null the conditional's type is ReadOnlyMemory<byte>, and null becomes empty.
        call.ResultJson = row.IsNull(first + 3) ? (ReadOnlyMemory<byte>?)null : text.Copy(row.Blob(first + 3));
        call.Order = row.Int32(first + 4);
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
        var statement = Prepare(sqlTemplate, ids.Count);
        Span<byte> key = stackalloc byte[StoredGuid.Length];
        for (var i = 0; i < ids.Count; i++)
        {
            StoredGuid.Write(ids[i], key);
            Check(raw.sqlite3_bind_text(statement, i + 1, key));
        }
        return statement;
    }

    /// <summary>The statement for this query with <paramref name="parameters"/> in its list, prepared once and reset for each use.</summary>
    private sqlite3_stmt Prepare(string sqlTemplate, int parameters)
    {
        if (!_statements.TryGetValue((sqlTemplate, parameters), out var statement))
        {
            var sql = string.Format(CultureInfo.InvariantCulture, sqlTemplate, string.Join(", ", Enumerable.Repeat("?", parameters)));
            Check(raw.sqlite3_prepare_v2(_handle, sql, out statement));
            _statements[(sqlTemplate, parameters)] = statement;
        }
        else
        {
            Check(raw.sqlite3_reset(statement));
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
