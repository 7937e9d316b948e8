using System.Threading.Channels;
using ExportStudio.Core.Configuration;
using ExportStudio.Core.Exporting.Pipeline;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ExportStudio.Core.Exporting.Jobs;

/// <summary>
/// Runs queued jobs in the background, at most <c>MaxConcurrentExports</c> at once, oldest first. Jobs are
/// claimed in the database under a lease (queued → running, conditionally), so several instances share one
/// queue; alongside, the recovery sweep takes over runs whose owner is gone.
/// </summary>
public sealed class ExportWorker(
    ExportJobStore store,
    ExportRunner runner,
    ExportRecovery recovery,
    ExportProgressFeed feed,
    AppInstance instance,
    IOptions<ExportStudioOptions> options,
    ILogger<ExportWorker> logger) : BackgroundService
{
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(5);
    private readonly Channel<bool> _wakeUp = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    private TimeSpan LeaseDuration => TimeSpan.FromSeconds(options.Value.LeaseSeconds);

    /// <summary>How often the sweep looks for expired leases: a third of a lease, at most the idle poll.</summary>
    private TimeSpan SweepInterval => TimeSpan.FromTicks(Math.Min(IdlePoll.Ticks, LeaseDuration.Ticks / 3));

    /// <summary>Tells the worker a job was queued, so it does not wait for its next poll.</summary>
    public void Notify() => _wakeUp.Writer.TryWrite(true);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await recovery.SweepAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var sweeping = SweepAsync(stoppingToken);
        var slots = new SemaphoreSlim(options.Value.MaxConcurrentExports);
        var running = new List<Task>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await slots.WaitAsync(stoppingToken);
                var lease = await TryClaimNextAsync(stoppingToken);
                if (lease is null)
                {
                    slots.Release();
                    await WaitForWorkAsync(stoppingToken);
                    continue;
                }
                running.RemoveAll(t => t.IsCompleted);
                running.Add(RunClaimedAsync(lease, slots, stoppingToken));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: each run gives its claim back.
        }
        await Task.WhenAll(running);
        await sweeping;
    }

    private async Task RunClaimedAsync(JobLease lease, SemaphoreSlim slots, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Yield();
            await runner.RunAsync(lease, stoppingToken);
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            // Its lease runs out and the sweep takes the job over: nothing is left running for ever.
            logger.LogError(exception, "Export {JobId} could not be run.", lease.JobId);
        }
        finally
        {
            slots.Release();
            Notify();
        }
    }

    private async Task SweepAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(SweepInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    if (await recovery.SweepAsync(stoppingToken) > 0)
                    {
                        Notify();
                    }
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    logger.LogWarning(exception, "The recovery sweep failed; it runs again in {Seconds:0} s.", SweepInterval.TotalSeconds);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
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

    /// <summary>The next claim, or null when nothing waits or the database is too busy to ask right now.</summary>
    private async Task<JobLease?> TryClaimNextAsync(CancellationToken cancellationToken)
    {
        JobLease? lease;
        try
        {
            lease = await store.ClaimNextAsync(instance.Id, LeaseDuration, cancellationToken);
        }
        catch (Exception exception) when (ExportRunMonitor.IsTransient(exception))
        {
            logger.LogDebug(exception, "The database was busy; claiming waits for the next poll.");
            return null;
        }
        if (lease is not null)
        {
            feed.Publish(new ExportProgress { JobId = lease.JobId, Status = ExportJobStatus.Running, Stage = ExportStage.Preparing, Percent = 1, Message = "Starting…" });
        }
        return lease;
    }
}
