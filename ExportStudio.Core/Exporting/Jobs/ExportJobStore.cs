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
public sealed class ExportJobStore(IDbContextFactory<ExportStudioDbContext> contextFactory, TimeProvider time)
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
    public async Task<(List<ExportJob> Items, int Total)> ListAsync(int page, int pageSize, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var total = await db.ExportJobs().CountAsync(cancellationToken);
        var items = await db.ExportJobs().AsNoTracking()
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

    /// <summary>Claims the oldest queued job for <paramref name="instance"/>; null when none is waiting.</summary>
    public async Task<Guid?> ClaimNextAsync(string instance, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        while (true)
        {
            var candidate = await db.ExportJobs().AsNoTracking()
                .Where(j => j.Status == ExportJobStatus.Queued)
                .OrderBy(j => j.CreatedAt)
                .Select(j => (Guid?)j.Id)
                .FirstOrDefaultAsync(cancellationToken);
            if (candidate is null)
            {
                return null;
            }
            var now = Now;
            var claimed = await Update(db, candidate.Value, j => j.Status == ExportJobStatus.Queued, j => j
                .SetProperty(x => x.Status, ExportJobStatus.Running)
                .SetProperty(x => x.Stage, ExportStage.Preparing)
                .SetProperty(x => x.StartedAt, now)
                .SetProperty(x => x.Attempts, x => x.Attempts + 1)
                .SetProperty(x => x.ClaimedBy, instance), cancellationToken);
            if (claimed)
            {
                return candidate;
            }
            // Another instance, or a cancel, got there first: look again.
        }
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

    /// <summary>Asks a running job to stop: its runner reads the flag; false when it was not running.</summary>
    public async Task<bool> RequestCancelAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await Update(db, jobId, j => j.Status == ExportJobStatus.Running, j => j.SetProperty(x => x.CancelRequested, true), cancellationToken);
    }

    public async Task<bool> IsCancelRequestedAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.ExportJobs().Where(j => j.Id == jobId).Select(j => j.CancelRequested).SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>The live figures of a running job, so a job read from another process shows where it is.</summary>
    public async Task SaveProgressAsync(ExportProgress progress, int sessions, int messages, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await Update(db, progress.JobId, j => j.Status == ExportJobStatus.Running, j => WithProgress(j, progress)
            .SetProperty(x => x.SessionCount, sessions)
            .SetProperty(x => x.MessageCount, messages), cancellationToken);
    }

    /// <summary>How a run ended: its last progress, what it selected (when it got that far), and for a completed one its file.</summary>
    public async Task SaveOutcomeAsync(ExportProgress final, int? sessions, int? messages, ExportResult? result)
    {
        var now = Now;
        // Plain values, so that the statement carries parameters and nothing is evaluated against a null result.
        var (fileName, contentType) = (result?.FileName, result?.ContentType);
        var (original, stored, sha256) = (result?.Stats.OriginalBytes, result?.Stats.StoredBytes, result?.Stats.Sha256);
        await using var db = await contextFactory.CreateDbContextAsync(CancellationToken.None);
        await Update(db, final.JobId, _ => true, j => WithProgress(j, final)
            .SetProperty(x => x.Status, final.Status)
            .SetProperty(x => x.Error, final.Error)
            .SetProperty(x => x.CompletedAt, now)
            .SetProperty(x => x.ClaimedBy, (string?)null)
            .SetProperty(x => x.SessionCount, x => sessions ?? x.SessionCount)
            .SetProperty(x => x.MessageCount, x => messages ?? x.MessageCount)
            .SetProperty(x => x.FileName, fileName)
            .SetProperty(x => x.ContentType, contentType)
            .SetProperty(x => x.OriginalBytes, original)
            .SetProperty(x => x.StoredBytes, stored)
            .SetProperty(x => x.Sha256, sha256), CancellationToken.None);
    }

    /// <summary>
    /// After a crash: running jobs started <paramref name="maxAttempts"/> times (or asked to cancel) end failed
    /// (or cancelled); the others go back to the queue. Returns both counts.
    /// </summary>
    public async Task<(int Ended, int Requeued)> RecoverInterruptedAsync(int maxAttempts, CancellationToken cancellationToken)
    {
        var now = Now;
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var ended = await db.ExportJobs()
            .Where(j => j.Status == ExportJobStatus.Running && (j.Attempts >= maxAttempts || j.CancelRequested))
            .ExecuteUpdateAsync(j => j
                .SetProperty(x => x.Status, x => x.CancelRequested ? ExportJobStatus.Cancelled : ExportJobStatus.Failed)
                .SetProperty(x => x.Error, x => x.CancelRequested ? null : "The export was interrupted by a server restart and did not finish after a retry. Start it again.")
                .SetProperty(x => x.CompletedAt, now)
                .SetProperty(x => x.ClaimedBy, (string?)null), cancellationToken);
        var requeued = await db.ExportJobs()
            .Where(j => j.Status == ExportJobStatus.Running)
            .ExecuteUpdateAsync(j => j
                .SetProperty(x => x.Status, ExportJobStatus.Queued)
                .SetProperty(x => x.Stage, ExportStage.Queued)
                .SetProperty(x => x.Percent, 0)
                .SetProperty(x => x.BytesIn, 0)
                .SetProperty(x => x.BytesOut, 0)
                .SetProperty(x => x.ProgressMessage, "Interrupted by a restart; queued to run again.")
                .SetProperty(x => x.ClaimedBy, (string?)null), cancellationToken);
        return (ended, requeued);
    }

    /// <summary>Finished jobs created before <paramref name="cutoff"/>, with their files.</summary>
    public async Task<List<(Guid Id, string? FileName)>> ListFinishedBeforeAsync(DateTime cutoff, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.ExportJobs().AsNoTracking()
            .Where(j => j.CreatedAt < cutoff && j.Status != ExportJobStatus.Running && j.Status != ExportJobStatus.Queued)
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

    private static UpdateSettersBuilder<ExportJob> WithProgress(UpdateSettersBuilder<ExportJob> job, ExportProgress progress) => job
        .SetProperty(x => x.Stage, progress.Stage)
        .SetProperty(x => x.Percent, progress.Percent)
        .SetProperty(x => x.ProgressMessage, progress.Message)
        .SetProperty(x => x.BytesIn, progress.BytesIn)
        .SetProperty(x => x.BytesOut, progress.BytesOut);

    private static async Task<bool> Update(ExportStudioDbContext db, Guid jobId, System.Linq.Expressions.Expression<Func<ExportJob, bool>> condition,
        Action<UpdateSettersBuilder<ExportJob>> setters, CancellationToken cancellationToken) =>
        await db.ExportJobs().Where(j => j.Id == jobId).Where(condition).ExecuteUpdateAsync(setters, cancellationToken) == 1;
}

/// <summary>The job table, reached from the context without the data room knowing about jobs.</summary>
public static class ExportJobSet
{
    public static DbSet<ExportJob> ExportJobs(this ExportStudioDbContext db) => db.Set<ExportJob>();
}
