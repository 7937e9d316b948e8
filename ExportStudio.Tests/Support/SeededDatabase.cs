using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExportStudio.Tests.Support;

/// <summary>
/// A database of generated sessions sized by the bytes of their JSON export, built once per test class
/// (as a class fixture) and copied for each test that needs its own.
/// </summary>
public abstract class SeededDatabase(long jsonBytes) : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();

    public string Path => _directory.Combine("seeded.db");

    public async Task InitializeAsync()
    {
        var factory = new PooledDbContextFactory<ExportStudioDbContext>(
            new DbContextOptionsBuilder<ExportStudioDbContext>().UseExportStudioSqlite(Path).Options);
        await new DatabaseInitializer(factory, NullLogger<DatabaseInitializer>.Instance).InitializeAsync(0);
        await new BulkSeeder(factory).SeedAsync(jsonBytes);
        await using var db = await factory.CreateDbContextAsync();
        await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);");
        SqliteConnection.ClearAllPools();
    }

    /// <summary>A private copy of the database in <paramref name="directory"/>.</summary>
    public string CopyTo(string directory)
    {
        Directory.CreateDirectory(directory);
        var copy = System.IO.Path.Combine(directory, "exportstudio.db");
        File.Copy(Path, copy);
        return copy;
    }

    public Task DisposeAsync()
    {
        _directory.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>About 40 MB of session JSON: big enough for an export to be caught mid-run.</summary>
public sealed class FortyMegabyteDatabase() : SeededDatabase(40_000_000);
