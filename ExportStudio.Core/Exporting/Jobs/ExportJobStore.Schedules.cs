using ExportStudio.Core.Exporting.Schedules;
using Microsoft.EntityFrameworkCore;

namespace ExportStudio.Core.Exporting.Jobs;

/// <summary>How the claim of a schedule's slot went.</summary>
public enum SlotClaim
{
    /// <summary>This instance claimed the slot and queued its run.</summary>
    Claimed,

    /// <summary>The slot was claimed, but the schedule's previous run is still queued or running: no run for this slot.</summary>
    Busy,

    /// <summary>Another instance claimed the slot first (or the schedule changed or went): nothing was done.</summary>
    Lost,
}

public sealed partial class ExportJobStore
{
    /// <summary>
    /// Claims the slot <paramref name="slot"/> of the job's schedule and queues the job for it, in one
    /// transaction: the schedule moves on to <paramref name="nextSlot"/> only if its next run was still
    /// <paramref name="slot"/> (so of several instances exactly one wins), and the unique index on
    /// (schedule, slot) refuses a second run for a slot whatever happens. A schedule whose previous run has
    /// not finished moves on without a run: runs of one schedule never overlap, so increments chain.
    /// </summary>
    public async Task<SlotClaim> AddScheduledRunAsync(ExportJob job, DateTime slot, DateTime? nextSlot, CancellationToken cancellationToken)
    {
        var scheduleId = job.ScheduleId ?? throw new ArgumentException("A scheduled run belongs to a schedule.", nameof(job));
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var moved = await db.Set<ExportSchedule>()
            .Where(s => s.Id == scheduleId && s.Enabled && s.NextRunAt == slot)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.NextRunAt, nextSlot), cancellationToken);
        if (moved != 1)
        {
            return SlotClaim.Lost;
        }
        if (await HasActiveRunAsync(db, scheduleId, cancellationToken))
        {
            await transaction.CommitAsync(cancellationToken);
            return SlotClaim.Busy;
        }
        db.ExportJobs().Add(job);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return SlotClaim.Claimed;
    }

    /// <summary>Queues a run started by hand, unless the schedule's previous run is still queued or running (false).</summary>
    public async Task<bool> AddManualRunAsync(ExportJob job, CancellationToken cancellationToken)
    {
        var scheduleId = job.ScheduleId ?? throw new ArgumentException("A schedule's run belongs to a schedule.", nameof(job));
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await HasActiveRunAsync(db, scheduleId, cancellationToken))
        {
            return false;
        }
        db.ExportJobs().Add(job);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>The schedule's queued or running run, if any.</summary>
    public async Task<ExportJob?> FindActiveRunAsync(Guid scheduleId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.ExportJobs().AsNoTracking()
            .Where(j => j.ScheduleId == scheduleId && (j.Status == ExportJobStatus.Queued || j.Status == ExportJobStatus.Running))
            .FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>The newest run of each of <paramref name="scheduleIds"/> (optionally only completed ones).</summary>
    public async Task<Dictionary<Guid, ExportJob>> FindLatestRunsAsync(IReadOnlyCollection<Guid> scheduleIds, bool completedOnly, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var runs = db.ExportJobs().AsNoTracking().Where(j => j.ScheduleId != null && scheduleIds.Contains(j.ScheduleId.Value));
        if (completedOnly)
        {
            runs = runs.Where(j => j.Status == ExportJobStatus.Completed);
        }
        var latest = await runs
            .GroupBy(j => j.ScheduleId)
            .Select(g => g.OrderByDescending(j => j.CreatedAt).ThenByDescending(j => j.Id).First())
            .ToListAsync(cancellationToken);
        return latest.ToDictionary(j => j.ScheduleId!.Value);
    }

    /// <summary>
    /// The finished runs of a schedule beyond what it keeps: completed runs past the newest
    /// <paramref name="keep"/>, and failed or cancelled runs older than the newest <paramref name="keep"/> runs.
    /// </summary>
    public async Task<List<Guid>> ListRunsBeyondKeepAsync(Guid scheduleId, int keep, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var finished = await db.ExportJobs().AsNoTracking()
            .Where(j => j.ScheduleId == scheduleId && j.Status != ExportJobStatus.Queued && j.Status != ExportJobStatus.Running)
            .OrderByDescending(j => j.CreatedAt).ThenByDescending(j => j.Id)
            .Select(j => new { j.Id, j.Status })
            .ToListAsync(cancellationToken);
        var completed = finished.Where(j => j.Status == ExportJobStatus.Completed).Skip(keep);
        var others = finished.Skip(keep).Where(j => j.Status != ExportJobStatus.Completed);
        return completed.Concat(others).Select(j => j.Id).ToList();
    }

    /// <summary>Every run of a schedule, for deleting the schedule with its runs.</summary>
    public async Task<List<Guid>> ListRunIdsAsync(Guid scheduleId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.ExportJobs().Where(j => j.ScheduleId == scheduleId).Select(j => j.Id).ToListAsync(cancellationToken);
    }

    private static Task<bool> HasActiveRunAsync(Data.ExportStudioDbContext db, Guid scheduleId, CancellationToken cancellationToken) =>
        db.ExportJobs().AnyAsync(j => j.ScheduleId == scheduleId && (j.Status == ExportJobStatus.Queued || j.Status == ExportJobStatus.Running), cancellationToken);
}
