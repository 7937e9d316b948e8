using System.Diagnostics;
using ExportStudio.Core.Compression;
using ExportStudio.Core.Configuration;
using ExportStudio.Core.Formats;
using ExportStudio.Core.Sessions;
using ExportStudio.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ExportStudio.Core.Exports;

/// <summary>
/// Runs one claimed job: database rows → format writer → compression → <c>.partial</c> file → fsync and
/// atomic rename → job row. Progress is sampled ten times a second from live counters, never per row.
/// </summary>
public sealed class ExportRunner(
    IDbContextFactory<ExportStudioDbContext> contextFactory,
    CompressionService compression,
    ExportFileStore files,
    ExportProgressFeed feed,
    ExportRunRegistry registry,
    IOptions<ExportStudioOptions> options,
    TimeProvider time,
    ILogger<ExportRunner> logger)
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan PersistInterval = TimeSpan.FromSeconds(1);

    public async Task RunAsync(Guid jobId, CancellationToken stoppingToken)
    {
        ExportJob job;
        await using (var db = await contextFactory.CreateDbContextAsync(stoppingToken))
        {
            job = await db.ExportJobs.AsNoTracking().SingleAsync(j => j.Id == jobId, stoppingToken);
        }

        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var run = new RunState(job, time.GetUtcNow().UtcDateTime);
        var fileName = ExportFileNames.ForJob(job.Id, job.Formats, job.CompressionFormat);
        var monitor = MonitorAsync(run, cancellation);
        using var registration = registry.Register(job.Id, () =>
        {
            run.CancelRequested = true;
            cancellation.Cancel();
        });

        try
        {
            await ExportAsync(run, fileName, cancellation.Token);
            run.Finish(ExportJobStatus.Completed, ExportStage.Done, null);
            logger.LogInformation("Export {JobId} completed: {Sessions} sessions, {Original} → {Stored} bytes.", job.Id, run.Selection?.SessionCount, run.Stats?.OriginalBytes, run.Stats?.StoredBytes);
        }
        catch (Exception) when (run.CancelRequested)
        {
            files.DeletePartial(fileName);
            run.Finish(ExportJobStatus.Cancelled, run.Stage, "Cancelled.");
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            // The app is shutting down: leave the job running in the database; start-up recovery re-queues it.
            files.DeletePartial(fileName);
            await cancellation.CancelAsync();
            await monitor;
            return;
        }
        catch (Exception exception)
        {
            files.DeletePartial(fileName);
            var error = FindCause<ExportFailedException>(exception)?.Message ?? DescribeFailure(FindCause<IOException>(exception) ?? exception);
            logger.LogWarning(exception, "Export {JobId} failed: {Error}", job.Id, error);
            run.Finish(ExportJobStatus.Failed, run.Stage, error);
        }

        await cancellation.CancelAsync();
        await monitor;
        await SaveFinalStateAsync(run, fileName);
        feed.Publish(run.Snapshot());
    }

    private async Task ExportAsync(RunState run, string fileName, CancellationToken cancellationToken)
    {
        var job = run.Job;
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);

        // One read transaction for the whole run: in WAL mode every format in a bundle sees the same
        // snapshot, so counts in the document header match the rows that follow.
        await using var snapshot = await db.Database.BeginSnapshotAsync(cancellationToken);

        // A second connection reads every other batch. Its snapshot starts a moment later than the first;
        // sessions are never edited in place, so both see the same selected sessions.
        await using var secondary = await contextFactory.CreateDbContextAsync(cancellationToken);
        await using var secondarySnapshot = await secondary.Database.BeginSnapshotAsync(cancellationToken);

        run.Stage = ExportStage.Preparing;
        run.Selection = await ExportSessionSource.SelectAsync(db, job.Filters, cancellationToken);
        var messageCount = job.Options.IncludeMessages ? run.Selection.MessageCount : 0;
        await UpdateJobAsync(job.Id, j => j
            .SetProperty(x => x.SessionCount, run.Selection.SessionCount)
            .SetProperty(x => x.MessageCount, messageCount), CancellationToken.None);

        run.Stage = ExportStage.Exporting;
        var header = new ExportDocumentHeader
        {
            ExportedAt = run.ExportedAt,
            Generator = "ExportStudio",
            Filters = job.Filters,
            Options = job.Options,
            SessionCount = run.Selection.SessionCount,
            MessageCount = messageCount,
        };
        var entries = job.Formats
            .Select(format => new ExportEntry(ExportFileNames.ForEntry(job.Id, format), (stream, ct) => WriteDocumentAsync(db, secondary, run, format, header, stream, ct)))
            .ToList();

        var partial = files.CreatePartial(fileName);
        try
        {
            run.Stats = await compression.CompressAsync(partial, job.CompressionFormat, job.Options.CompressionLevel, entries, run.ExportedAt, run.Counters, cancellationToken);

            run.Stage = ExportStage.Finalizing;
            await files.CommitAsync(partial, fileName, cancellationToken);
        }
        finally
        {
            await partial.DisposeAsync();
        }

        var stored = files.GetInfo(fileName).Length;
        if (stored != run.Stats.StoredBytes)
        {
            files.Delete(fileName);
            throw new ExportFailedException($"The export file has {stored} bytes on disk but {run.Stats.StoredBytes} were written; it was removed. Check the disk and start the export again.");
        }
    }

    private async Task WriteDocumentAsync(ExportStudioDbContext db, ExportStudioDbContext secondary, RunState run, ExportFormat format, ExportDocumentHeader header, Stream output, CancellationToken cancellationToken)
    {
        var maxBytes = options.Value.MaxExportBytes;
        await using var writer = ExportWriter.Create(format, output, run.Job.Options);
        await writer.WriteHeaderAsync(header, cancellationToken);
        await foreach (var session in ExportSessionSource.ReadAsync(db, run.Selection!, run.Job.Options, secondary, cancellationToken))
        {
            await writer.WriteSessionAsync(session, cancellationToken);
            Interlocked.Increment(ref run.SessionsWritten);
            if (run.Counters.BytesIn > maxBytes)
            {
                throw new ExportFailedException(
                    $"The export passed the limit of {maxBytes:N0} bytes (MaxExportBytes) and was stopped. Narrow the selection with filters or raise ExportStudio:MaxExportBytes.");
            }
        }
        await writer.WriteFooterAsync(cancellationToken);
    }

    /// <summary>Publishes progress 10×/s, persists it every second, and notices cancel requests made in the database.</summary>
    private async Task MonitorAsync(RunState run, CancellationTokenSource cancellation)
    {
        using var timer = new PeriodicTimer(ProgressInterval, time);
        var lastPersisted = Stopwatch.StartNew();
        try
        {
            while (await timer.WaitForNextTickAsync(cancellation.Token))
            {
                var progress = run.Snapshot();
                if (progress.IsFinished)
                {
                    // The final event is published once, after the job row says so too.
                    break;
                }
                feed.Publish(progress);
                if (lastPersisted.Elapsed >= PersistInterval)
                {
                    lastPersisted.Restart();
                    await using var db = await contextFactory.CreateDbContextAsync(cancellation.Token);
                    var cancelRequested = await db.ExportJobs.Where(j => j.Id == run.Job.Id).Select(j => j.CancelRequested).SingleAsync(cancellation.Token);
                    if (cancelRequested)
                    {
                        run.CancelRequested = true;
                        await cancellation.CancelAsync();
                        break;
                    }
                    await UpdateJobAsync(run.Job.Id, j => j
                        .SetProperty(x => x.Stage, progress.Stage)
                        .SetProperty(x => x.Percent, progress.Percent)
                        .SetProperty(x => x.ProgressMessage, progress.Message)
                        .SetProperty(x => x.BytesIn, progress.BytesIn)
                        .SetProperty(x => x.BytesOut, progress.BytesOut), cancellation.Token);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The run ended or was cancelled.
        }
    }

    private async Task SaveFinalStateAsync(RunState run, string fileName)
    {
        var final = run.Snapshot();
        var stats = run.Stats;
        var completed = final.Status == ExportJobStatus.Completed;
        await UpdateJobAsync(run.Job.Id, j => j
            .SetProperty(x => x.Status, final.Status)
            .SetProperty(x => x.Stage, final.Stage)
            .SetProperty(x => x.Percent, final.Percent)
            .SetProperty(x => x.ProgressMessage, final.Message)
            .SetProperty(x => x.BytesIn, final.BytesIn)
            .SetProperty(x => x.BytesOut, final.BytesOut)
            .SetProperty(x => x.Error, final.Error)
            .SetProperty(x => x.CompletedAt, time.GetUtcNow().UtcDateTime)
            .SetProperty(x => x.ClaimedBy, (string?)null)
            .SetProperty(x => x.FileName, completed ? fileName : null)
            .SetProperty(x => x.ContentType, completed ? ExportFileNames.ContentType(run.Job.Formats, run.Job.CompressionFormat) : null)
            .SetProperty(x => x.OriginalBytes, completed ? stats!.OriginalBytes : null)
            .SetProperty(x => x.StoredBytes, completed ? stats!.StoredBytes : null)
            .SetProperty(x => x.Sha256, completed ? stats!.Sha256 : null), CancellationToken.None);
    }

    private async Task UpdateJobAsync(Guid jobId, Action<Microsoft.EntityFrameworkCore.Query.UpdateSettersBuilder<ExportJob>> setters, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await db.ExportJobs.Where(j => j.Id == jobId).ExecuteUpdateAsync(setters, cancellationToken);
    }

    /// <summary>The first exception of type <typeparamref name="T"/> in the chain: codecs running in parallel wrap what they catch.</summary>
    private static T? FindCause<T>(Exception exception) where T : Exception
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is T match)
            {
                return match;
            }
            if (current is AggregateException aggregate && aggregate.InnerExceptions.Select(FindCause<T>).FirstOrDefault(e => e is not null) is { } inner)
            {
                return inner;
            }
        }
        return null;
    }

    private static string DescribeFailure(Exception exception) => exception switch
    {
        IOException io when io.HResult == 28 || io.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase) =>
            "The export directory ran out of disk space; the partial file was removed. Free some space and start the export again.",
        IOException io => $"Writing the export file failed ({io.Message}); the partial file was removed. Check the export directory and start the export again.",
        UnauthorizedAccessException => "The export directory is not writable; the partial file was removed. Check its permissions and start the export again.",
        _ => $"The export failed unexpectedly ({exception.GetType().Name}: {exception.Message}). Start it again; if it keeps failing, check the server log.",
    };

    /// <summary>What one run knows while it runs; read by the monitor from another thread.</summary>
    internal sealed class RunState(ExportJob job, DateTime exportedAt)
    {
        public ExportJob Job { get; } = job;
        public DateTime ExportedAt { get; } = exportedAt;
        public CompressionCounters Counters { get; } = new();
        public volatile bool CancelRequested;
        public int SessionsWritten;
        public ExportSelection? Selection { get; set; }
        public CompressionStats? Stats { get; set; }
        private volatile ExportStage _stage = ExportStage.Preparing;
        private ExportJobStatus _status = ExportJobStatus.Running;
        private string? _error;
        private string? _finalMessage;

        public ExportStage Stage { get => _stage; set => _stage = value; }

        public void Finish(ExportJobStatus status, ExportStage stage, string? message)
        {
            _status = status;
            _stage = stage;
            _error = status == ExportJobStatus.Failed ? message : null;
            _finalMessage = status == ExportJobStatus.Completed ? "Completed." : message;
        }

        public ExportProgress Snapshot()
        {
            var stage = _stage;
            var selected = Selection?.SessionCount ?? 0;
            var written = Volatile.Read(ref SessionsWritten);
            var total = Math.Max(1, selected * Job.Formats.Count);
            var phase = Counters.Phase;
            if (stage == ExportStage.Exporting && phase == CompressionPhase.Compressing)
            {
                stage = ExportStage.Compressing;
            }

            double percent = stage switch
            {
                ExportStage.Queued or ExportStage.Preparing => 1,
                ExportStage.Exporting when Job.CompressionFormat.IsArchive() => 2 + 58.0 * written / total,
                ExportStage.Exporting => 2 + 93.0 * written / total,
                ExportStage.Compressing => 60 + 35.0 * Counters.CompressedFraction,
                ExportStage.Finalizing => 98,
                _ => 100,
            };
            if (_status != ExportJobStatus.Running && _status != ExportJobStatus.Completed)
            {
                percent = Math.Min(percent, 99);
            }

            return new ExportProgress
            {
                JobId = Job.Id,
                Status = _status,
                Stage = stage,
                Percent = Math.Round(Math.Clamp(percent, 0, 100), 1),
                Message = _finalMessage ?? Describe(stage, written, selected),
                SessionsDone = Math.Min(written, selected * Job.Formats.Count) / Math.Max(1, Job.Formats.Count),
                SessionsSelected = selected,
                BytesIn = Stats?.OriginalBytes ?? Counters.BytesIn,
                BytesOut = Stats?.StoredBytes ?? Counters.BytesOut,
                Error = _error,
            };
        }

        private string Describe(ExportStage stage, int written, int selected) => stage switch
        {
            ExportStage.Preparing => "Selecting sessions…",
            ExportStage.Exporting => $"Writing {Job.Formats.Count switch { 1 => Job.Formats[0].GetDisplayName(), var n => $"{n} formats" }}: {Math.Min(written, selected * Job.Formats.Count)} of {selected * Job.Formats.Count} sessions",
            ExportStage.Compressing => $"Compressing with {Job.CompressionFormat.GetWireName()}… {Math.Round(Counters.CompressedFraction * 100)}%",
            ExportStage.Finalizing => "Saving the file…",
            _ => "",
        };
    }
}
