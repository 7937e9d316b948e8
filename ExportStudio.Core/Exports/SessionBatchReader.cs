using System.Data.Common;
using System.Text.Json;
using ExportStudio.Core.Sessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace ExportStudio.Core.Exports;

/// <summary>
/// Loads a batch of sessions with their messages and tool calls in three plain queries, reading rows
/// straight from the data reader. Measured on 100 MB of sessions: EF's Include with split queries reads
/// about 30-60 MB/s, this about 300 MB/s — the export's hot path. The SQL is standard (an IN list over
/// the key), and table, column and parameter handling all come from the EF model and provider, so it
/// follows the schema and works on any relational provider.
/// </summary>
internal sealed class SessionBatchReader
{
    private readonly ExportStudioDbContext _db;
    private readonly RelationalTypeMapping _guidMapping;
    private readonly string _sessionsSql;
    private readonly string _messagesSql;
    private readonly string _toolCallsSql;
    private readonly ISqlGenerationHelper _sql;

    public SessionBatchReader(ExportStudioDbContext db)
    {
        _db = db;
        // Opened once for all batches (EF closes it with the context); a snapshot transaction keeps it open anyway.
        db.Database.OpenConnection();
        _sql = db.GetService<ISqlGenerationHelper>();
        _guidMapping = db.GetService<IRelationalTypeMappingSource>().FindMapping(typeof(Guid))!;

        var session = Table<ChatSession>(out var s);
        var message = Table<ChatMessage>(out var m);
        var call = Table<ToolCall>(out var t);
        _sessionsSql = $"SELECT {s(nameof(ChatSession.Id))}, {s(nameof(ChatSession.Title))}, {s(nameof(ChatSession.CreatedAt))}, {s(nameof(ChatSession.UpdatedAt))}, " +
                       $"{s(nameof(ChatSession.Model))}, {s(nameof(ChatSession.Tags))}, {s(nameof(ChatSession.MetadataJson))} FROM {session} WHERE {s(nameof(ChatSession.Id))} IN ({{0}})";
        _messagesSql = $"SELECT {m(nameof(ChatMessage.Id))}, {m(nameof(ChatMessage.SessionId))}, {m(nameof(ChatMessage.Role))}, {m(nameof(ChatMessage.Content))}, " +
                       $"{m(nameof(ChatMessage.CreatedAt))} FROM {message} WHERE {m(nameof(ChatMessage.SessionId))} IN ({{0}}) " +
                       $"ORDER BY {m(nameof(ChatMessage.SessionId))}, {m(nameof(ChatMessage.Order))}";
        // Unsorted, ordered in memory instead: ORDER BY made the database sort every call's arguments and
        // results (measured: 180 ms of a 650 ms batch run). Selecting by message id instead of the join was slower.
        _toolCallsSql = $"SELECT {t(nameof(ToolCall.MessageId))}, {t(nameof(ToolCall.Id))}, {t(nameof(ToolCall.Name))}, {t(nameof(ToolCall.ArgumentsJson))}, " +
                        $"{t(nameof(ToolCall.ResultJson))}, {t(nameof(ToolCall.Order))} FROM {call} INNER JOIN {message} ON {m(nameof(ChatMessage.Id))} = {t(nameof(ToolCall.MessageId))} " +
                        $"WHERE {m(nameof(ChatMessage.SessionId))} IN ({{0}})";
    }

    /// <summary>Sessions of the batch in the batch's order (ids that no longer exist are left out).</summary>
    public List<ChatSession> Load(IReadOnlyList<Guid> ids, ExportOptions options)
    {
        var connection = _db.Database.GetDbConnection();
        var transaction = _db.Database.CurrentTransaction?.GetDbTransaction();
        var sessions = new Dictionary<Guid, ChatSession>(ids.Count);

        using (var command = Command(connection, transaction, _sessionsSql, ids))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var session = new ChatSession
                {
                    Id = reader.GetGuid(0),
                    Title = reader.GetString(1),
                    CreatedAt = Utc(reader.GetDateTime(2)),
                    UpdatedAt = Utc(reader.GetDateTime(3)),
                    Model = reader.GetString(4),
                    Tags = JsonSerializer.Deserialize<List<string>>(reader.GetString(5)) ?? [],
                    MetadataJson = reader.GetString(6),
                };
                sessions[session.Id] = session;
            }
        }

        if (options.IncludeMessages)
        {
            var messages = new Dictionary<Guid, ChatMessage>();
            using (var command = Command(connection, transaction, _messagesSql, ids))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    var message = new ChatMessage
                    {
                        Id = reader.GetGuid(0),
                        SessionId = reader.GetGuid(1),
                        Role = MessageRoleNames.TryParse(reader.GetString(2), out var role) ? role : throw new InvalidDataException($"Unknown message role '{reader.GetString(2)}' in the database."),
                        Content = reader.GetString(3),
                        CreatedAt = Utc(reader.GetDateTime(4)),
                    };
                    if (sessions.TryGetValue(message.SessionId, out var owner))
                    {
                        message.Order = owner.Messages.Count;
                        owner.Messages.Add(message);
                        messages[message.Id] = message;
                    }
                }
            }

            if (options.IncludeToolCalls && messages.Count > 0)
            {
                using (var command = Command(connection, transaction, _toolCallsSql, ids))
                using (var reader = command.ExecuteReader())
                {
                    while (reader.Read())
                    {
                        if (messages.TryGetValue(reader.GetGuid(0), out var message))
                        {
                            message.ToolCalls.Add(new ToolCall
                            {
                                MessageId = message.Id,
                                Id = reader.GetString(1),
                                Name = reader.GetString(2),
                                ArgumentsJson = reader.GetString(3),
                                ResultJson = reader.IsDBNull(4) ? null : reader.GetString(4),
                                Order = reader.GetInt32(5),
                            });
                        }
                    }
                }
                foreach (var message in messages.Values.Where(m => m.ToolCalls.Count > 1))
                {
                    message.ToolCalls.Sort((a, b) => a.Order.CompareTo(b.Order));
                }
            }
        }

        var ordered = new List<ChatSession>(sessions.Count);
        foreach (var id in ids)
        {
            if (sessions.TryGetValue(id, out var session))
            {
                ordered.Add(session);
            }
        }
        return ordered;
    }

    private DbCommand Command(DbConnection connection, DbTransaction? transaction, string sqlTemplate, IReadOnlyList<Guid> ids)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        var names = new string[ids.Count];
        for (var i = 0; i < ids.Count; i++)
        {
            names[i] = _sql.GenerateParameterName("p" + i);
            command.Parameters.Add(_guidMapping.CreateParameter(command, names[i], ids[i]));
        }
        command.CommandText = string.Format(System.Globalization.CultureInfo.InvariantCulture, sqlTemplate, string.Join(", ", names));
        return command;
    }

    private string Table<T>(out Func<string, string> column)
    {
        var entity = _db.Model.FindEntityType(typeof(T))!;
        var table = _sql.DelimitIdentifier(entity.GetTableName()!);
        var store = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        column = property => $"{table}.{_sql.DelimitIdentifier(entity.FindProperty(property)!.GetColumnName(store)!)}";
        return table;
    }

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);
}
