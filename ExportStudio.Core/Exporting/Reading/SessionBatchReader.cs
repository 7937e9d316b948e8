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
/// Loads a batch of sessions with their messages and tool calls in a few plain queries — the export's hot
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
    private readonly string _messageRangeSql;
    private readonly string _messageRangeWithToolCallsSql;
    private readonly string _messageRowsSql;
    private readonly string _allMessageRowsSql;
    private readonly string _messageRowIdsOfSql;
    private readonly string _toolCallsOfSql;
    private readonly string _toolCallOwnersSql;
    private readonly Dictionary<(string Sql, int Count), sqlite3_stmt> _statements = [];
    // Reused by every batch: a fresh one per batch meant gen 2 collections.
    private readonly Dictionary<Guid, SessionRecord> _sessions = [];
    private readonly RecordRecycler _records = new();
    private readonly Utf8StringCache _repeated = new();
    private readonly Dictionary<string, IReadOnlyList<string>> _tags = [];
    private readonly Dictionary<Guid, MessageRecord> _calling = [];
    private readonly StringBuilder _idList = new();
    private readonly List<(long From, long To)> _ranges = [];
    private readonly List<Guid> _scattered = [];

    /// <summary>
    /// Rows of other sessions read and dropped rather than starting a new range: a few cost less than
    /// another statement, and sessions written message by message interleave their rows.
    /// </summary>
    private const int MaxRowsSkipped = 8;

    /// <summary>First tool-call column of a joined row (after the message's id, session, role, content, time and position).</summary>
    private const int JoinedToolCall = 6;

    private const int LocatedPerStatement = 8192;

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
                             $"{m(nameof(ChatMessage.CreatedAt))}, {m(nameof(ChatMessage.Order))}";
        var toolCallColumns = $"{t(nameof(ToolCall.Id))}, {t(nameof(ToolCall.Name))}, {t(nameof(ToolCall.ArgumentsJson))}, {t(nameof(ToolCall.ResultJson))}, {t(nameof(ToolCall.Order))}";
        var callsOfMessage = $"LEFT JOIN {call} ON {t(nameof(ToolCall.MessageId))} = {m(nameof(ChatMessage.Id))}";
        var messageOrder = $"WHERE {m(nameof(ChatMessage.SessionId))} IN ({{0}}) ORDER BY {m(nameof(ChatMessage.SessionId))}, {m(nameof(ChatMessage.Order))}";
        _messagesSql = $"{messageColumns} FROM {message} {messageOrder}";
        // Tool calls come with their message, in one pass over the messages: a second query joining tool
        // calls to messages read every message row again, doubling the reading time.
        _messagesWithToolCallsSql = $"{messageColumns}, {toolCallColumns} FROM {message} {callsOfMessage} {messageOrder}";
        // A large selection reads its messages by row id, as the table stores them (see MessageRows).
        var range = $"WHERE {message}.rowid BETWEEN ? AND ? ORDER BY {message}.rowid";
        _messageRangeSql = $"{messageColumns} FROM {message} {range}";
        _messageRangeWithToolCallsSql = $"{messageColumns}, {toolCallColumns} FROM {message} {callsOfMessage} {range}";
        var located = $"SELECT {m(nameof(ChatMessage.SessionId))}, min({message}.rowid), max({message}.rowid), count(*) FROM {message}";
        _allMessageRowsSql = $"{located} GROUP BY {m(nameof(ChatMessage.SessionId))}";
        _messageRowsSql = $"{located} WHERE {m(nameof(ChatMessage.SessionId))} IN (SELECT value FROM json_each(?)) GROUP BY {m(nameof(ChatMessage.SessionId))}";
        _messageRowIdsOfSql = $"SELECT {message}.rowid FROM {message} WHERE {m(nameof(ChatMessage.SessionId))} IN (SELECT value FROM json_each(?))";
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

    /// <summary>
    /// Where the messages of <paramref name="sessionIds"/> are stored, for <see cref="MessageRows"/>, from
    /// the messages' index (its entries of those sessions, in key order, so a large selection reads it once
    /// through; for <paramref name="everySession"/>, all of it, without the list); null for more than
    /// <paramref name="limit"/> sessions.
    /// </summary>
    public Dictionary<Guid, MessageRows>? ReadMessageRows(IReadOnlyList<Guid> sessionIds, int limit, bool everySession = false)
    {
        if (sessionIds.Count > limit)
        {
            return null;
        }
        var rows = new Dictionary<Guid, MessageRows>(sessionIds.Count);
        if (everySession)
        {
            AddMessageRows(Prepare(_allMessageRowsSql, 0), rows);
            return rows;
        }
        // In chunks: the list of ids is one string per statement.
        foreach (var chunk in sessionIds.Chunk(LocatedPerStatement))
        {
            var statement = Prepare(_messageRowsSql, 1);
            Check(raw.sqlite3_bind_text(statement, 1, JsonIdList(chunk)));
            AddMessageRows(statement, rows);
        }
        return rows;
    }

    private void AddMessageRows(sqlite3_stmt statement, Dictionary<Guid, MessageRows> rows)
    {
        var row = new SqliteRow(statement);
        while (Step(statement))
        {
            rows[SqliteColumns.GuidColumn(row, 0)] = new MessageRows(raw.sqlite3_column_int64(statement, 1), raw.sqlite3_column_int64(statement, 2), row.Int32(3));
        }
    }

    /// <summary>
    /// Where the messages of this read snapshot are stored, by session: when set, a batch reads its messages
    /// by row id in the order the table holds them, a range per run of sessions stored together. Looked up
    /// by session id on the index (random, as the ids are), a batch's messages jumped around the table, so
    /// the page cache read each of its pages several times over, and each batch walked the whole index again.
    /// </summary>
    public IReadOnlyDictionary<Guid, MessageRows>? MessageRows { get; set; }

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
        if (MessageRows is { } stored)
        {
            LoadMessagesByRow(text, ids, stored, sessions, joined, owners);
        }
        else
        {
            LoadMessages(text, Bind(joined ? _messagesWithToolCallsSql : _messagesSql, ids), sessions, joined, owners);
        }
        if (_calling.Count > 0)
        {
            LoadToolCallsOfCalling(text);
        }
    }

    /// <summary>
    /// The batch's messages read by row id: a range for each session stored in one piece (nearby ranges
    /// read as one, skipping the few rows between), and the row ids of a session stored in pieces from the
    /// index. Each session's messages are then put in their positions, ties in stored order, as the index has them.
    /// </summary>
    private void LoadMessagesByRow(Utf8Arena text, IReadOnlyList<Guid> ids, IReadOnlyDictionary<Guid, MessageRows> stored, Dictionary<Guid, SessionRecord> sessions,
        bool joined, MessageIdFilter? owners)
    {
        var ranges = _ranges;
        ranges.Clear();
        _scattered.Clear();
        foreach (var id in ids)
        {
            if (stored.TryGetValue(id, out var rows) && sessions.ContainsKey(id))
            {
                if (rows.InOnePiece)
                {
                    ranges.Add((rows.First, rows.Last));
                }
                else
                {
                    _scattered.Add(id);
                }
            }
        }
        if (_scattered.Count > 0)
        {
            var statement = Prepare(_messageRowIdsOfSql, 1);
            Check(raw.sqlite3_bind_text(statement, 1, JsonIdList(_scattered)));
            while (Step(statement))
            {
                var rowId = raw.sqlite3_column_int64(statement, 0);
                ranges.Add((rowId, rowId));
            }
        }
        ranges.Sort();
        var sql = joined ? _messageRangeWithToolCallsSql : _messageRangeSql;
        for (var i = 0; i < ranges.Count;)
        {
            var (from, to) = ranges[i++];
            while (i < ranges.Count && ranges[i].From - to - 1 <= MaxRowsSkipped)
            {
                to = Math.Max(to, ranges[i++].To);
            }
            var statement = Prepare(sql, 2);
            Check(raw.sqlite3_bind_int64(statement, 1, from));
            Check(raw.sqlite3_bind_int64(statement, 2, to));
            LoadMessages(text, statement, sessions, joined, owners);
        }
        foreach (var session in sessions.Values)
        {
            InPositionOrder(session.Messages);
        }
    }

    /// <summary>
    /// A session's messages in their positions, ties in the order they were stored: stored order is already
    /// position order for all but sessions whose positions were rewritten.
    /// </summary>
    private static void InPositionOrder(List<MessageRecord> messages)
    {
        for (var i = 1; i < messages.Count; i++)
        {
            if (messages[i - 1].Order > messages[i].Order)
            {
                var sorted = messages.OrderBy(m => m.Order).ToList(); // stable
                messages.Clear();
                messages.AddRange(sorted);
                return;
            }
        }
    }

    /// <summary>The rows of a bound message statement, each message added to its session; rows of sessions not in the batch are skipped.</summary>
    private void LoadMessages(Utf8Arena text, sqlite3_stmt statement, Dictionary<Guid, SessionRecord> sessions, bool joined, MessageIdFilter? owners)
    {
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
                        message = null; // a row of another session, inside a range
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
            if (joined && !row.IsNull(JoinedToolCall))
            {
                AddToolCall(message, ReadToolCall(text, row, JoinedToolCall));
            }
        }
    }

    /// <summary>The tool calls of the batch's messages that have any, looked up by message id.</summary>
    private void LoadToolCallsOfCalling(Utf8Arena text)
    {
        var statement = Prepare(_toolCallsOfSql, 1);
        Check(raw.sqlite3_bind_text(statement, 1, JsonIdList(_calling.Keys)));
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

    /// <summary>Ids as a JSON array of their stored text, for <c>json_each</c>.</summary>
    private string JsonIdList(IEnumerable<Guid> ids)
    {
        var list = _idList.Clear().Append('[');
        foreach (var id in ids)
        {
            list.Append(list.Length > 1 ? ",\"" : "\"").Append(StoredGuid.Text(id)).Append('"');
        }
        return list.Append(']').ToString();
    }

    private MessageRecord ReadMessage(Utf8Arena text, SqliteRow row, Guid id)
    {
        var role = row.Blob(2);
        var message = _records.TakeMessage();
        message.Id = id;
        message.Role = MessageRoleNames.TryParse(role, out var parsed) ? parsed : throw new InvalidDataException($"Unknown message role '{Encoding.UTF8.GetString(role)}' in the database.");
        message.Content = text.Copy(row.Blob(3));
        message.CreatedAt = SqliteColumns.TimeColumn(row, 4);
        message.Order = row.Int32(5);
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
