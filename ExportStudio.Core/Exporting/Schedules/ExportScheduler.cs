using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ExportStudio.Core.Exporting.Schedules;

/// <summary>
/// Every instance looks for schedules whose slot has come, once a second, and queues their runs; the
/// database decides which instance claims a slot. At start this is the catch-up: a slot missed while the
/// app was down is due, and runs once. Now and then it deletes the runs schedules no longer keep.
/// </summary>
public sealed class ExportScheduler(ScheduleService schedules, TimeProvider time, ILogger<ExportScheduler> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan PruneInterval = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        var lastPrune = DateTimeOffset.MinValue;
        do
        {
            try
            {
                foreach (var job in await schedules.RunDueAsync(stoppingToken))
                {
                    logger.LogInformation("Schedule {ScheduleId}: queued run {JobId} for the slot at {Slot:u}.", job.ScheduleId, job.Id, job.ScheduledFor);
                }
                if (time.GetUtcNow() - lastPrune >= PruneInterval)
                {
                    lastPrune = time.GetUtcNow();
                    if (await schedules.PruneAsync(stoppingToken) is > 0 and var pruned)
                    {
                        logger.LogInformation("Deleted {Count} schedule run(s) beyond what their schedules keep.", pruned);
                    }
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // A busy or briefly unavailable database: the slot is still due at the next look.
                logger.LogWarning(exception, "Looking for due schedules failed; trying again in a second.");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
