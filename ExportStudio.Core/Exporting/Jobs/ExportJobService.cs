using Microsoft.Extensions.Options;
using ExportStudio.Core.Configuration;
using ExportStudio.Core.Exporting.Pipeline;
using ExportStudio.Core.Sessions;
using ExportStudio.Core.Storage;

namespace ExportStudio.Core.Exporting.Jobs;

/// <summary>What the UI and the API do with export jobs: create, read, list, cancel, delete.</summary>
public sealed class ExportJobService(
    ExportJobStore store,
    SessionCatalog sessions,
    ExportWorker worker,
    ExportRunRegistry runs,
    ExportProgressFeed feed,
    ExportFileStore files,
    IOptions<ExportStudioOptions> options,
    TimeProvider time)
{
    public const string NothingSelected = "No session matches these filters, so there is nothing to export. Widen the date range or clear a filter.";

    /// <summary>Validates and queues a request. Returns the queued job, or the problems by field.</summary>
    public async Task<ExportCreateResult> CreateAsync(ExportRequest request, CancellationToken cancellationToken = default)
    {
        var errors = await ValidateAsync(request, cancellationToken);
        if (errors.Count > 0)
        {
            return ExportCreateResult.Invalid(errors);
        }
        var normalized = request.Normalize();
        // An export of nothing would "complete" with an empty file and look like a success: refuse it.
        // (Schedules are not asked this: their filters may match sessions that come later.)
        if (!await sessions.AnyAsync(normalized.Filters, cancellationToken))
        {
            return ExportCreateResult.Invalid(new Dictionary<string, string[]> { ["filters"] = [NothingSelected] });
        }
        var job = NewJob(normalized);
        await store.AddAsync(job, cancellationToken);
        Announce(job);
        return ExportCreateResult.Created(job);
    }

    /// <summary>Every problem with the request by field, including session ids that no session has.</summary>
    /// <param name="recurring">The export of a schedule, which may ask for its kept dictionary on a single zstd document.</param>
    public async Task<Dictionary<string, string[]>> ValidateAsync(ExportRequest request, CancellationToken cancellationToken = default, bool recurring = false)
    {
        var errors = request.Validate(options.Value.MaxFormatsPerExport, recurring).ToDictionary();
        if (request.Filters.SessionIds.Count > 0 && !errors.ContainsKey("filters.sessionIds"))
        {
            var missing = await sessions.FindMissingAsync(request.Filters.SessionIds, cancellationToken);
            if (missing.Count > 0)
            {
                errors["filters.sessionIds"] = [$"No session has the id {string.Join(", ", missing.Take(5))}{(missing.Count > 5 ? $" (and {missing.Count - 5} more)" : "")}."];
            }
        }
        return errors;
    }

    /// <summary>A queued job for a normalised request, not yet stored.</summary>
    public ExportJob NewJob(ExportRequest normalized) => NewJob(normalized, time);

    /// <inheritdoc cref="NewJob(ExportRequest)"/>
    public static ExportJob NewJob(ExportRequest normalized, TimeProvider time) => new()
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

    /// <summary>Tells the pages and the worker about a job just stored.</summary>
    public void Announce(ExportJob job)
    {
        feed.Publish(new ExportProgress { JobId = job.Id, Status = job.Status, Stage = job.Stage, Message = job.ProgressMessage });
        worker.Notify();
    }

    /// <summary>One job, with live progress when it is running in this process; null when unknown.</summary>
    public async Task<ExportJob?> GetAsync(Guid jobId, CancellationToken cancellationToken = default)
    {
        var job = await store.FindAsync(jobId, cancellationToken);
        return job is null ? null : WithLiveProgress(job);
    }

    /// <summary>History, newest first; only one schedule's runs when <paramref name="scheduleId"/> is given.</summary>
    public async Task<ExportJobPage> ListAsync(int page, int pageSize, CancellationToken cancellationToken = default, Guid? scheduleId = null)
    {
        var (items, total) = await store.ListAsync(page, pageSize, scheduleId, cancellationToken);
        return new ExportJobPage(items.Select(WithLiveProgress).ToList(), total, page, pageSize);
    }

    /// <summary>Cancels a queued job at once, or asks a running one to stop, wherever it runs (it stops within a second or two).</summary>
    public async Task<ExportCommandResult> CancelAsync(Guid jobId, CancellationToken cancellationToken = default)
    {
        if (await store.CancelQueuedAsync(jobId, cancellationToken))
        {
            feed.Publish(new ExportProgress { JobId = jobId, Status = ExportJobStatus.Cancelled, Stage = ExportStage.Queued, Message = "Cancelled." });
            return ExportCommandResult.Done;
        }
        if (await store.RequestCancelAsync(jobId, delete: false, cancellationToken))
        {
            runs.TryCancel(jobId);
            return ExportCommandResult.Done;
        }
        var status = await store.FindStatusAsync(jobId, cancellationToken);
        return status is null ? ExportCommandResult.NotFound : ExportCommandResult.Conflict($"The export is already {status.Value.ToWireName()}; only queued or running exports can be cancelled.");
    }

    /// <summary>
    /// Deletes a job and its file. A running job is asked to stop and go, and the answer comes at once
    /// (<see cref="ExportCommandOutcome.Accepted"/>): its owner removes it when the run has stopped, or, if the
    /// owner is gone, the recovery sweep does once the lease has expired.
    /// </summary>
    public async Task<ExportCommandResult> DeleteAsync(Guid jobId, CancellationToken cancellationToken = default)
    {
        var job = await store.FindAsync(jobId, cancellationToken);
        if (job is null)
        {
            return ExportCommandResult.NotFound;
        }
        if (job.Status == ExportJobStatus.Running && await store.RequestCancelAsync(jobId, delete: true, cancellationToken))
        {
            runs.TryCancel(jobId, delete: true);
            return ExportCommandResult.Accepted;
        }
        await store.CancelQueuedAsync(jobId, cancellationToken); // a queued job must not start while its row goes

        // The row goes first: a file without a row is never served, and retention removes orphans.
        var fileName = (await store.FindAsync(jobId, cancellationToken))?.FileName ?? job.FileName;
        await store.DeleteAsync(jobId, cancellationToken);
        if (fileName is not null)
        {
            files.Delete(fileName);
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
    public static ExportCommandResult Accepted { get; } = new(ExportCommandOutcome.Accepted);
    public static ExportCommandResult NotFound { get; } = new(ExportCommandOutcome.NotFound);
    public static ExportCommandResult Conflict(string message) => new(ExportCommandOutcome.Conflict, message);
}

public enum ExportCommandOutcome
{
    Done,

    /// <summary>Asked for; it completes shortly, by the job's owner.</summary>
    Accepted,
    NotFound,
    Conflict,
}
