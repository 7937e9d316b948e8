using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;
using ExportStudio.Core.Data;
using ExportStudio.Core.Exporting.Pipeline;

namespace ExportStudio.Core.Exporting.Jobs;

/// <summary>
/// The one place job rows are read and changed. Every change is one conditional statement in the database
/// (<c>ExecuteUpdate</c> / <c>ExecuteDelete</c>), so the worker, the runner and the service of several
/// instances can share the table without a lock held in memory.
/// </summary>
public sealed partial class ExportJobStore(IDbContextFactory<ExportStudioDbContext> contextFactory, TimeProvider time)
{
    private DateTime Now => time.GetUtcNow().UtcDateTime;

    public async Task AddAsync(ExportJob job, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        db.ExportJobs().Add(job);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<ExportJob?> FindAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.ExportJobs().AsNoTracking().SingleOrDefaultAsync(j => j.Id == jobId, cancellationToken);
    }

    /// <summary>One page of history, newest first, and how many jobs there are.</summary>
    public async Task<(List<ExportJob> Items, int Total)> ListAsync(int page, int pageSize, Guid? scheduleId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var jobs = scheduleId is { } id ? db.ExportJobs().Where(j => j.ScheduleId == id) : db.ExportJobs();
        var total = await jobs.CountAsync(cancellationToken);
        var items = await jobs.AsNoTracking()
            .OrderByDescending(j => j.CreatedAt).ThenByDescending(j => j.Id)
            .TakePage(page, pageSize)
            .ToListAsync(cancellationToken);
        return (items, total);
    }

    public async Task<ExportJobStatus?> FindStatusAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.ExportJobs().Where(j => j.Id == jobId).Select(j => (ExportJobStatus?)j.Status).SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>A queued job cancelled before it ran; false when it was no longer queued.</summary>
    public async Task<bool> CancelQueuedAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var now = Now;
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await Update(db, jobId, j => j.Status == ExportJobStatus.Queued, j => j
            .SetProperty(x => x.Status, ExportJobStatus.Cancelled)
            .SetProperty(x => x.CancelRequested, true)
            .SetProperty(x => x.ProgressMessage, "Cancelled.")
            .SetProperty(x => x.CompletedAt, now), cancellationToken);
    }

    /// <summary>Asks a running job to stop (and with <paramref name="delete"/> to go): its owner's heartbeat reads the flags; false when it was not running.</summary>
    public async Task<bool> RequestCancelAsync(Guid jobId, bool delete, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await Update(db, jobId, j => j.Status == ExportJobStatus.Running, j => j
            .SetProperty(x => x.CancelRequested, true)
            .SetProperty(x => x.DeleteRequested, x => x.DeleteRequested || delete), cancellationToken);
    }

    /// <summary>
    /// Finished jobs created before <paramref name="cutoff"/>, with their files; runs of a schedule are left
    /// out, as their schedule's <c>keep</c> decides how long they stay.
    /// </summary>
    public async Task<List<(Guid Id, string? FileName)>> ListFinishedBeforeAsync(DateTime cutoff, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.ExportJobs().AsNoTracking()
            .Where(j => j.CreatedAt < cutoff && j.Status != ExportJobStatus.Running && j.Status != ExportJobStatus.Queued && j.ScheduleId == null)
            .Select(j => new { j.Id, j.FileName })
            .ToListAsync(cancellationToken);
        return rows.Select(r => (r.Id, r.FileName)).ToList();
    }

    /// <summary>The file names jobs own, so housekeeping never touches them.</summary>
    public async Task<HashSet<string>> ListFileNamesAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return (await db.ExportJobs().Where(j => j.FileName != null).Select(j => j.FileName!).ToListAsync(cancellationToken)).ToHashSet();
    }

    public async Task<bool> DeleteAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.ExportJobs().Where(j => j.Id == jobId).ExecuteDeleteAsync(cancellationToken) == 1;
    }

    internal static UpdateSettersBuilder<ExportJob> WithProgress(UpdateSettersBuilder<ExportJob> job, ExportProgress progress) => job
        .SetProperty(x => x.Stage, progress.Stage)
        .SetProperty(x => x.Percent, progress.Percent)
        .SetProperty(x => x.ProgressMessage, progress.Message)
        .SetProperty(x => x.BytesIn, progress.BytesIn)
        .SetProperty(x => x.BytesOut, progress.BytesOut);

    internal static async Task<bool> Update(ExportStudioDbContext db, Guid jobId, System.Linq.Expressions.Expression<Func<ExportJob, bool>> condition,
        Action<UpdateSettersBuilder<ExportJob>> setters, CancellationToken cancellationToken) =>
        await db.ExportJobs().Where(j => j.Id == jobId).Where(condition).ExecuteUpdateAsync(setters, cancellationToken) == 1;
}

/// <summary>The job table, reached from the context without the data room knowing about jobs.</summary>
public static class ExportJobSet
{
    public static DbSet<ExportJob> ExportJobs(this ExportStudioDbContext db) => db.Set<ExportJob>();
}
