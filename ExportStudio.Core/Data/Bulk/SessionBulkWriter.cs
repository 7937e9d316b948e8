using System.Data.Common;
using System.Linq.Expressions;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using SQLitePCL;

namespace ExportStudio.Core.Data.Bulk;

/// <summary>
/// Inserts whole sessions (messages and tool calls included) through prepared SQLite statements inside the
/// caller's transaction: at import and seeding scale EF's change tracking, and even ADO.NET's parameter
/// handling, cost more than SQLite itself. Columns and value conversions come from the EF model, so rows
/// read back through EF exactly like the ones it writes; text is bound as UTF-8, SQLite's own encoding.
/// </summary>
public sealed partial class SessionBulkWriter : IDisposable
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

    /// <summary>
    /// One prepared INSERT for one table, with a binder per column. Values are bound through e_sqlite3's own
    /// functions: SQLitePCLRaw's take the statement's SafeHandle and count references on it for every value,
    /// which was a fifth of the binding's time; the small ones also skip the runtime's GC transition.
    /// </summary>
    private sealed unsafe partial class Insert : IDisposable
    {
        private const string Library = "e_sqlite3";

        /// <summary>SQLite copies the value before the call returns (SQLITE_TRANSIENT): one buffer serves every column.</summary>
        private static readonly nint Transient = -1;

        private readonly sqlite3 _handle;
        private readonly sqlite3_stmt _statement;
        private readonly nint _native;
        private readonly ColumnBinder[] _columns;
        private byte[] _text = new byte[4096];

        public Insert(TableMap map, sqlite3 handle)
        {
            _handle = handle;
            _columns = map.Columns.Select(c => ColumnBinders.For(c.Property)).ToArray();
            var sql = $"INSERT INTO {map.Table} ({map.ColumnList}) VALUES ({string.Join(", ", _columns.Select(_ => "?"))})";
            Check(raw.sqlite3_prepare_v2(handle, sql, out _statement));
            _native = _statement.DangerousGetHandle();
        }

        public void Execute(object entity)
        {
            for (var i = 0; i < _columns.Length; i++)
            {
                _columns[i](entity, this, i + 1);
            }
            var result = sqlite3_step(_native);
            sqlite3_reset(_native);
            if (result != SqliteDone)
            {
                SqliteException.ThrowExceptionForRC(result, _handle);
            }
        }

        // One overload per type a column's value has once the model's converter ran; the binders call them
        // with the value unboxed. Each stores the value as EF Core's SQLite provider does. A column of any
        // other type is refused when its binder is compiled.

        public void Bind(int index, string? text)
        {
            if (text is null)
            {
                Check(sqlite3_bind_null(_native, index));
                return;
            }
            var needed = Encoding.UTF8.GetMaxByteCount(text.Length);
            if (needed > _text.Length)
            {
                _text = new byte[Math.Max(needed, _text.Length * 2)];
            }
            var length = Encoding.UTF8.GetBytes(text, _text);
            BindText(index, _text.AsSpan(0, length));
        }

        public void Bind(int index, Guid guid)
        {
            Span<byte> id = stackalloc byte[StoredGuid.Length];
            StoredGuid.Write(guid, id);
            BindText(index, id);
        }

        /// <summary>The provider's text form of a time.</summary>
        public void Bind(int index, DateTime time)
        {
            Span<byte> stamp = stackalloc byte[StoredTime.MaxLength];
            BindText(index, stamp[..StoredTime.Write(time, stamp)]);
        }

        public void Bind(int index, bool flag) => Check(sqlite3_bind_int64(_native, index, flag ? 1 : 0));

        public void Bind(int index, int number) => Check(sqlite3_bind_int64(_native, index, number));

        public void Bind(int index, long number) => Check(sqlite3_bind_int64(_native, index, number));

        public void Bind(int index, double number) => Check(sqlite3_bind_double(_native, index, number));

        private void BindText(int index, ReadOnlySpan<byte> utf8)
        {
            fixed (byte* text = utf8)
            {
                // Never a null pointer: that would store NULL, and an empty span's may be one.
                Check(sqlite3_bind_text(_native, index, text is null ? (byte*)&index : text, utf8.Length, Transient));
            }
        }

        private void Check(int result)
        {
            if (result != raw.SQLITE_OK)
            {
                SqliteException.ThrowExceptionForRC(result, _handle);
            }
        }

        public void Dispose() => _statement.Dispose();

        [LibraryImport(Library)]
        private static partial int sqlite3_step(nint statement);

        [LibraryImport(Library)]
        private static partial int sqlite3_reset(nint statement);

        /// <summary>Copies the text, which may be megabytes long: it keeps the GC transition.</summary>
        [LibraryImport(Library)]
        private static partial int sqlite3_bind_text(nint statement, int index, byte* text, int length, nint destructor);

        [LibraryImport(Library), SuppressGCTransition]
        private static partial int sqlite3_bind_null(nint statement, int index);

        [LibraryImport(Library), SuppressGCTransition]
        private static partial int sqlite3_bind_int64(nint statement, int index, long value);

        [LibraryImport(Library), SuppressGCTransition]
        private static partial int sqlite3_bind_double(nint statement, int index, double value);
    }

    private delegate void ColumnBinder(object entity, Insert insert, int index);

    /// <summary>
    /// Binders compiled from the model, one per column: the property read and the model's value converter
    /// applied as typed code, then the overload of <see cref="Insert"/> for the stored type. Reading through
    /// EF's boxed getters and converters took a fifth of an import's writing thread.
    /// </summary>
    private static class ColumnBinders
    {
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<IProperty, ColumnBinder> Compiled = new();

        public static ColumnBinder For(IProperty property) => Compiled.GetOrAdd(property, Compile);

        private static ColumnBinder Compile(IProperty property)
        {
            if (property.PropertyInfo is not { CanRead: true } clrProperty || property.IsShadowProperty())
            {
                throw Unsupported(property, "it is not a readable property of the entity");
            }
            var entity = Expression.Parameter(typeof(object), "entity");
            var insert = Expression.Parameter(typeof(Insert), "insert");
            var index = Expression.Parameter(typeof(int), "index");
            Expression value = Expression.Property(Expression.Convert(entity, clrProperty.DeclaringType!), clrProperty);
            if (property.GetTypeMapping().Converter is { } converter)
            {
                var convert = converter.ConvertToProviderExpression;
                if (Nullable.GetUnderlyingType(value.Type) is not null || (!value.Type.IsValueType && convert.ReturnType.IsValueType))
                {
                    throw Unsupported(property, "a nullable value with a converter would need a null check for its stored type");
                }
                var converted = ReplacingVisitor.Replace(convert.Parameters[0], Expression.Convert(value, convert.Parameters[0].Type), convert.Body);
                // Converters are not written for null: a null reference stays null, as EF stores it.
                value = value.Type.IsValueType
                    ? converted
                    : Expression.Condition(Expression.ReferenceEqual(value, Expression.Constant(null)), Expression.Constant(null, converted.Type), converted);
            }
            var bind = typeof(Insert).GetMethod(nameof(Insert.Bind), [typeof(int), value.Type])
                ?? throw Unsupported(property, $"no Insert.Bind overload takes its stored type, {value.Type.Name}");
            return Expression.Lambda<ColumnBinder>(Expression.Call(insert, bind, index, value), entity, insert, index).Compile();
        }

        /// <summary>A column the model gained that the writer cannot bind yet: said at the first use (the start-up warm-up), not later.</summary>
        private static InvalidOperationException Unsupported(IProperty property, string reason) =>
            new($"The bulk writer cannot store {property.DeclaringType.ClrType.Name}.{property.Name}: {reason}.");
    }

    private sealed class ReplacingVisitor(ParameterExpression parameter, Expression replacement) : ExpressionVisitor
    {
        public static Expression Replace(ParameterExpression parameter, Expression replacement, Expression body) => new ReplacingVisitor(parameter, replacement).Visit(body);

        protected override Expression VisitParameter(ParameterExpression node) => node == parameter ? replacement : base.VisitParameter(node);
    }
}
