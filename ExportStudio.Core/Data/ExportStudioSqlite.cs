using System.Buffers;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using SQLitePCL;

namespace ExportStudio.Core.Data;

/// <summary>
/// The one place the SQLite provider is configured: the connection string, the SQL functions the model
/// maps (<see cref="TextFolding.Fold"/>) and how connections wait for the write lock
/// (<see cref="WriteLockHandOver"/>). Every context of the product, its tools and its tests is configured
/// here, so a query that folds text runs the same on all of them; the queries themselves stay free of
/// SQLite's SQL.
/// </summary>
public static class ExportStudioSqlite
{
    private static readonly ConnectionSetup Setup = new();

    /// <summary>
    /// SQLite's multi-thread mode, set once before the first connection opens: a connection (with its
    /// statements) is never used by two threads at once here — each context owns one, and an export's
    /// readers have one each — so the lock SQLite's default mode takes around every call, each step and
    /// each column read, guards nothing. Without it a 100 MB export spent 4-11% more CPU. Interrupting a
    /// command from another thread (a cancel) stays allowed in this mode. Once SQLite is initialised the
    /// mode cannot change, and it keeps the safe default.
    /// </summary>
    static ExportStudioSqlite()
    {
        Batteries_V2.Init();
        _ = raw.sqlite3_config(raw.SQLITE_CONFIG_MULTITHREAD);
    }

    /// <summary>
    /// The page size of every database file the product creates. Imports write each page twice (the log,
    /// then the database) and SQLite writes and reads a page per call: with 32 KB pages a 100 MB import made
    /// a quarter of the calls of 4 KB pages, and took 1.1-1.6 s instead of 1.4-2.4 s (the kernel's share of
    /// its time fell by half). Exports ran at the same speed with 4, 8, 16, 32 or 64 KB pages, and 64 KB
    /// imported no faster than 32 (figures in docs/benchmarks.md).
    /// </summary>
    public const int PageSize = 32 << 10;

    /// <summary>
    /// Gives a database that has no page yet (a new file) <see cref="PageSize"/>, and leaves the connection
    /// open so that the statement that creates its first table runs on it: SQLite takes the page size of the
    /// connection that writes the first page, and a file that already has pages keeps the size it has.
    /// </summary>
    public static async Task UseProductPageSizeIfNewAsync(DatabaseFacade database, CancellationToken cancellationToken)
    {
        await database.OpenConnectionAsync(cancellationToken);
        await using var command = database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA page_count;";
        if (Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken)) == 0)
        {
            command.CommandText = $"PRAGMA page_size = {PageSize};";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>The schema of a database made without migrations (a scratch or staging file), with <see cref="PageSize"/>.</summary>
    public static async Task CreateScratchSchemaAsync(DatabaseFacade database, CancellationToken cancellationToken)
    {
        await UseProductPageSizeIfNewAsync(database, cancellationToken);
        await database.EnsureCreatedAsync(cancellationToken);
    }

    public static DbContextOptionsBuilder UseExportStudioSqlite(this DbContextOptionsBuilder options, string databasePath) =>
        options.UseSqlite(SqliteConnectionStrings.For(databasePath)).AddInterceptors(Setup);

    public static DbContextOptionsBuilder<ExportStudioDbContext> UseExportStudioSqlite(this DbContextOptionsBuilder<ExportStudioDbContext> options, string databasePath)
    {
        ((DbContextOptionsBuilder)options).UseExportStudioSqlite(databasePath);
        return options;
    }

    /// <summary>
    /// SQLite's lower() folds ASCII only, so the fold runs in .NET inside SQLite. It is registered on the
    /// native handle each time a connection opens (a pooled connection may get another handle), straight
    /// through SQLitePCL: a search folds every message row, and reading each row's UTF-8 in place instead
    /// of as a .NET string (and back) makes a search about twice as fast. The busy handler is installed the
    /// same way, each time.
    /// </summary>
    private sealed class ConnectionSetup : DbConnectionInterceptor
    {
        private const int Flags = raw.SQLITE_UTF8 | raw.SQLITE_DETERMINISTIC;

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Register(connection);

        public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Register(connection);
            return Task.CompletedTask;
        }

        private static void Register(DbConnection connection)
        {
            if (connection is SqliteConnection { Handle: { } handle } sqlite)
            {
                WriteLockHandOver.Install(sqlite);
                var result = raw.sqlite3_create_function(handle, TextFolding.SqlFunctionName, 1, Flags, null, Fold);
                if (result != raw.SQLITE_OK)
                {
                    throw new InvalidOperationException($"SQLite refused the function {TextFolding.SqlFunctionName} ({raw.sqlite3_errstr(result).utf8_to_string()}).");
                }
            }
        }

        private static void Fold(sqlite3_context context, object userData, sqlite3_value[] arguments)
        {
            var value = arguments[0];
            if (raw.sqlite3_value_type(value) == raw.SQLITE_NULL)
            {
                raw.sqlite3_result_null(context);
                return;
            }
            // For a TEXT value this is its UTF-8, in SQLite's memory, not copied.
            var text = raw.sqlite3_value_blob(value);
            var folded = ArrayPool<byte>.Shared.Rent(TextFolding.MaxFoldedLength(text.Length));
            try
            {
                var length = TextFolding.FoldUtf8(text, folded);
                // An empty span has no address, and a null text pointer would make the result NULL, not ''.
                if (length == 0)
                {
                    raw.sqlite3_result_text(context, "");
                }
                else
                {
                    raw.sqlite3_result_text(context, folded.AsSpan(0, length));
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(folded);
            }
        }
    }
}
