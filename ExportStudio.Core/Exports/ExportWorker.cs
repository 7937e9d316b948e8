using System.Threading.Channels;
using ExportStudio.Core.Configuration;
using ExportStudio.Core.Sessions;
using ExportStudio.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ExportStudio.Core.Exports;

/// <summary>
/// Runs queued jobs in the background, at most <c>MaxConcurrentExports</c> at once, oldest first. Jobs are
/// claimed in the database (queued → running, conditionally), so several instances could share a queue.
/// On start it recovers from a crash: interrupted jobs are re-run once, then failed; stray partial files go.
/// </summary>
public sealed class ExportWorker(
    IDbContextFactory<ExportStudioDbContext> contextFactory,
    ExportRunner runner,
    ExportFileStore files,
    ExportProgressFeed feed,
    IOptions<ExportStudioOptions> options,
    TimeProvider time,
    ILogger<ExportWorker> logger) : BackgroundService
{
    /// <summary>How many times a job is started before a crash during it marks it failed.</summary>
    public const int MaxAttempts = 2;

    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(5);
    private readonly Channel<bool> _wakeUp = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly string _instance = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    /// <summary>Tells the worker a job was queued, so it does not wait for its next poll.</summary>
    public void Notify() => _wakeUp.Writer.TryWrite(true);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await RecoverAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    internal async Task RecoverAsync(CancellationToken cancellationToken)
    {
        var strays = files.DeleteStrayPartials();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;

        var failed = await db.ExportJobs
            .Where(j => j.Status == ExportJobStatus.Running && (j.Attempts >= MaxAttempts || j.CancelRequested))
            .ExecuteUpdateAsync(j => j
                .SetProperty(x => x.Status, x => x.CancelRequested ? ExportJobStatus.Cancelled : ExportJobStatus.Failed)
                .SetProperty(x => x.Error, x => x.CancelRequested ? null : "The export was interrupted by a server restart and did not finish after a retry. Start it again.")
                .SetProperty(x => x.CompletedAt, now)
                .SetProperty(x => x.ClaimedBy, (string?)null), cancellationToken);

        var requeued = await db.ExportJobs
            .Where(j => j.Status == ExportJobStatus.Running)
            .ExecuteUpdateAsync(j => j
                .SetProperty(x => x.Status, ExportJobStatus.Queued)
                .SetProperty(x => x.Stage, ExportStage.Queued)
                .SetProperty(x => x.Percent, 0)
                .SetProperty(x => x.BytesIn, 0)
                .SetProperty(x => x.BytesOut, 0)
                .SetProperty(x => x.ProgressMessage, "Interrupted by a restart; queued to run again.")
                .SetProperty(x => x.ClaimedBy, (string?)null), cancellationToken);

        if (strays + failed + requeued > 0)
        {
            logger.LogWarning("Recovered from an interrupted run: {Requeued} export(s) re-queued, {Failed} marked failed, {Strays} partial file(s) removed.", requeued, failed, strays);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var slots = new SemaphoreSlim(options.Value.MaxConcurrentExports);
        var running = new List<Task>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await slots.WaitAsync(stoppingToken);
                var jobId = await ClaimNextAsync(stoppingToken);
                if (jobId is null)
                {
                    slots.Release();
                    await WaitForWorkAsync(stoppingToken);
                    continue;
                }

                running.RemoveAll(t => t.IsCompleted);
                running.Add(RunClaimedAsync(jobId.Value, slots, stoppingToken));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        await Task.WhenAll(running);
    }

    private async Task RunClaimedAsync(Guid jobId, SemaphoreSlim slots, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Yield();
            await runner.RunAsync(jobId, stoppingToken);
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogError(exception, "Export {JobId} could not be run.", jobId);
        }
        finally
        {
            slots.Release();
            Notify();
        }
    }

    private async Task WaitForWorkAsync(CancellationToken stoppingToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(IdlePoll);
        try
        {
            await _wakeUp.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // Poll again: another instance may have queued work.
        }
    }

    /// <summary>Claims the oldest queued job for this instance; null when none is waiting.</summary>
    private async Task<Guid?> ClaimNextAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        while (true)
        {
            var candidate = await db.ExportJobs.AsNoTracking()
                .Where(j => j.Status == ExportJobStatus.Queued)
                .OrderBy(j => j.CreatedAt)
                .Select(j => (Guid?)j.Id)
                .FirstOrDefaultAsync(cancellationToken);
            if (candidate is null)
            {
                return null;
            }

            var now = time.GetUtcNow().UtcDateTime;
            var claimed = await db.ExportJobs
                .Where(j => j.Id == candidate && j.Status == ExportJobStatus.Queued)
                .ExecuteUpdateAsync(j => j
                    .SetProperty(x => x.Status, ExportJobStatus.Running)
                    .SetProperty(x => x.Stage, ExportStage.Preparing)
                    .SetProperty(x => x.StartedAt, now)
                    .SetProperty(x => x.Attempts, x => x.Attempts + 1)
                    .SetProperty(x => x.ClaimedBy, _instance), cancellationToken);
            if (claimed == 1)
            {
                feed.Publish(new ExportProgress { JobId = candidate.Value, Status = ExportJobStatus.Running, Stage = ExportStage.Preparing, Percent = 1, Message = "Starting…" });
                return candidate;
            }
            // Another instance, or a cancel, got there first: look again.
        }
    }
}
