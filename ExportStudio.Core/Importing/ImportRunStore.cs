using ExportStudio.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ExportStudio.Core.Importing;

/// <summary>The one place import runs and their pending sessions are read and changed.</summary>
public sealed class ImportRunStore(IDbContextFactory<ExportStudioDbContext> contextFactory, TimeProvider time)
{
    /// <summary>Sessions removed per statement when an import is undone: each delete is a short transaction.</summary>
    private const int DeleteChunk = 500;

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    public async Task<ImportRun> StartAsync(string owner, TimeSpan lease, CancellationToken cancellationToken)
    {
        var run = new ImportRun { Id = Guid.NewGuid(), Owner = owner, StartedAt = Now, LeaseExpiresAt = Now + lease };
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        db.Set<ImportRun>().Add(run);
        await db.SaveChangesAsync(cancellationToken);
        return run;
    }

    /// <summary>The heartbeat; false when the run is gone (taken over as dead by a sweep).</summary>
    public async Task<bool> RenewAsync(ImportRun run, TimeSpan lease, CancellationToken cancellationToken)
    {
        var expires = Now + lease;
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken);
        // The import's chunks wait in the write-ahead log for the one checkpoint at its end. This commit
        // would otherwise start SQLite's automatic checkpoint every second, copying them into the database
        // (and syncing it) while the import goes on.
        await db.Database.ExecuteSqlRawAsync("PRAGMA wal_autocheckpoint = 0;", cancellationToken);
        try
        {
            return await db.Set<ImportRun>().Where(r => r.Id == run.Id && r.Owner == run.Owner)
                .ExecuteUpdateAsync(r => r.SetProperty(x => x.LeaseExpiresAt, expires), cancellationToken) == 1;
        }
        finally
        {
            // The connection goes back to the pool with SQLite's default.
            await db.Database.ExecuteSqlRawAsync("PRAGMA wal_autocheckpoint = 1000;", CancellationToken.None);
        }
    }

    /// <summary>Runs whose owner stopped beating: their pending sessions are nobody's.</summary>
    public async Task<List<ImportRun>> ListExpiredAsync(CancellationToken cancellationToken)
    {
        var now = Now;
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<ImportRun>().AsNoTracking().Where(r => r.LeaseExpiresAt < now).ToListAsync(cancellationToken);
    }

    /// <summary>Undoes a run: its pending sessions (with their messages) go in short deletes, then the run itself.</summary>
    public async Task UndoAsync(ImportRun run, CancellationToken cancellationToken)
    {
        var marker = run.Marker;
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        while (true)
        {
            var chunk = await db.Sessions.IgnoreQueryFilters().Where(s => s.PendingImport == marker).Select(s => s.Id).Take(DeleteChunk).ToListAsync(cancellationToken);
            if (chunk.Count == 0)
            {
                break;
            }
            await db.Sessions.IgnoreQueryFilters().Where(s => chunk.Contains(s.Id)).ExecuteDeleteAsync(cancellationToken);
        }
        await db.Set<ImportRun>().Where(r => r.Id == run.Id).ExecuteDeleteAsync(cancellationToken);
    }
}
