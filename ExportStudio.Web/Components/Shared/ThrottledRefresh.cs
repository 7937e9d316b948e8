namespace ExportStudio.Web.Components.Shared;

/// <summary>
/// Turns a stream of change notices (every job's progress passes through the feed, many a second) into
/// at most one reload per interval: the first notice schedules a reload, the ones before it runs join it.
/// </summary>
internal sealed class ThrottledRefresh(TimeSpan interval, Func<Task> reloadAsync)
{
    private int _queued;
    private volatile bool _stopped;

    public async Task QueueAsync()
    {
        if (Interlocked.Exchange(ref _queued, 1) == 1)
        {
            return;
        }
        await Task.Delay(interval);
        Interlocked.Exchange(ref _queued, 0);
        if (!_stopped)
        {
            await reloadAsync();
        }
    }

    /// <summary>No reload after this (the component is gone).</summary>
    public void Stop() => _stopped = true;
}
