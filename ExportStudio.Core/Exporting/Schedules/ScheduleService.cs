using ExportStudio.Core.Compression;
using Microsoft.EntityFrameworkCore;
using ExportStudio.Core.Data;
using ExportStudio.Core.Exporting.Jobs;

namespace ExportStudio.Core.Exporting.Schedules;

/// <summary>What the UI and the API do with schedules: create, read, change, delete, run now; and the runs of slots that have come.</summary>
public sealed class ScheduleService(
    IDbContextFactory<ExportStudioDbContext> contextFactory,
    ExportJobService jobs,
    ExportJobStore store,
    ScheduleDictionaryStore dictionaries,
    TimeProvider time)
{
    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>Checks and saves a schedule; its first run comes at its first slot. The problems by field otherwise.</summary>
    public async Task<ScheduleResult> CreateAsync(ScheduleDefinition definition, CancellationToken cancellationToken = default)
    {
        var errors = await ValidateAsync(definition, cancellationToken);
        if (errors.Count > 0)
        {
            return ScheduleResult.Invalid(errors);
        }
        var now = Now;
        var request = definition.Export.Normalize();
        var schedule = new ExportSchedule
        {
            Id = Guid.CreateVersion7(time.GetUtcNow()),
            Name = definition.Name.Trim(),
            CreatedAt = now,
        };
        Apply(schedule, definition with { Export = request }, now);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        db.Set<ExportSchedule>().Add(schedule);
        await db.SaveChangesAsync(cancellationToken);
        return ScheduleResult.Saved(new ScheduleView(schedule, null));
    }

    public async Task<List<ScheduleView>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var schedules = await db.Set<ExportSchedule>().AsNoTracking().OrderBy(s => s.CreatedAt).ThenBy(s => s.Id).ToListAsync(cancellationToken);
        var last = await store.FindLatestRunsAsync(schedules.ConvertAll(s => s.Id), completedOnly: false, cancellationToken);
        return schedules.ConvertAll(s => new ScheduleView(s, last.GetValueOrDefault(s.Id)));
    }

    /// <summary>Every schedule's name by id, in one query: History labels its runs with them on each refresh.</summary>
    public async Task<Dictionary<Guid, string>> ListNamesAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<ExportSchedule>().AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Name, cancellationToken);
    }

    public async Task<ScheduleView?> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var schedule = await db.Set<ExportSchedule>().AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (schedule is null)
        {
            return null;
        }
        var last = await store.FindLatestRunsAsync([id], completedOnly: false, cancellationToken);
        return new ScheduleView(schedule, last.GetValueOrDefault(id));
    }

    /// <summary>
    /// Changes a schedule as <paramref name="change"/> says. A new rhythm, or resuming, sets the next slot
    /// from now (time paused is not caught up); a new export or mode starts the chain again (the watermark
    /// goes), since changes already sent were chosen by the old settings; a new export also retires the
    /// schedule's dictionary, which learned from documents the schedule no longer makes.
    /// </summary>
    public async Task<ScheduleResult> UpdateAsync(Guid id, ScheduleDefinition definition, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var schedule = await db.Set<ExportSchedule>().SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (schedule is null)
        {
            return ScheduleResult.NotFound;
        }
        var errors = await ValidateAsync(definition, cancellationToken);
        if (errors.Count > 0)
        {
            return ScheduleResult.Invalid(errors);
        }
        var request = definition.Export.Normalize();
        var newExport = !SameExport(request, schedule.Request);
        var restart = newExport || definition.Mode != schedule.Mode;
        var retime = definition.Rhythm != schedule.Rhythm || definition.Enabled != schedule.Enabled;
        var next = schedule.NextRunAt;
        Apply(schedule, definition with { Export = request }, Now);
        if (!retime)
        {
            schedule.NextRunAt = next;
        }
        if (restart)
        {
            schedule.Watermark = null;
        }
        await db.SaveChangesAsync(cancellationToken);
        if (newExport)
        {
            await dictionaries.RetireAsync(id, cancellationToken);
        }
        var last = await store.FindLatestRunsAsync([id], completedOnly: false, cancellationToken);
        return ScheduleResult.Saved(new ScheduleView(schedule, last.GetValueOrDefault(id)));
    }

    /// <summary>Deletes a schedule; its runs stay in History unlabelled, or go with it (their files too).</summary>
    public async Task<bool> DeleteAsync(Guid id, bool withRuns, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        // Paused first, so no slot is claimed while the runs go.
        if (await db.Set<ExportSchedule>().Where(s => s.Id == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.Enabled, false).SetProperty(x => x.NextRunAt, (DateTime?)null), cancellationToken) == 0)
        {
            return false;
        }
        if (withRuns)
        {
            foreach (var run in await store.ListRunIdsAsync(id, cancellationToken))
            {
                await jobs.DeleteAsync(run, cancellationToken);
            }
        }
        await db.Set<ExportSchedule>().Where(s => s.Id == id).ExecuteDeleteAsync(cancellationToken);
        // Its dictionaries are no one's now; those its remaining runs name stay for their files.
        await dictionaries.PruneAsync(cancellationToken);
        return true;
    }

    /// <summary>Queues a run now, outside the rhythm (the next slot stays); refused while the previous run is queued or running.</summary>
    public async Task<RunNowResult> RunNowAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var schedule = await db.Set<ExportSchedule>().AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (schedule is null)
        {
            return new RunNowResult(null, null, Found: false);
        }
        var job = RunOf(schedule, slot: null);
        if (!await store.AddManualRunAsync(job, cancellationToken))
        {
            return new RunNowResult(null, await store.FindActiveRunAsync(id, cancellationToken), Found: true);
        }
        jobs.Announce(job);
        return new RunNowResult(job, null, Found: true);
    }

    /// <summary>The newest completed run, whose file <c>latest/download</c> serves.</summary>
    public async Task<ExportJob?> FindLatestCompletedRunAsync(Guid id, CancellationToken cancellationToken = default) =>
        (await store.FindLatestRunsAsync([id], completedOnly: true, cancellationToken)).GetValueOrDefault(id);

    /// <summary>
    /// Claims the slots that have come and queues their runs (a slot missed while the app was down runs
    /// once, and the schedule moves on to its next slot after now); returns the runs queued here.
    /// </summary>
    public async Task<List<ExportJob>> RunDueAsync(CancellationToken cancellationToken = default)
    {
        var now = Now;
        List<ExportSchedule> due;
        await using (var db = await contextFactory.CreateDbContextAsync(cancellationToken))
        {
            due = await db.Set<ExportSchedule>().AsNoTracking()
                .Where(s => s.Enabled && s.NextRunAt != null && s.NextRunAt <= now)
                .ToListAsync(cancellationToken);
        }
        var queued = new List<ExportJob>();
        foreach (var schedule in due)
        {
            var slot = schedule.NextRunAt!.Value;
            var job = RunOf(schedule, slot);
            if (await store.AddScheduledRunAsync(job, slot, schedule.Rhythm.NextAfter(now), cancellationToken) == SlotClaim.Claimed)
            {
                jobs.Announce(job);
                queued.Add(job);
            }
        }
        return queued;
    }

    /// <summary>
    /// Deletes the runs each schedule no longer keeps (and their files), then the dictionaries no kept run
    /// needs any more; returns how many runs went.
    /// </summary>
    public async Task<int> PruneAsync(CancellationToken cancellationToken = default)
    {
        List<(Guid Id, int Keep)> schedules;
        await using (var db = await contextFactory.CreateDbContextAsync(cancellationToken))
        {
            schedules = (await db.Set<ExportSchedule>().Where(s => s.Keep > 0).Select(s => new { s.Id, s.Keep }).ToListAsync(cancellationToken))
                .ConvertAll(s => (s.Id, s.Keep));
        }
        var pruned = 0;
        foreach (var (id, keep) in schedules)
        {
            foreach (var run in await store.ListRunsBeyondKeepAsync(id, keep, cancellationToken))
            {
                pruned += (await jobs.DeleteAsync(run, cancellationToken)).Outcome == ExportCommandOutcome.Done ? 1 : 0;
            }
        }
        await dictionaries.PruneAsync(cancellationToken);
        return pruned;
    }

    /// <summary>Requests hold lists, which records compare by reference: compared by what they serialise to.</summary>
    private static bool SameExport(ExportRequest a, ExportRequest b) =>
        System.Text.Json.JsonSerializer.Serialize(a) == System.Text.Json.JsonSerializer.Serialize(b);

    private ExportJob RunOf(ExportSchedule schedule, DateTime? slot)
    {
        var job = jobs.NewJob(schedule.Request);
        job.ScheduleId = schedule.Id;
        job.ScheduledFor = slot;
        job.Incremental = schedule.Mode == ScheduleMode.Incremental;
        job.IncrementFrom = job.Incremental ? schedule.Watermark : null;
        return job;
    }

    private async Task<Dictionary<string, string[]>> ValidateAsync(ScheduleDefinition definition, CancellationToken cancellationToken)
    {
        var errors = (await jobs.ValidateAsync(definition.Export, cancellationToken, recurring: true)).ToDictionary(e => $"export.{e.Key}", e => e.Value);
        ScheduleDefinition.CheckNameAndKeep(definition.Name, definition.Keep, (field, message) => errors[field] = [.. errors.GetValueOrDefault(field) ?? [], message]);
        if (definition.Mode == ScheduleMode.Incremental && definition.Export.Formats.Any(f => f is ExportFormat.Csv or ExportFormat.Html)
            && !definition.Export.Normalize().Options.CompressionFormat.IsArchive() && definition.Export.Options.Layout != ArchiveLayout.PerSession)
        {
            // A CSV file or an HTML transcript has nowhere to say which range it holds and what was deleted;
            // a bundle (or a per-session archive) carries that in increment.json.
            errors["export.options.compressionFormat"] = ["An incremental CSV or HTML export is a bundle, so that its increment.json (range and deleted sessions) travels with it: choose tar, tar.gz or tar.zst, layout per-session, or add another format."];
        }
        return errors;
    }

    private static void Apply(ExportSchedule schedule, ScheduleDefinition definition, DateTime now)
    {
        schedule.Name = definition.Name.Trim();
        schedule.Formats = definition.Export.Formats.ToList();
        schedule.Filters = definition.Export.Filters;
        schedule.Options = definition.Export.Options;
        schedule.Every = definition.Rhythm.EveryText;
        schedule.Cron = definition.Rhythm.Cron;
        schedule.TimeZone = definition.Rhythm.TimeZone;
        schedule.Start = definition.Rhythm.Start;
        schedule.Mode = definition.Mode;
        schedule.Keep = definition.Keep;
        schedule.Enabled = definition.Enabled;
        schedule.NextRunAt = definition.Enabled ? definition.Rhythm.NextAfter(now) : null;
    }
}

/// <summary>A schedule with its newest run (of any status), as pages and the API show it.</summary>
public sealed record ScheduleView(ExportSchedule Schedule, ExportJob? LastRun);

public sealed record ScheduleResult(ScheduleView? View, IReadOnlyDictionary<string, string[]>? Errors, bool Found = true)
{
    public static ScheduleResult Saved(ScheduleView view) => new(view, null);
    public static ScheduleResult Invalid(IReadOnlyDictionary<string, string[]> errors) => new(null, errors);
    public static ScheduleResult NotFound { get; } = new(null, null, Found: false);
}

/// <summary>A run started by hand: the queued job, or the run still in progress that stopped it.</summary>
public sealed record RunNowResult(ExportJob? Job, ExportJob? Busy, bool Found);
