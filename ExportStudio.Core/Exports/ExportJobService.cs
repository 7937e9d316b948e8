using ExportStudio.Core.Configuration;
using ExportStudio.Core.Sessions;
using ExportStudio.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ExportStudio.Core.Exports;

/// <summary>What the UI and the API do with export jobs: create, read, list, cancel, delete.</summary>
public sealed class ExportJobService(
    IDbContextFactory<ExportStudioDbContext> contextFactory,
    ExportWorker worker,
    ExportRunRegistry runs,
    ExportProgressFeed feed,
    ExportFileStore files,
    IOptions<ExportStudioOptions> options,
    TimeProvider time)
{
    /// <summary>Validates and queues a request. Returns the queued job, or the problems by field.</summary>
    public async Task<ExportCreateResult> CreateAsync(ExportRequest request, CancellationToken cancellationToken = default)
    {
        var errors = request.Validate(options.Value.MaxFormatsPerExport).ToDictionary();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);

        if (request.Filters.SessionIds.Count > 0 && !errors.ContainsKey("filters.sessionIds"))
        {
            var wanted = request.Filters.SessionIds.Distinct().ToList();
            var found = await db.Sessions.Where(s => wanted.Contains(s.Id)).Select(s => s.Id).ToListAsync(cancellationToken);
            var missing = wanted.Except(found).ToList();
            if (missing.Count > 0)
            {
                errors["filters.sessionIds"] = [$"No session has the id {string.Join(", ", missing.Take(5))}{(missing.Count > 5 ? $" (and {missing.Count - 5} more)" : "")}."];
            }
        }
        if (errors.Count > 0)
        {
            return ExportCreateResult.Invalid(errors);
        }

        var normalized = request.Normalize();
        var job = new ExportJob
        {
            Id = Guid.CreateVersion7(time.GetUtcNow()),
            Status = ExportJobStatus.Queued,
            Stage = ExportStage.Queued,
            Formats = normalized.Formats.ToList(),
            Filters = normalized.Filters,
            Options = normalized.Options,
            CreatedAt = time.GetUtcNow().UtcDateTime,
            ProgressMessage = "Waiting for a free export slot…",
        };
        db.ExportJobs.Add(job);
        await db.SaveChangesAsync(cancellationToken);

        feed.Publish(new ExportProgress { JobId = job.Id, Status = job.Status, Stage = job.Stage, Message = job.ProgressMessage });
        worker.Notify();
        return ExportCreateResult.Created(job);
    }

    /// <summary>One job, with live progress when it is running in this process; null when unknown.</summary>
    public async Task<ExportJob?> GetAsync(Guid jobId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var job = await db.ExportJobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == jobId, cancellationToken);
        return job is null ? null : WithLiveProgress(job);
    }

    /// <summary>History, newest first.</summary>
    public async Task<ExportJobPage> ListAsync(int page, int pageSize, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var total = await db.ExportJobs.CountAsync(cancellationToken);
        var items = await db.ExportJobs.AsNoTracking()
            .OrderByDescending(j => j.CreatedAt).ThenByDescending(j => j.Id)
            .Skip((page - 1) * pageSize).Take(pageSize)
            .ToListAsync(cancellationToken);
        return new ExportJobPage(items.Select(WithLiveProgress).ToList(), total, page, pageSize);
    }

    /// <summary>Cancels a queued job at once, or asks a running one to stop (it stops within a second).</summary>
    public async Task<ExportCommandResult> CancelAsync(Guid jobId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;

        var cancelledQueued = await db.ExportJobs
            .Where(j => j.Id == jobId && j.Status == ExportJobStatus.Queued)
            .ExecuteUpdateAsync(j => j
                .SetProperty(x => x.Status, ExportJobStatus.Cancelled)
                .SetProperty(x => x.CancelRequested, true)
                .SetProperty(x => x.ProgressMessage, "Cancelled.")
                .SetProperty(x => x.CompletedAt, now), cancellationToken);
        if (cancelledQueued == 1)
        {
            feed.Publish(new ExportProgress { JobId = jobId, Status = ExportJobStatus.Cancelled, Stage = ExportStage.Queued, Message = "Cancelled." });
            return ExportCommandResult.Done;
        }

        var flagged = await db.ExportJobs
            .Where(j => j.Id == jobId && j.Status == ExportJobStatus.Running)
            .ExecuteUpdateAsync(j => j.SetProperty(x => x.CancelRequested, true), cancellationToken);
        if (flagged == 1)
        {
            runs.TryCancel(jobId);
            return ExportCommandResult.Done;
        }

        var status = await db.ExportJobs.Where(j => j.Id == jobId).Select(j => (ExportJobStatus?)j.Status).SingleOrDefaultAsync(cancellationToken);
        return status is null ? ExportCommandResult.NotFound : ExportCommandResult.Conflict($"The export is already {status.Value.ToWireName()}; only queued or running exports can be cancelled.");
    }

    /// <summary>Deletes a job and its file; a running job is cancelled first.</summary>
    public async Task<ExportCommandResult> DeleteAsync(Guid jobId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var job = await db.ExportJobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == jobId, cancellationToken);
        if (job is null)
        {
            return ExportCommandResult.NotFound;
        }

        if (job.Status is ExportJobStatus.Running or ExportJobStatus.Queued)
        {
            await CancelAsync(jobId, cancellationToken);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(TimeSpan.FromSeconds(10));
            while (await db.ExportJobs.AnyAsync(j => j.Id == jobId && j.Status == ExportJobStatus.Running, wait.Token))
            {
                await Task.Delay(50, wait.Token);
            }
        }

        // The row goes first: a file without a row is never served, and retention removes orphans.
        await db.ExportJobs.Where(j => j.Id == jobId).ExecuteDeleteAsync(cancellationToken);
        if (job.FileName is not null)
        {
            files.Delete(job.FileName);
        }
        feed.Publish(new ExportProgress { JobId = jobId, Status = ExportJobStatus.Cancelled, Stage = ExportStage.Done, Removed = true });
        return ExportCommandResult.Done;
    }

    private ExportJob WithLiveProgress(ExportJob job)
    {
        if (job.Status == ExportJobStatus.Running && feed.GetLatest(job.Id) is { Status: ExportJobStatus.Running } live)
        {
            job.Stage = live.Stage;
            job.Percent = live.Percent;
            job.ProgressMessage = live.Message;
            job.BytesIn = live.BytesIn;
            job.BytesOut = live.BytesOut;
        }
        return job;
    }
}

public sealed record ExportJobPage(IReadOnlyList<ExportJob> Items, int Total, int Page, int PageSize);

public sealed record ExportCreateResult(ExportJob? Job, IReadOnlyDictionary<string, string[]>? Errors)
{
    public static ExportCreateResult Created(ExportJob job) => new(job, null);
    public static ExportCreateResult Invalid(IReadOnlyDictionary<string, string[]> errors) => new(null, errors);
}

public sealed record ExportCommandResult(ExportCommandOutcome Outcome, string? Message = null)
{
    public static ExportCommandResult Done { get; } = new(ExportCommandOutcome.Done);
    public static ExportCommandResult NotFound { get; } = new(ExportCommandOutcome.NotFound);
    public static ExportCommandResult Conflict(string message) => new(ExportCommandOutcome.Conflict, message);
}

public enum ExportCommandOutcome
{
    Done,
    NotFound,
    Conflict,
}
