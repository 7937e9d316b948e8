using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace ExportStudio.Core.Exporting.Jobs;

/// <summary>
/// Watches one run: publishes its progress ten times a second to the pages and the API, and once a second
/// beats its heart in the database — renewing the lease, reading cancel and delete requests, persisting the
/// progress so other processes see it. A database that is busy (another writer holds the lock) delays a
/// beat, never ends the run; only a lease that could not be renewed before it expires stops the run, since
/// another instance may then take the job over.
/// </summary>
internal sealed class ExportRunMonitor(ExportJobStore store, ExportProgressFeed feed, TimeProvider time, TimeSpan leaseDuration, ILogger logger)
{
    private static readonly TimeSpan PublishInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(1);

    public Task WatchAsync(ExportRunProgress progress, ExportRunControl control, JobLease lease) =>
        Task.WhenAll(PublishAsync(progress, control), BeatAsync(progress, control, lease));

    private async Task PublishAsync(ExportRunProgress progress, ExportRunControl control)
    {
        using var timer = new PeriodicTimer(PublishInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(control.Token))
            {
                var snapshot = progress.Snapshot();
                if (snapshot.IsFinished)
                {
                    return; // the final event is published once, after the job row says so too
                }
                feed.Publish(snapshot);
            }
        }
        catch (OperationCanceledException)
        {
            // The run ended or was stopped.
        }
    }

    private async Task BeatAsync(ExportRunProgress progress, ExportRunControl control, JobLease lease)
    {
        using var timer = new PeriodicTimer(HeartbeatInterval, time);
        var renewedAt = time.GetUtcNow();
        try
        {
            while (await timer.WaitForNextTickAsync(control.Token))
            {
                try
                {
                    var renewal = await store.RenewAsync(lease, leaseDuration, control.Token);
                    if (!renewal.Held)
                    {
                        logger.LogWarning("Export {JobId} lost its lease (attempt {Attempt}); another instance owns it now, so this run stops.", lease.JobId, lease.Attempt);
                        control.LoseLease();
                        return;
                    }
                    renewedAt = time.GetUtcNow();
                    if (renewal.CancelRequested)
                    {
                        control.RequestCancel(renewal.DeleteRequested);
                        return;
                    }
                    var snapshot = progress.Snapshot();
                    if (!snapshot.IsFinished)
                    {
                        await store.SaveProgressAsync(lease, snapshot, progress.Selection?.SessionCount ?? 0, progress.MessageCount ?? 0, control.Token);
                    }
                }
                catch (Exception exception) when (IsTransient(exception) && !control.Token.IsCancellationRequested)
                {
                    logger.LogDebug(exception, "Export {JobId}: the database was busy; the heartbeat tries again.", lease.JobId);
                    if (time.GetUtcNow() - renewedAt > leaseDuration - 2 * HeartbeatInterval)
                    {
                        logger.LogWarning("Export {JobId} could not renew its lease for {Seconds:0} s; it stops before another instance takes it over.", lease.JobId, leaseDuration.TotalSeconds);
                        control.LoseLease();
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The run ended or was stopped.
        }
    }

    /// <summary>A busy or locked database (SQLite error 5 or 6) passes; anything else is a real failure.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode is 5 or 6,
        InvalidOperationException { InnerException: { } inner } => IsTransient(inner),
        _ => exception.InnerException is { } inner && IsTransient(inner),
    };
}
