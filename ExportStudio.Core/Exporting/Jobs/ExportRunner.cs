using Microsoft.Extensions.Logging;
using ExportStudio.Core.Exporting.Pipeline;
using ExportStudio.Core.Storage;

namespace ExportStudio.Core.Exporting.Jobs;

/// <summary>
/// Runs one claimed job: its pipeline, watched by a monitor that publishes and persists progress and
/// notices cancel requests, and then the job row saying how it ended.
/// </summary>
public sealed class ExportRunner(
    ExportPipeline pipeline,
    ExportJobStore store,
    ExportFileStore files,
    ExportProgressFeed feed,
    ExportRunRegistry registry,
    TimeProvider time,
    ILogger<ExportRunner> logger)
{
    public async Task RunAsync(Guid jobId, CancellationToken stoppingToken)
    {
        var job = await store.FindAsync(jobId, stoppingToken);
        if (job is null)
        {
            return; // deleted between its claim and its start
        }

        using var control = new ExportRunControl(stoppingToken);
        using var registration = registry.Register(job.Id, control.RequestCancel);
        var run = new ExportRun(job.Id, job.Request, time.GetUtcNow().UtcDateTime);
        var progress = new ExportRunProgress(job);
        var monitor = new ExportRunMonitor(store, feed, time).WatchAsync(progress, control);

        ExportResult? result = null;
        try
        {
            result = await pipeline.RunAsync(run, progress, control.Token);
            progress.Complete(result.Stats);
            logger.LogInformation("Export {JobId} completed: {Sessions} sessions, {Original} → {Stored} bytes.", job.Id, result.Selection.SessionCount, result.Stats.OriginalBytes, result.Stats.StoredBytes);
        }
        catch (Exception) when (control.CancelRequested)
        {
            files.DeletePartial(run.FileName);
            progress.Finish(ExportJobStatus.Cancelled, "Cancelled.");
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            // The app is shutting down: leave the job running in the database; start-up recovery re-queues it.
            files.DeletePartial(run.FileName);
            await control.StopAsync(monitor);
            return;
        }
        catch (Exception exception)
        {
            files.DeletePartial(run.FileName);
            var error = ExportFailure.Describe(exception);
            logger.LogWarning(exception, "Export {JobId} failed: {Error}", job.Id, error);
            progress.Finish(ExportJobStatus.Failed, error);
        }

        await control.StopAsync(monitor);
        var final = progress.Snapshot();
        await store.SaveOutcomeAsync(final, progress.Selection?.SessionCount, progress.MessageCount, result);
        feed.Publish(final);
    }
}

/// <summary>How a run is stopped: a cancel request (from this process or, through the database, another) or the app stopping.</summary>
internal sealed class ExportRunControl(CancellationToken stoppingToken) : IDisposable
{
    private readonly CancellationTokenSource _cancellation = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
    private volatile bool _cancelRequested;

    public CancellationToken Token => _cancellation.Token;
    public bool CancelRequested => _cancelRequested;

    public void RequestCancel()
    {
        _cancelRequested = true;
        _cancellation.Cancel();
    }

    /// <summary>Ends the monitor of a run that is over.</summary>
    public async Task StopAsync(Task monitor)
    {
        await _cancellation.CancelAsync();
        await monitor;
    }

    public void Dispose() => _cancellation.Dispose();
}
