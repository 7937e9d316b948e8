using ExportStudio.Core.Storage;
using Microsoft.Extensions.Logging;

namespace ExportStudio.Core.Exporting.Jobs;

/// <summary>
/// What every instance does at start and then every few seconds: takes over running jobs whose lease has
/// expired (their owner crashed, was killed or lost the database) — re-queued once, then failed, or their
/// cancel or delete finished — and removes the partial files no live claim writes. A job whose lease is
/// alive belongs to its owner and is never touched, wherever that owner runs.
/// </summary>
public sealed class ExportRecovery(ExportJobStore store, ExportFileStore files, ExportProgressFeed feed, ILogger<ExportRecovery> logger)
{
    /// <summary>How many times a job is claimed before an interruption during it marks it failed.</summary>
    public const int MaxAttempts = 2;

    /// <summary>One pass; returns how many expired runs were taken over.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var taken = 0;
        foreach (var run in await store.ListExpiredAsync(cancellationToken))
        {
            var outcome = await store.TakeOverAsync(run, MaxAttempts, cancellationToken);
            if (outcome == RunTakeover.None)
            {
                continue; // renewed in the meantime, or another instance was quicker
            }
            taken++;
            DeleteFilesOf(run, outcome);
            feed.Publish(Event(run.JobId, outcome));
            logger.LogWarning("Export {JobId} had an expired lease (attempt {Attempt}): {Outcome}.", run.JobId, run.Attempts, outcome);
        }
        var strays = await DeleteStrayPartialsAsync(cancellationToken);
        if (strays > 0)
        {
            logger.LogInformation("Removed {Count} partial file(s) that no running export writes.", strays);
        }
        return taken;
    }

    private void DeleteFilesOf(ExpiredRun run, RunTakeover outcome)
    {
        var job = run.JobId.ToString("D");
        foreach (var partial in files.ListPartials().Where(p => p.FileName.Contains(job, StringComparison.Ordinal)))
        {
            files.DeletePartialFile(partial);
        }
        if (outcome == RunTakeover.Deleted && run.FileName is not null)
        {
            files.Delete(run.FileName);
        }
    }

    /// <summary>Partial files whose job is gone, not running, or claimed again by a later attempt.</summary>
    private async Task<int> DeleteStrayPartialsAsync(CancellationToken cancellationToken)
    {
        var partials = files.ListPartials().ToList();
        if (partials.Count == 0)
        {
            return 0;
        }
        var live = await store.ListLiveClaimsAsync(cancellationToken);
        var deleted = 0;
        foreach (var partial in partials)
        {
            var claim = live.FirstOrDefault(c => partial.FileName.Contains(c.JobId.ToString("D"), StringComparison.Ordinal));
            if (claim is null || partial.Attempt != claim.Attempt)
            {
                files.DeletePartialFile(partial);
                deleted++;
            }
        }
        return deleted;
    }

    private static ExportProgress Event(Guid jobId, RunTakeover outcome) => outcome switch
    {
        RunTakeover.Deleted => new ExportProgress { JobId = jobId, Status = ExportJobStatus.Cancelled, Stage = Pipeline.ExportStage.Done, Removed = true },
        RunTakeover.Cancelled => new ExportProgress { JobId = jobId, Status = ExportJobStatus.Cancelled, Stage = Pipeline.ExportStage.Done, Message = "Cancelled." },
        RunTakeover.Failed => new ExportProgress { JobId = jobId, Status = ExportJobStatus.Failed, Stage = Pipeline.ExportStage.Done, Error = "The export was interrupted and did not finish after a retry." },
        _ => new ExportProgress { JobId = jobId, Status = ExportJobStatus.Queued, Stage = Pipeline.ExportStage.Queued, Message = "Interrupted; queued to run again." },
    };
}
