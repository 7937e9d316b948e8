using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExportStudio.Tests.Data;

public sealed class DemoDataTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public void The_same_seed_generates_the_same_sessions()
    {
        var first = JsonSerializer.Serialize(new DemoDataGenerator(42).Generate(50).ToList());
        var second = JsonSerializer.Serialize(new DemoDataGenerator(42).Generate(50).ToList());
        var other = JsonSerializer.Serialize(new DemoDataGenerator(43).Generate(50).ToList());

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Demo_sessions_are_varied_enough_to_exercise_every_writer()
    {
        var sessions = new DemoDataGenerator().Generate(200).ToList();
        var messages = sessions.SelectMany(s => s.Messages).ToList();

        Assert.Equal(Enum.GetValues<MessageRole>().ToHashSet(), messages.Select(m => m.Role).ToHashSet());
        Assert.Contains(messages, m => m.ToolCalls.Count > 0);
        Assert.Contains(messages.SelectMany(m => m.ToolCalls), c => c.ResultJson is null);
        Assert.Contains(messages.SelectMany(m => m.ToolCalls), c => JsonDocument.Parse(c.ArgumentsJson).RootElement.GetProperty("options").ValueKind == JsonValueKind.Object);
        Assert.Contains(messages, m => m.Content.Contains("```"));
        Assert.Contains(messages, m => m.Content.Contains('\n'));
        Assert.Contains(messages, m => m.Content.Contains("東京"));
        Assert.Contains(messages, m => m.Content.Contains("🎉"));
        Assert.Contains(messages, m => m.Content.Length > 10_000);
        Assert.Contains(sessions, s => s.Messages.Count == 0);
        Assert.True(sessions.Select(s => s.Model).Distinct().Count() > 3);
        Assert.All(sessions, s => Assert.Equal(DateTimeKind.Utc, s.CreatedAt.Kind));
    }

    [Fact]
    public async Task Seeding_happens_once_and_never_duplicates_on_a_second_start()
    {
        var factory = CreateFactory();
        var initializer = new DatabaseInitializer(factory, NullLogger<DatabaseInitializer>.Instance);

        await initializer.InitializeAsync(demoSessions: 25);
        await initializer.InitializeAsync(demoSessions: 25);

        await using var context = await factory.CreateDbContextAsync();
        Assert.Equal(25, await context.Sessions.CountAsync());
        var expectedIds = new DemoDataGenerator().Generate(25).Select(s => s.Id).Order().ToList();
        Assert.Equal(expectedIds, await context.Sessions.Select(s => s.Id).OrderBy(id => id).ToListAsync());
    }

    [Fact]
    public async Task Zero_demo_sessions_seeds_nothing()
    {
        var factory = CreateFactory();
        await new DatabaseInitializer(factory, NullLogger<DatabaseInitializer>.Instance).InitializeAsync(demoSessions: 0);

        await using var context = await factory.CreateDbContextAsync();
        Assert.Equal(0, await context.Sessions.CountAsync());
    }

    [Fact]
    public async Task The_bulk_seeder_fills_a_database_to_the_requested_size_readable_through_ef()
    {
        var factory = CreateFactory();
        await new DatabaseInitializer(factory, NullLogger<DatabaseInitializer>.Instance).InitializeAsync(demoSessions: 0);

        var reports = new List<BulkSeedResult>();
        var result = await new BulkSeeder(factory).SeedAsync(3_000_000, new SynchronousProgress<BulkSeedResult>(reports.Add));

        Assert.InRange(result.EstimatedJsonBytes, 3_000_000, 3_200_000);
        Assert.NotEmpty(reports);
        await using var context = await factory.CreateDbContextAsync();
        Assert.Equal(result.Sessions, await context.Sessions.CountAsync());
        Assert.Equal(result.Messages, await context.Messages.CountAsync());
        var sample = await context.Sessions.AsNoTracking().Include(s => s.Messages).ThenInclude(m => m.ToolCalls)
            .OrderBy(s => s.CreatedAt).FirstAsync(s => s.Messages.Count > 0);
        Assert.Equal(DateTimeKind.Utc, sample.CreatedAt.Kind);
        Assert.Equal(sample.Messages.Count, sample.Messages.Select(m => m.Order).Distinct().Count());
        Assert.True(await context.Sessions.CountAsync(s => s.CreatedAt >= new DateTime(2026, 1, 6, 0, 0, 0, DateTimeKind.Utc)) > 0);
    }

    private PooledDbContextFactory<ExportStudioDbContext> CreateFactory() =>
        new(new DbContextOptionsBuilder<ExportStudioDbContext>().UseExportStudioSqlite(_directory.Combine("demo.db")).Options);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }
}

/// <summary>An IProgress that reports on the caller's thread, so a test sees every report before it asserts.</summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
