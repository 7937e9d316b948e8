using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using ExportStudio.Core.Data.DemoData;

namespace ExportStudio.Core.Data;

/// <summary>Brings a database to the current schema and seeds demo data into an empty one.</summary>
public sealed class DatabaseInitializer(IDbContextFactory<ExportStudioDbContext> contextFactory, ILogger<DatabaseInitializer> logger)
{
    public async Task InitializeAsync(int demoSessions, CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (context.Database.IsSqlite())
        {
            await ExportStudioSqlite.UseProductPageSizeIfNewAsync(context.Database, cancellationToken);
        }
        await context.Database.MigrateAsync(cancellationToken);

        // WAL lets history reads and health checks proceed while an export streams sessions.
        // The mode is persistent in the file, so setting it once at start-up is enough.
        if (context.Database.IsSqlite())
        {
            await context.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        await SeedDemoDataAsync(context, demoSessions, cancellationToken);
    }

    private async Task SeedDemoDataAsync(ExportStudioDbContext context, int demoSessions, CancellationToken cancellationToken)
    {
        if (demoSessions <= 0 || await context.Sessions.AnyAsync(cancellationToken))
        {
            return;
        }

        // One transaction: a crash mid-seed leaves an empty database that is seeded again next start,
        // never a half-seeded one that would be skipped.
        await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken);
        var generator = new DemoDataGenerator();
        foreach (var batch in generator.Generate(demoSessions).Chunk(100))
        {
            context.Sessions.AddRange(batch);
            await context.SaveChangesAsync(cancellationToken);
            context.ChangeTracker.Clear();
        }
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Seeded {Count} demo sessions into the empty database.", demoSessions);
    }
}
