using ExportStudio.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ExportStudio.Core.Importing;

/// <summary>
/// At start and every few seconds, in every instance: imports whose process died (their lease expired)
/// are undone — the sessions they had written, never visible, are removed, and the write-ahead log they
/// grew is truncated. An import that is alive is never touched.
/// </summary>
public sealed class ImportRecovery(ImportRunStore runs, IDbContextFactory<ExportStudioDbContext> contextFactory, ILogger<ImportRecovery> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await SweepAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await SweepAsync(stoppingToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    logger.LogWarning(exception, "Undoing abandoned imports failed; it is tried again in {Seconds:0} s.", Interval.TotalSeconds);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }

    /// <summary>One pass; returns how many abandoned imports were undone.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var expired = await runs.ListExpiredAsync(cancellationToken);
        foreach (var run in expired)
        {
            await runs.UndoAsync(run, cancellationToken);
            logger.LogWarning("Undid import {RunId} of {Owner}, abandoned since {Expired:u}: nothing of it was ever visible.", run.Id, run.Owner, run.LeaseExpiresAt);
        }
        if (expired.Count > 0)
        {
            await WriteAheadLog.TruncateAsync(contextFactory);
        }
        return expired.Count;
    }
}
