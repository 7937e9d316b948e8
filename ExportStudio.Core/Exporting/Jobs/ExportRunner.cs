using ExportStudio.Core.Compression;
using ExportStudio.Core.Configuration;
using ExportStudio.Core.Exporting.Pipeline;
using ExportStudio.Core.Exporting.Schedules;
using ExportStudio.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ExportStudio.Core.Exporting.Jobs;

/// <summary>
/// Runs one claimed job under its lease: its pipeline, watched by a monitor that publishes progress and
/// beats the lease's heart, and then the job row saying how it ended — or, for a deleted job, no row at all.
/// </summary>
public sealed class ExportRunner(
    ExportPipeline pipeline,
    ExportJobStore store,
    ExportFileStore files,
    ExportProgressFeed feed,
    ExportRunRegistry registry,
    ScheduleDictionaryStore dictionaries,
    IOptions<ExportStudioOptions> options,
    TimeProvider time,
    ILogger<ExportRunner> logger)
{
    private TimeSpan LeaseDuration => TimeSpan.FromSeconds(options.Value.LeaseSeconds);

    public async Task RunAsync(JobLease lease, CancellationToken stoppingToken)
    {
        var job = await store.FindAsync(lease.JobId, stoppingToken);
        if (job is null)
        {
            return; // deleted between its claim and its start
        }

        using var control = new ExportRunControl(stoppingToken);
        using var registration = registry.Register(job.Id, control.RequestCancel);
        // A schedule's run starts from the dictionary its schedule keeps, if it wants one and has one.
        var kept = job is { ScheduleId: { } scheduleId, Options.Dictionary: true } ? await FindKeptAsync(scheduleId, stoppingToken) : null;
        var run = new ExportRun(job.Id, lease.Attempt, job.Request, time.GetUtcNow().UtcDateTime, job.Incremental, job.IncrementFrom, kept);
        var progress = new ExportRunProgress(job);
        var monitor = new ExportRunMonitor(store, feed, time, LeaseDuration, logger).WatchAsync(progress, control, lease);

        ExportResult? result = null;
        try
        {
            result = await pipeline.RunAsync(run, progress, control.Token);
            progress.Complete(result.Stats);
            logger.LogInformation("Export {JobId} completed: {Sessions} sessions, {Original} → {Stored} bytes.", job.Id, result.Selection.SessionCount, result.Stats.OriginalBytes, result.Stats.StoredBytes);
        }
        catch (Exception) when (control.LeaseLost || control.Stopping || control.CancelRequested)
        {
            files.DeletePartial(run.FileName, run.Attempt);
            progress.Finish(ExportJobStatus.Cancelled, "Cancelled.");
        }
        catch (Exception exception)
        {
            files.DeletePartial(run.FileName, run.Attempt);
            var error = ExportFailure.Describe(exception);
            logger.LogWarning(exception, "Export {JobId} failed: {Error}", job.Id, error);
            progress.Finish(ExportJobStatus.Failed, error);
        }

        await control.StopAsync(monitor);
        await EndAsync(lease, control, progress, result, run.FileName);
        NativeHeap.Trim();
    }

    /// <summary>The schedule's dictionary; a database that fails to give it costs only a retraining, never the run.</summary>
    private async Task<KeptDictionary?> FindKeptAsync(Guid scheduleId, CancellationToken cancellationToken)
    {
        try
        {
            return await dictionaries.FindCurrentAsync(scheduleId, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogWarning(exception, "Schedule {ScheduleId}: its kept dictionary could not be read; this run trains a fresh one.", scheduleId);
            return null;
        }
    }

    /// <summary>The one place a run's end is written, whichever way it ended.</summary>
    private async Task EndAsync(JobLease lease, ExportRunControl control, ExportRunProgress progress, ExportResult? result, string fileName)
    {
        if (control.LeaseLost)
        {
            return; // another instance owns the job (and decides about its file) now
        }
        if (control.Stopping && !control.CancelRequested)
        {
            // A graceful stop: the job goes back to the queue, and this attempt does not count.
            if (await PersistAsync(() => store.ReleaseAsync(lease, CancellationToken.None), lease))
            {
                feed.Publish(new ExportProgress { JobId = lease.JobId, Status = ExportJobStatus.Queued, Stage = ExportStage.Queued, Message = "Interrupted by a restart; queued to run again." });
            }
            return;
        }
        if (control.DeleteRequested)
        {
            if (await PersistAsync(() => store.DeleteOwnedAsync(lease, CancellationToken.None), lease))
            {
                files.Delete(fileName);
                feed.Publish(progress.Snapshot() with { Removed = true });
            }
            return;
        }
        var final = progress.Snapshot();
        await PersistAsync(() => store.SaveOutcomeAsync(lease, final, progress.Selection?.SessionCount, progress.MessageCount, result, CancellationToken.None), lease);
        feed.Publish(final);
    }

    /// <summary>
    /// Writes a run's end, waiting out a busy database (another writer holding the lock) with growing pauses
    /// for as long as the lease lasts: after that the job is another instance's to finish.
    /// </summary>
    private async Task<bool> PersistAsync(Func<Task<bool>> write, JobLease lease)
    {
        var deadline = time.GetUtcNow() + LeaseDuration;
        var pause = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            try
            {
                return await write();
            }
            catch (Exception exception) when (ExportRunMonitor.IsTransient(exception) && time.GetUtcNow() < deadline)
            {
                logger.LogDebug(exception, "Export {JobId}: the database was busy saving the run's end; trying again.", lease.JobId);
                await Task.Delay(pause, time);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
            }
        }
    }
}
