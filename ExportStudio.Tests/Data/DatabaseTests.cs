using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExportStudio.Tests.Data;

public sealed class DatabaseTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private PooledDbContextFactory<ExportStudioDbContext> CreateFactory(string name = "test.db") =>
        new(new DbContextOptionsBuilder<ExportStudioDbContext>().UseExportStudioSqlite(_directory.Combine(name)).Options);

    [Fact]
    public async Task Migrations_build_a_fresh_database_with_every_table_and_the_filter_indexes()
    {
        var factory = CreateFactory();
        await new DatabaseInitializer(factory, NullLogger<DatabaseInitializer>.Instance).InitializeAsync(demoSessions: 0);

        await using var context = await factory.CreateDbContextAsync();
        Assert.Empty(await context.Database.GetPendingMigrationsAsync());
        Assert.NotEmpty(await context.Database.GetAppliedMigrationsAsync());

        var tables = await Query(context, "SELECT name FROM sqlite_master WHERE type = 'table'");
        Assert.Superset(new HashSet<string> { "Sessions", "Messages", "ToolCalls", "ExportJobs", "__EFMigrationsHistory" }, tables.ToHashSet());

        var indexes = await Query(context, "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'Sessions'");
        Assert.Contains("IX_Sessions_CreatedAt", indexes);
        Assert.Contains("IX_Sessions_Model", indexes);

        // A schedule's deletion unlinks its runs rather than deleting them or failing.
        var references = await Query(context, "SELECT \"from\" || ' -> ' || \"table\" || '.' || \"to\" || ' ' || on_delete FROM pragma_foreign_key_list('ExportJobs')");
        Assert.Contains("ScheduleId -> ExportSchedules.Id SET NULL", references);
    }

    [Fact]
    public async Task The_database_runs_in_write_ahead_log_mode()
    {
        var factory = CreateFactory();
        await new DatabaseInitializer(factory, NullLogger<DatabaseInitializer>.Instance).InitializeAsync(demoSessions: 0);

        await using var context = await factory.CreateDbContextAsync();
        Assert.Equal(["wal"], await Query(context, "PRAGMA journal_mode"));
    }

    [Fact]
    public async Task A_new_database_gets_the_products_page_size_and_an_existing_one_keeps_its_own()
    {
        var fresh = CreateFactory("fresh.db");
        await new DatabaseInitializer(fresh, NullLogger<DatabaseInitializer>.Instance).InitializeAsync(demoSessions: 3);
        await using (var context = await fresh.CreateDbContextAsync())
        {
            Assert.Equal([ExportStudioSqlite.PageSize.ToString()], await Query(context, "PRAGMA page_size"));
            Assert.Equal(3, await context.Sessions.CountAsync());
        }

        // A database made by an earlier version (SQLite's default pages, sessions in it) is migrated as it is.
        var older = _directory.Combine("older.db");
        await using (var connection = new SqliteConnection($"Data Source={older};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA page_size = 4096; PRAGMA journal_mode = WAL; CREATE TABLE Kept (Value TEXT); INSERT INTO Kept VALUES ('still here');";
            await command.ExecuteNonQueryAsync();
        }
        var existing = CreateFactory("older.db");
        await new DatabaseInitializer(existing, NullLogger<DatabaseInitializer>.Instance).InitializeAsync(demoSessions: 2);
        await using (var context = await existing.CreateDbContextAsync())
        {
            Assert.Equal(["4096"], await Query(context, "PRAGMA page_size"));
            Assert.Equal(["still here"], await Query(context, "SELECT Value FROM Kept"));
            Assert.Equal(2, await context.Sessions.CountAsync());
        }
    }

    [Fact]
    public async Task Sessions_round_trip_with_messages_tool_calls_tags_and_utc_times()
    {
        var factory = CreateFactory();
        await new DatabaseInitializer(factory, NullLogger<DatabaseInitializer>.Instance).InitializeAsync(demoSessions: 0);
        var created = new DateTime(2026, 3, 1, 12, 30, 15, 250, DateTimeKind.Utc);
        var session = new ChatSession
        {
            Id = Guid.NewGuid(), Title = "Round trip", Model = "gpt-4o", CreatedAt = created, UpdatedAt = created.AddMinutes(5),
            Tags = ["a", "ü"], MetadataJson = """{"k":[1,2]}""",
            Messages =
            [
                new ChatMessage
                {
                    Id = Guid.NewGuid(), Role = MessageRole.Assistant, Content = "hi 👋", CreatedAt = created, Order = 0,
                    ToolCalls = [new ToolCall { Id = "call_1", Name = "search", ArgumentsJson = """{"q":"x"}""", ResultJson = null }],
                },
            ],
        };

        await using (var write = await factory.CreateDbContextAsync())
        {
            write.Sessions.Add(session);
            await write.SaveChangesAsync();
        }

        await using var read = await factory.CreateDbContextAsync();
        var loaded = await read.Sessions.AsNoTracking().Include(s => s.Messages).ThenInclude(m => m.ToolCalls).SingleAsync();
        Assert.Equal(created, loaded.CreatedAt);
        Assert.Equal(DateTimeKind.Utc, loaded.CreatedAt.Kind);
        Assert.Equal(["a", "ü"], loaded.Tags);
        Assert.Equal(MessageRole.Assistant, loaded.Messages.Single().Role);
        Assert.Equal("call_1", loaded.Messages.Single().ToolCalls.Single().Id);
        Assert.Null(loaded.Messages.Single().ToolCalls.Single().ResultJson);
    }

    private static async Task<List<string>> Query(ExportStudioDbContext context, string sql)
    {
        var connection = context.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var results = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            results.Add(reader.GetString(0));
        }
        return results;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }
}
