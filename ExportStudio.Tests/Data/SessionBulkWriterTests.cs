using ExportStudio.Core.Data.Bulk;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExportStudio.Tests.Data;

/// <summary>
/// The bulk writer binds every value itself, bypassing EF Core: the rows it stores are the rows EF stores
/// for the same sessions, value and storage class alike, read back from the two database files.
/// </summary>
public sealed class SessionBulkWriterTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private PooledDbContextFactory<ExportStudioDbContext> _byEf = null!;
    private PooledDbContextFactory<ExportStudioDbContext> _byWriter = null!;

    public async Task InitializeAsync()
    {
        _byEf = await CreateAsync("ef.db");
        _byWriter = await CreateAsync("writer.db");
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_writer_stores_every_column_as_EF_Core_does()
    {
        await using (var db = await _byEf.CreateDbContextAsync())
        {
            db.Sessions.AddRange(Sessions());
            await db.SaveChangesAsync();
        }
        await using (var db = await _byWriter.CreateDbContextAsync())
        {
            await db.Database.OpenConnectionAsync();
            var connection = db.Database.GetDbConnection();
            await using var transaction = await connection.BeginTransactionAsync();
            using (var writer = new SessionBulkWriter(db, connection, transaction))
            {
                foreach (var session in Sessions())
                {
                    writer.Add(session);
                }
            }
            await transaction.CommitAsync();
        }

        foreach (var (table, order) in new[] { ("Sessions", "Id"), ("Messages", "Id"), ("ToolCalls", "MessageId, Id") })
        {
            var stored = await RowsAsync(_byEf, table, order);
            Assert.Equal(table == "ToolCalls" ? 3 : table == "Messages" ? 4 : 2, stored.Count);
            Assert.Equal(stored, await RowsAsync(_byWriter, table, order));
        }
    }

    /// <summary>Sessions with the values that are easy to store wrongly: empty and long text, every script, nulls, fractions of a second and none.</summary>
    private static List<ChatSession> Sessions()
    {
        var first = new Guid("0f8fad5b-d9cb-469f-a165-70867728950e");
        var second = new Guid("7c9e6679-7425-40de-944b-e07fc1f90ae7");
        return
        [
            new ChatSession
            {
                Id = first, Title = "Grüße 👋 你好 مرحبا", Model = "gpt-4o", Tags = ["a", "ß", "x,y"], MetadataJson = "{\"n\":[1,2],\"s\":\"é\"}",
                CreatedAt = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc).AddTicks(1_234_500), UpdatedAt = new DateTime(2026, 1, 2, 3, 4, 6, DateTimeKind.Utc),
                ChangeSequence = 42, Source = "chatgpt",
                Messages =
                [
                    new ChatMessage { Id = Guid.Parse("a1b2c3d4-0000-4000-8000-000000000001"), SessionId = first, Role = MessageRole.User, Content = "", Order = 0, CreatedAt = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc) },
                    new ChatMessage
                    {
                        Id = Guid.Parse("a1b2c3d4-0000-4000-8000-000000000002"), SessionId = first, Role = MessageRole.Assistant, Content = new string('x', 70_000) + "\n\t\"end\" 🎉",
                        Order = 1, CreatedAt = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc).AddTicks(1),
                        ToolCalls =
                        [
                            new ToolCall { Id = "call_1", MessageId = Guid.Parse("a1b2c3d4-0000-4000-8000-000000000002"), Name = "search", Order = 0, ArgumentsJson = "{\"q\":\"ü\"}", ResultJson = null },
                            new ToolCall { Id = "call_2", MessageId = Guid.Parse("a1b2c3d4-0000-4000-8000-000000000002"), Name = "read", Order = 1, ArgumentsJson = "{}", ResultJson = "[]" },
                        ],
                    },
                ],
            },
            new ChatSession
            {
                Id = second, Title = "", Model = "claude", CreatedAt = DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc), UpdatedAt = DateTime.SpecifyKind(DateTime.MaxValue, DateTimeKind.Utc),
                PendingImport = "run-1",
                Messages =
                [
                    new ChatMessage { Id = Guid.Parse("a1b2c3d4-0000-4000-8000-000000000003"), SessionId = second, Role = MessageRole.System, Content = "σ", Order = 0, CreatedAt = new DateTime(2026, 7, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(9_999_999) },
                    new ChatMessage
                    {
                        Id = Guid.Parse("a1b2c3d4-0000-4000-8000-000000000004"), SessionId = second, Role = MessageRole.Tool, Content = "{\"ok\":true}", Order = 1, CreatedAt = new DateTime(2026, 7, 1, 0, 0, 1, DateTimeKind.Utc),
                        ToolCalls = [new ToolCall { Id = "t", MessageId = Guid.Parse("a1b2c3d4-0000-4000-8000-000000000004"), Name = "run", Order = 0, ArgumentsJson = "{\"deep\":{\"x\":[null]}}", ResultJson = "" }],
                    },
                ],
            },
        ];
    }

    private async Task<PooledDbContextFactory<ExportStudioDbContext>> CreateAsync(string name)
    {
        var factory = new PooledDbContextFactory<ExportStudioDbContext>(new DbContextOptionsBuilder<ExportStudioDbContext>().UseExportStudioSqlite(_directory.Combine(name)).Options);
        await new DatabaseInitializer(factory, NullLogger<DatabaseInitializer>.Instance).InitializeAsync(demoSessions: 0);
        return factory;
    }

    /// <summary>Every row of the table, each value with its storage class, as SQLite holds them.</summary>
    private static async Task<List<string>> RowsAsync(PooledDbContextFactory<ExportStudioDbContext> factory, string table, string order)
    {
        await using var db = await factory.CreateDbContextAsync();
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = $"SELECT * FROM {table} ORDER BY {order}";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i =>
                $"{reader.GetName(i)}={(reader.IsDBNull(i) ? "NULL" : $"{reader.GetFieldType(i).Name}:{Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)}")}")));
        }
        return rows;
    }
}
