using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ExportStudio.Core.Configuration;
using ExportStudio.Core.Storage;

namespace ExportStudio.Core.Exporting.Jobs;

/// <summary>Deletes finished jobs older than <c>RetentionDays</c> with their files, and files no job owns.</summary>
public sealed class ExportRetentionService(
    ExportJobStore store,
    ExportFileStore files,
    IOptions<ExportStudioOptions> options,
    TimeProvider time,
    ILogger<ExportRetentionService> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogWarning(exception, "Export housekeeping failed; it will run again in an hour.");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One housekeeping pass; returns the number of jobs deleted.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var cutoff = now.AddDays(-options.Value.RetentionDays);
        var expired = await store.ListFinishedBeforeAsync(cutoff, cancellationToken);
        foreach (var job in expired)
        {
            await store.DeleteAsync(job.Id, cancellationToken);
            if (job.FileName is not null)
            {
                files.Delete(job.FileName);
            }
        }

        // Files whose job row is gone (a crash between deleting the row and the file), once they are old.
        var known = await store.ListFileNamesAsync(cancellationToken);
        foreach (var file in files.EnumerateFiles())
        {
            if (!known.Contains(file.Name) && file.LastWriteTimeUtc < now.AddHours(-1))
            {
                files.Delete(file.Name);
            }
        }

        if (expired.Count > 0)
        {
            logger.LogInformation("Deleted {Count} export(s) older than {Days} days.", expired.Count, options.Value.RetentionDays);
        }
        return expired.Count;
    }
}
