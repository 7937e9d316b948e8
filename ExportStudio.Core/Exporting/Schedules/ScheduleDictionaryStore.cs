using ExportStudio.Core.Compression.Archives;
using ExportStudio.Core.Data;
using ExportStudio.Core.Exporting.Jobs;
using ExportStudio.Core.Exporting.Pipeline;
using Microsoft.EntityFrameworkCore;

namespace ExportStudio.Core.Exporting.Schedules;

/// <summary>
/// The dictionaries schedules keep: the one a run starts from, one by its id for download, one by the id a
/// frame names for import and decompression, and the housekeeping that lets a dictionary go once nothing
/// needs it. A schedule's dictionary is its newest one not retired; older ones stay while a job names one.
/// </summary>
public sealed class ScheduleDictionaryStore(IDbContextFactory<ExportStudioDbContext> contextFactory, TimeProvider time)
{
    /// <summary>The dictionary the schedule's next run starts from, or null when it has none (yet, or since its export changed).</summary>
    public async Task<KeptDictionary?> FindCurrentAsync(Guid scheduleId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.Set<ScheduleDictionary>().AsNoTracking()
            .Where(d => d.ScheduleId == scheduleId && d.RetiredAt == null)
            .OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id)
            .FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : new KeptDictionary(row.Id, ZstdDictionary.Load(row.Content, row.TrainedOnSessions), row.TrainedGain, row.CreatedAt);
    }

    public async Task<ScheduleDictionary?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<ScheduleDictionary>().AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, cancellationToken);
    }

    /// <summary>
    /// The bytes of a kept dictionary whose zstd id is <paramref name="dictionaryId"/>, newest first when
    /// two schedules' dictionaries share one (zstd ids are 31-bit hashes; a wrong one fails the frame's checksum).
    /// </summary>
    public async Task<byte[]?> FindContentAsync(uint dictionaryId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<ScheduleDictionary>().AsNoTracking()
            .Where(d => d.DictionaryId == dictionaryId)
            .OrderByDescending(d => d.CreatedAt)
            .Select(d => d.Content)
            .FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>The schedule's export changed: what its dictionaries learned no longer describes it, so its next run trains afresh.</summary>
    public async Task RetireAsync(Guid scheduleId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await db.Set<ScheduleDictionary>().Where(d => d.ScheduleId == scheduleId && d.RetiredAt == null)
            .ExecuteUpdateAsync(d => d.SetProperty(x => x.RetiredAt, now), cancellationToken);
    }

    /// <summary>
    /// Deletes the dictionaries nothing needs: no job names it, and its schedule has moved on (a newer
    /// dictionary, a changed export, or the schedule is gone) with no run under way that may have started
    /// from it. Returns how many went.
    /// </summary>
    public async Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var dictionaries = db.Set<ScheduleDictionary>();
        var jobs = db.ExportJobs();
        return await dictionaries
            .Where(d => !jobs.Any(j => j.KeptDictionaryId == d.Id))
            .Where(d => d.ScheduleId == null || d.RetiredAt != null
                || dictionaries.Any(newer => newer.ScheduleId == d.ScheduleId && newer.RetiredAt == null && newer.CreatedAt > d.CreatedAt))
            .Where(d => !jobs.Any(j => j.ScheduleId == d.ScheduleId && (j.Status == ExportJobStatus.Queued || j.Status == ExportJobStatus.Running)))
            .ExecuteDeleteAsync(cancellationToken);
    }
}
