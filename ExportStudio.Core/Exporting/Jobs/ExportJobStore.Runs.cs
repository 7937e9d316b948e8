using ExportStudio.Core.Data;
using ExportStudio.Core.Exporting.Pipeline;
using ExportStudio.Core.Exporting.Schedules;
using Microsoft.EntityFrameworkCore;

namespace ExportStudio.Core.Exporting.Jobs;

/// <summary>A claim on a running job: who holds it, and which attempt (claims of the same job are numbered).</summary>
public sealed record JobLease(Guid JobId, string Owner, int Attempt);

/// <summary>What the owner's heartbeat learned: whether the lease still holds, and whether the job was asked to stop or go.</summary>
public readonly record struct LeaseRenewal(bool Held, bool CancelRequested, bool DeleteRequested);

/// <summary>A running job whose lease has passed: its owner is presumed gone.</summary>
public sealed record ExpiredRun(Guid JobId, int Attempts, bool CancelRequested, bool DeleteRequested, string? FileName);

public sealed partial class ExportJobStore
{
    /// <summary>Claims the oldest queued job for <paramref name="owner"/> under a fresh lease; null when none is waiting.</summary>
    public async Task<JobLease?> ClaimNextAsync(string owner, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        while (true)
        {
            var candidate = await db.ExportJobs().AsNoTracking()
                .Where(j => j.Status == ExportJobStatus.Queued)
                .OrderBy(j => j.CreatedAt)
                .Select(j => new { j.Id, j.Attempts })
                .FirstOrDefaultAsync(cancellationToken);
            if (candidate is null)
            {
                return null;
            }
            var now = Now;
            var expires = now + lease;
            var claimed = await Update(db, candidate.Id, j => j.Status == ExportJobStatus.Queued && j.Attempts == candidate.Attempts, j => j
                .SetProperty(x => x.Status, ExportJobStatus.Running)
                .SetProperty(x => x.Stage, ExportStage.Preparing)
                .SetProperty(x => x.StartedAt, now)
                .SetProperty(x => x.Attempts, x => x.Attempts + 1)
                .SetProperty(x => x.ClaimedBy, owner)
                .SetProperty(x => x.LeaseExpiresAt, expires), cancellationToken);
            if (claimed)
            {
                return new JobLease(candidate.Id, owner, candidate.Attempts + 1);
            }
            // Another instance, or a cancel, got there first: look again.
        }
    }

    /// <summary>The heartbeat: extends the lease if this owner still holds it, and reads the job's stop flags.</summary>
    public async Task<LeaseRenewal> RenewAsync(JobLease lease, TimeSpan duration, CancellationToken cancellationToken)
    {
        var expires = Now + duration;
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (!await Update(db, lease.JobId, Holds(lease), j => j.SetProperty(x => x.LeaseExpiresAt, expires), cancellationToken))
        {
            return new LeaseRenewal(false, false, false);
        }
        var flags = await db.ExportJobs().Where(j => j.Id == lease.JobId)
            .Select(j => new { j.CancelRequested, j.DeleteRequested })
            .SingleAsync(cancellationToken);
        return new LeaseRenewal(true, flags.CancelRequested, flags.DeleteRequested);
    }

    /// <summary>The live figures of a running job, so a job read from another process shows where it is.</summary>
    public async Task SaveProgressAsync(JobLease lease, ExportProgress progress, int sessions, int messages, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await Update(db, lease.JobId, Holds(lease), j => WithProgress(j, progress)
            .SetProperty(x => x.SessionCount, sessions)
            .SetProperty(x => x.MessageCount, messages), cancellationToken);
    }

    /// <summary>
    /// How a run ended: its last progress, what it selected (when it got that far), and for a completed one
    /// its file, and the dictionary its frames name. False when this owner no longer holds the job (another
    /// instance took it over).
    /// </summary>
    public async Task<bool> SaveOutcomeAsync(JobLease lease, ExportProgress final, int? sessions, int? messages, ExportResult? result, CancellationToken cancellationToken)
    {
        var now = Now;
        // Plain values, so that the statement carries parameters and nothing is evaluated against a null result.
        var (fileName, contentType) = (result?.FileName, result?.ContentType);
        var (original, stored, sha256) = (result?.Stats.OriginalBytes, result?.Stats.StoredBytes, result?.Stats.Sha256);
        var (incrementTo, deleted) = (result?.Increment?.ToSequence, result?.Increment?.DeletedSessionIds.Count);
        // 0 is zstd's own "names no dictionary": a completed run says so, where null stays "not known" (a run from before this was recorded).
        var noDictionary = result is not null && result.Dictionary is null ? 0u : (uint?)null;
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var saved = await Update(db, final.JobId, Holds(lease), j => WithProgress(j, final)
            .SetProperty(x => x.Status, final.Status)
            .SetProperty(x => x.Error, final.Error)
            .SetProperty(x => x.CompletedAt, now)
            .SetProperty(x => x.ClaimedBy, (string?)null)
            .SetProperty(x => x.LeaseExpiresAt, (DateTime?)null)
            .SetProperty(x => x.SessionCount, x => sessions ?? x.SessionCount)
            .SetProperty(x => x.MessageCount, x => messages ?? x.MessageCount)
            .SetProperty(x => x.FileName, fileName)
            .SetProperty(x => x.ContentType, contentType)
            .SetProperty(x => x.OriginalBytes, original)
            .SetProperty(x => x.StoredBytes, stored)
            .SetProperty(x => x.Sha256, sha256)
            .SetProperty(x => x.IncrementTo, incrementTo)
            .SetProperty(x => x.DeletedSessionCount, deleted)
            .SetProperty(x => x.FrameDictionaryId, noDictionary), cancellationToken);
        if (saved && final.Status == ExportJobStatus.Completed && result?.Dictionary is { } dictionary)
        {
            await SaveDictionaryUseAsync(db, final.JobId, dictionary, now, cancellationToken);
        }
        if (saved && final.Status == ExportJobStatus.Completed && incrementTo is { } to)
        {
            // The run and its schedule's watermark move together: a crash between the two would send the
            // run's changes again (or, the other way round, lose them).
            // Compare and set: only a run that started where the chain stands continues it.
            var run = await db.ExportJobs().Where(j => j.Id == final.JobId).Select(j => new { j.ScheduleId, j.IncrementFrom }).SingleAsync(cancellationToken);
            await db.Set<ExportSchedule>()
                .Where(s => s.Id == run.ScheduleId && s.Mode == ScheduleMode.Incremental && s.Watermark == run.IncrementFrom)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.Watermark, to), cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return saved;
    }

    /// <summary>
    /// Records which dictionary the run's frames name. A dictionary a schedule's run trained becomes the
    /// schedule's, in the same transaction as the run's outcome, like the watermark: a failed or cancelled
    /// run leaves the schedule's dictionary where it was.
    /// </summary>
    private static async Task SaveDictionaryUseAsync(ExportStudioDbContext db, Guid jobId, DictionaryUse use, DateTime now, CancellationToken cancellationToken)
    {
        var keptId = use.KeptId;
        var scheduleId = await db.ExportJobs().Where(j => j.Id == jobId).Select(j => j.ScheduleId).SingleAsync(cancellationToken);
        if (use.Trained && scheduleId is not null)
        {
            var row = new ScheduleDictionary
            {
                Id = Guid.CreateVersion7(now),
                DictionaryId = use.Dictionary.Id,
                CreatedAt = now,
                Size = use.Dictionary.Content.Length,
                ScheduleId = scheduleId,
                TrainedByJobId = jobId,
                TrainedOnSessions = use.Dictionary.TrainedOnSessions,
                TrainedRatio = use.Ratio,
                TrainedGain = use.Gain,
                Content = use.Dictionary.Content,
            };
            db.Set<ScheduleDictionary>().Add(row);
            await db.SaveChangesAsync(cancellationToken);
            keptId = row.Id;
        }
        var (frameId, ratio, trained) = ((uint?)use.Dictionary.Id, (double?)use.Ratio, use.Trained);
        await db.ExportJobs().Where(j => j.Id == jobId).ExecuteUpdateAsync(j => j
            .SetProperty(x => x.KeptDictionaryId, keptId)
            .SetProperty(x => x.FrameDictionaryId, frameId)
            .SetProperty(x => x.DictionaryRatio, ratio)
            .SetProperty(x => x.DictionaryTrained, trained), cancellationToken);
    }

    /// <summary>A graceful stop gives the claim back: the job waits in the queue again, and the attempt does not count.</summary>
    public async Task<bool> ReleaseAsync(JobLease lease, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await Update(db, lease.JobId, Holds(lease), j => Requeue(j, "Interrupted by a restart; queued to run again.")
            .SetProperty(x => x.Attempts, x => x.Attempts - 1), cancellationToken);
    }

    /// <summary>The owner of a job being deleted removes it once its run has stopped.</summary>
    public async Task<bool> DeleteOwnedAsync(JobLease lease, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.ExportJobs().Where(j => j.Id == lease.JobId).Where(Holds(lease)).ExecuteDeleteAsync(cancellationToken) == 1;
    }

    /// <summary>Running jobs whose lease is alive, with the attempt that holds each: their partial files are being written.</summary>
    public async Task<List<JobLease>> ListLiveClaimsAsync(CancellationToken cancellationToken)
    {
        var now = Now;
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.ExportJobs().AsNoTracking()
            .Where(j => j.Status == ExportJobStatus.Running && j.LeaseExpiresAt != null && j.LeaseExpiresAt >= now)
            .Select(j => new { j.Id, j.ClaimedBy, j.Attempts })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new JobLease(r.Id, r.ClaimedBy ?? "", r.Attempts)).ToList();
    }

    /// <summary>Running jobs whose lease has passed (or that never had one: rows from before leases existed).</summary>
    public async Task<List<ExpiredRun>> ListExpiredAsync(CancellationToken cancellationToken)
    {
        var now = Now;
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.ExportJobs().AsNoTracking()
            .Where(j => j.Status == ExportJobStatus.Running && (j.LeaseExpiresAt == null || j.LeaseExpiresAt < now))
            .Select(j => new { j.Id, j.Attempts, j.CancelRequested, j.DeleteRequested, j.FileName })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new ExpiredRun(r.Id, r.Attempts, r.CancelRequested, r.DeleteRequested, r.FileName)).ToList();
    }

    /// <summary>
    /// Takes over an expired run: deleted if its deletion was asked for, cancelled if its cancel was,
    /// failed after <paramref name="maxAttempts"/> claims, otherwise queued again. Conditional on the lease
    /// still being expired, so an owner that renewed in the meantime keeps its job. Returns what was done.
    /// </summary>
    public async Task<RunTakeover> TakeOverAsync(ExpiredRun run, int maxAttempts, CancellationToken cancellationToken)
    {
        var now = Now;
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var expired = db.ExportJobs().Where(j => j.Id == run.JobId && j.Status == ExportJobStatus.Running && j.Attempts == run.Attempts
            && (j.LeaseExpiresAt == null || j.LeaseExpiresAt < now));
        if (run.DeleteRequested)
        {
            return await expired.ExecuteDeleteAsync(cancellationToken) == 1 ? RunTakeover.Deleted : RunTakeover.None;
        }
        var (outcome, changed) = (run.CancelRequested, run.Attempts >= maxAttempts) switch
        {
            (true, _) => (RunTakeover.Cancelled, await expired.ExecuteUpdateAsync(j => End(j, ExportJobStatus.Cancelled, "Cancelled.", null, now), cancellationToken)),
            (_, true) => (RunTakeover.Failed, await expired.ExecuteUpdateAsync(j => End(j, ExportJobStatus.Failed, null,
                "The export was interrupted (its server stopped or lost contact) and did not finish after a retry. Start it again.", now), cancellationToken)),
            _ => (RunTakeover.Requeued, await expired.ExecuteUpdateAsync(j => Requeue(j, "Interrupted (its server stopped or lost contact); queued to run again."), cancellationToken)),
        };
        return changed == 1 ? outcome : RunTakeover.None;
    }

    private static System.Linq.Expressions.Expression<Func<ExportJob, bool>> Holds(JobLease lease) =>
        j => j.Status == ExportJobStatus.Running && j.ClaimedBy == lease.Owner && j.Attempts == lease.Attempt;

    private static Microsoft.EntityFrameworkCore.Query.UpdateSettersBuilder<ExportJob> Requeue(Microsoft.EntityFrameworkCore.Query.UpdateSettersBuilder<ExportJob> job, string message) => job
        .SetProperty(x => x.Status, ExportJobStatus.Queued)
        .SetProperty(x => x.Stage, ExportStage.Queued)
        .SetProperty(x => x.Percent, 0)
        .SetProperty(x => x.BytesIn, 0)
        .SetProperty(x => x.BytesOut, 0)
        .SetProperty(x => x.ProgressMessage, message)
        .SetProperty(x => x.ClaimedBy, (string?)null)
        .SetProperty(x => x.LeaseExpiresAt, (DateTime?)null);

    private static Microsoft.EntityFrameworkCore.Query.UpdateSettersBuilder<ExportJob> End(
        Microsoft.EntityFrameworkCore.Query.UpdateSettersBuilder<ExportJob> job, ExportJobStatus status, string? message, string? error, DateTime now) => job
        .SetProperty(x => x.Status, status)
        .SetProperty(x => x.ProgressMessage, message ?? error)
        .SetProperty(x => x.Error, error)
        .SetProperty(x => x.CompletedAt, now)
        .SetProperty(x => x.ClaimedBy, (string?)null)
        .SetProperty(x => x.LeaseExpiresAt, (DateTime?)null);
}

public enum RunTakeover
{
    /// <summary>Nothing: the lease was renewed, or another instance took the run over first.</summary>
    None,
    Requeued,
    Failed,
    Cancelled,
    Deleted,
}
