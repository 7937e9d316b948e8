using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ExportStudio.Core.Data.Bulk;

/// <summary>
/// Inserts whole sessions (messages and tool calls included) through prepared commands inside the caller's
/// transaction: EF's change tracking costs more than the data at import and seeding scale. Columns and
/// value conversions come from the EF model, so rows read back through EF exactly like the ones it writes.
/// </summary>
public sealed class SessionBulkWriter : IDisposable
{
    private readonly Insert _sessions;
    private readonly Insert _messages;
    private readonly Insert _toolCalls;

    public SessionBulkWriter(DbContext model, DbConnection connection, DbTransaction transaction)
    {
        _sessions = new Insert(TableMap.For<ChatSession>(model), connection, transaction);
        _messages = new Insert(TableMap.For<ChatMessage>(model), connection, transaction);
        _toolCalls = new Insert(TableMap.For<ToolCall>(model), connection, transaction);
    }

    /// <summary>Inserts the session and everything it holds; the children's keys must already point at their parents.</summary>
    public void Add(ChatSession session)
    {
        _sessions.Execute(session);
        foreach (var message in session.Messages)
        {
            _messages.Execute(message);
            foreach (var call in message.ToolCalls)
            {
                _toolCalls.Execute(call);
            }
        }
    }

    public void Dispose()
    {
        _sessions.Dispose();
        _messages.Dispose();
        _toolCalls.Dispose();
    }

    /// <summary>One prepared INSERT for one table, its parameters in column order.</summary>
    private sealed class Insert : IDisposable
    {
        private readonly DbCommand _command;
        private readonly IReadOnlyList<IProperty> _properties;
        private readonly IClrPropertyGetter[] _getters;
        private readonly ValueConverter?[] _converters;

        public Insert(TableMap map, DbConnection connection, DbTransaction transaction)
        {
            _properties = map.Columns.Select(c => c.Property).ToList();
            _getters = _properties.Select(p => p.GetGetter()).ToArray();
            _converters = _properties.Select(p => p.GetTypeMapping().Converter).ToArray();
            _command = connection.CreateCommand();
            _command.Transaction = transaction;
            _command.CommandText = $"INSERT INTO {map.Table} ({map.ColumnList}) VALUES ({string.Join(", ", _properties.Select((_, i) => $"$p{i}"))})";
            for (var i = 0; i < _properties.Count; i++)
            {
                var parameter = _command.CreateParameter();
                parameter.ParameterName = $"$p{i}";
                _command.Parameters.Add(parameter);
            }
            _command.Prepare();
        }

        public void Execute(object entity)
        {
            for (var i = 0; i < _properties.Count; i++)
            {
                _command.Parameters[i].Value = ToStore(_converters[i], _getters[i].GetClrValue(entity));
            }
            _command.ExecuteNonQuery();
        }

        /// <summary>The value as the provider stores it: the model's converter first, then SQLite's text forms of GUIDs and times.</summary>
        private static object ToStore(ValueConverter? converter, object? value)
        {
            var stored = converter is null || value is null ? value : converter.ConvertToProvider(value);
            return stored switch
            {
                null => DBNull.Value,
                // EF Core's SQLite provider keeps a Guid as upper-case text and a DateTime as this text form.
                Guid guid => guid.ToString().ToUpperInvariant(),
                DateTime time => time.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
                _ => stored,
            };
        }

        public void Dispose() => _command.Dispose();
    }
}
