using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace ExportStudio.Core.Exporting.Jobs;

/// <summary>
/// The in-process feed of export progress that Blazor components and the API follow. Publishing never
/// waits for a subscriber: each subscription has its own queue and pump, so a slow page cannot slow an
/// export, and every subscriber sees a job's events in the order they were published.
/// </summary>
public sealed class ExportProgressFeed(ILogger<ExportProgressFeed> logger)
{
    private readonly ILogger _logger = logger;
    private readonly ConcurrentDictionary<Subscription, byte> _subscriptions = new();
    private readonly ConcurrentDictionary<Guid, ExportProgress> _latest = new();

    /// <summary>Follows one job (<paramref name="jobId"/>) or every job (null). Dispose to stop.</summary>
    public IDisposable Subscribe(Guid? jobId, Func<ExportProgress, Task> handler)
    {
        var subscription = new Subscription(this, jobId, handler);
        _subscriptions.TryAdd(subscription, 0);
        return subscription;
    }

    /// <summary>The last event published for a job still known to this process, if any.</summary>
    public ExportProgress? GetLatest(Guid jobId) => _latest.GetValueOrDefault(jobId);

    public void Publish(ExportProgress progress)
    {
        if (progress.IsFinished)
        {
            _latest.TryRemove(progress.JobId, out _);
        }
        else
        {
            _latest[progress.JobId] = progress;
        }

        foreach (var subscription in _subscriptions.Keys)
        {
            if (subscription.JobId is null || subscription.JobId == progress.JobId)
            {
                subscription.Enqueue(progress);
            }
        }
    }

    private sealed class Subscription : IDisposable
    {
        private readonly ExportProgressFeed _feed;
        private readonly Func<ExportProgress, Task> _handler;
        private readonly Channel<ExportProgress> _queue = Channel.CreateUnbounded<ExportProgress>(new UnboundedChannelOptions { SingleReader = true });

        public Subscription(ExportProgressFeed feed, Guid? jobId, Func<ExportProgress, Task> handler)
        {
            _feed = feed;
            _handler = handler;
            JobId = jobId;
            _ = PumpAsync();
        }

        public Guid? JobId { get; }

        public void Enqueue(ExportProgress progress) => _queue.Writer.TryWrite(progress);

        private async Task PumpAsync()
        {
            await foreach (var progress in _queue.Reader.ReadAllAsync())
            {
                try
                {
                    await _handler(progress);
                }
                catch (Exception exception)
                {
                    // A subscriber's failure is its own; the feed and the other subscribers carry on.
                    _feed._logger.LogWarning(exception, "A progress subscriber failed handling job {JobId}.", progress.JobId);
                }
            }
        }

        public void Dispose()
        {
            _feed._subscriptions.TryRemove(this, out _);
            _queue.Writer.TryComplete();
        }
    }
}
