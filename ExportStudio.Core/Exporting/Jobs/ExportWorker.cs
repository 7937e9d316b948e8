using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ExportStudio.Core.Configuration;
using ExportStudio.Core.Exporting.Pipeline;
using ExportStudio.Core.Storage;

namespace ExportStudio.Core.Exporting.Jobs;

/// <summary>
/// Runs queued jobs in the background, at most <c>MaxConcurrentExports</c> at once, oldest first. Jobs are
/// claimed in the database (queued → running, conditionally), so several instances could share a queue.
/// On start it recovers from a crash: interrupted jobs are re-run once, then failed; stray partial files go.
/// </summary>
public sealed class ExportWorker(
    ExportJobStore store,
    ExportRunner runner,
    ExportFileStore files,
    ExportProgressFeed feed,
    IOptions<ExportStudioOptions> options,
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
        var (ended, requeued) = await store.RecoverInterruptedAsync(MaxAttempts, cancellationToken);
        if (strays + ended + requeued > 0)
        {
            logger.LogWarning("Recovered from an interrupted run: {Requeued} export(s) re-queued, {Failed} marked failed, {Strays} partial file(s) removed.", requeued, ended, strays);
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

    private async Task<Guid?> ClaimNextAsync(CancellationToken cancellationToken)
    {
        var claimed = await store.ClaimNextAsync(_instance, cancellationToken);
        if (claimed is { } jobId)
        {
            feed.Publish(new ExportProgress { JobId = jobId, Status = ExportJobStatus.Running, Stage = ExportStage.Preparing, Percent = 1, Message = "Starting…" });
        }
        return claimed;
    }
}
