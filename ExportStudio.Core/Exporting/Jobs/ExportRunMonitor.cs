using System.Diagnostics;

namespace ExportStudio.Core.Exporting.Jobs;

/// <summary>
/// Watches one run: publishes its progress ten times a second to the pages and the API, persists it every
/// second so other processes see it, and notices a cancel request made in the database.
/// </summary>
internal sealed class ExportRunMonitor(ExportJobStore store, ExportProgressFeed feed, TimeProvider time)
{
    private static readonly TimeSpan PublishInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan PersistInterval = TimeSpan.FromSeconds(1);

    public async Task WatchAsync(ExportRunProgress progress, ExportRunControl control)
    {
        using var timer = new PeriodicTimer(PublishInterval, time);
        var lastPersisted = Stopwatch.StartNew();
        try
        {
            while (await timer.WaitForNextTickAsync(control.Token))
            {
                var snapshot = progress.Snapshot();
                if (snapshot.IsFinished)
                {
                    break; // the final event is published once, after the job row says so too
                }
                feed.Publish(snapshot);
                if (lastPersisted.Elapsed < PersistInterval)
                {
                    continue;
                }
                lastPersisted.Restart();
                if (await store.IsCancelRequestedAsync(progress.Job.Id, control.Token))
                {
                    control.RequestCancel();
                    break;
                }
                await store.SaveProgressAsync(snapshot, progress.Selection?.SessionCount ?? 0, progress.MessageCount ?? 0, control.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // The run ended or was cancelled.
        }
    }
}
