using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using SQLitePCL;

namespace ExportStudio.Core.Data.Bulk;

/// <summary>
/// Inserts whole sessions (messages and tool calls included) through prepared SQLite statements inside the
/// caller's transaction: at import and seeding scale EF's change tracking, and even ADO.NET's parameter
/// handling, cost more than SQLite itself. Columns and value conversions come from the EF model, so rows
/// read back through EF exactly like the ones it writes; text is bound as UTF-8, SQLite's own encoding.
/// </summary>
public sealed class SessionBulkWriter : IDisposable
{
    private const int SqliteDone = 101;
    private readonly Insert _sessions;
    private readonly Insert _messages;
    private readonly Insert _toolCalls;

    /// <param name="transaction">Open on <paramref name="connection"/>: the statements run inside it (SQLite's transactions belong to the connection).</param>
    public SessionBulkWriter(DbContext model, DbConnection connection, DbTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var handle = ((SqliteConnection)connection).Handle ?? throw new InvalidOperationException("The connection is not open.");
        _sessions = new Insert(TableMap.For<ChatSession>(model), handle);
        _messages = new Insert(TableMap.For<ChatMessage>(model), handle);
        _toolCalls = new Insert(TableMap.For<ToolCall>(model), handle);
    }

    /// <summary>Inserts the session and everything it holds; the children's keys must already point at their parents.</summary>
    /// <exception cref="SqliteException">A constraint failed (error 19: a key seen before), or the disk is full (13).</exception>
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

    /// <summary>One prepared INSERT for one table, with a binder per column.</summary>
    private sealed class Insert : IDisposable
    {
        private readonly sqlite3 _handle;
        private readonly sqlite3_stmt _statement;
        private readonly Column[] _columns;
        private byte[] _text = new byte[4096];

        public Insert(TableMap map, sqlite3 handle)
        {
            _handle = handle;
            _columns = map.Columns.Select(c => new Column(c.Property.GetGetter(), c.Property.GetTypeMapping().Converter)).ToArray();
            var sql = $"INSERT INTO {map.Table} ({map.ColumnList}) VALUES ({string.Join(", ", _columns.Select(_ => "?"))})";
            Check(raw.sqlite3_prepare_v2(handle, sql, out _statement));
        }

        public void Execute(object entity)
        {
            for (var i = 0; i < _columns.Length; i++)
            {
                Bind(i + 1, _columns[i].ValueOf(entity));
            }
            var result = raw.sqlite3_step(_statement);
            raw.sqlite3_reset(_statement);
            if (result != SqliteDone)
            {
                SqliteException.ThrowExceptionForRC(result, _handle);
            }
        }

        /// <summary>The value as EF Core's SQLite provider stores it: GUIDs as upper-case text, times as this text form.</summary>
        private void Bind(int index, object? value)
        {
            switch (value)
            {
                case null:
                    Check(raw.sqlite3_bind_null(_statement, index));
                    break;
                case string text:
                    BindText(index, text);
                    break;
                case Guid guid:
                    Span<byte> id = stackalloc byte[36];
                    guid.TryFormat(id, out _, "D");
                    Ascii.ToUpperInPlace(id, out _);
                    Check(raw.sqlite3_bind_text(_statement, index, id));
                    break;
                case DateTime time:
                    Span<byte> stamp = stackalloc byte[40];
                    time.TryFormat(stamp, out var written, "yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
                    Check(raw.sqlite3_bind_text(_statement, index, stamp[..written]));
                    break;
                case bool flag:
                    Check(raw.sqlite3_bind_int(_statement, index, flag ? 1 : 0));
                    break;
                case int or long or short or byte:
                    Check(raw.sqlite3_bind_int64(_statement, index, Convert.ToInt64(value, CultureInfo.InvariantCulture)));
                    break;
                case double or float:
                    Check(raw.sqlite3_bind_double(_statement, index, Convert.ToDouble(value, CultureInfo.InvariantCulture)));
                    break;
                default:
                    BindText(index, Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");
                    break;
            }
        }

        private void BindText(int index, string text)
        {
            var needed = Encoding.UTF8.GetMaxByteCount(text.Length);
            if (needed > _text.Length)
            {
                _text = new byte[Math.Max(needed, _text.Length * 2)];
            }
            var length = Encoding.UTF8.GetBytes(text, _text);
            Check(raw.sqlite3_bind_text(_statement, index, _text.AsSpan(0, length))); // SQLite copies it
        }

        private void Check(int result)
        {
            if (result != raw.SQLITE_OK)
            {
                SqliteException.ThrowExceptionForRC(result, _handle);
            }
        }

        public void Dispose() => _statement.Dispose();
    }

    /// <summary>A column's getter and the model's converter: the value to store, as the provider sees it.</summary>
    private readonly struct Column(IClrPropertyGetter getter, ValueConverter? converter)
    {
        public object? ValueOf(object entity)
        {
            var value = getter.GetClrValue(entity);
            return converter is null || value is null ? value : converter.ConvertToProvider(value);
        }
    }
}
