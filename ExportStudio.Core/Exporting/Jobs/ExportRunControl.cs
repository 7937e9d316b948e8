namespace ExportStudio.Core.Exporting.Jobs;

/// <summary>
/// How one run is stopped, and why: a cancel or delete request (made in this process, or in another and
/// read by the heartbeat), the lease lost to another instance, or the app stopping.
/// </summary>
internal sealed class ExportRunControl(CancellationToken stoppingToken) : IDisposable
{
    private readonly CancellationTokenSource _cancellation = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
    private volatile bool _cancelRequested;
    private volatile bool _deleteRequested;
    private volatile bool _leaseLost;

    public CancellationToken Token => _cancellation.Token;
    public bool CancelRequested => _cancelRequested;
    public bool DeleteRequested => _deleteRequested;
    public bool LeaseLost => _leaseLost;
    public bool Stopping => stoppingToken.IsCancellationRequested;

    public void RequestCancel(bool delete)
    {
        _deleteRequested |= delete;
        _cancelRequested = true;
        Cancel();
    }

    /// <summary>Another instance may own the job now: this run must stop and leave the job and its files alone.</summary>
    public void LoseLease()
    {
        _leaseLost = true;
        Cancel();
    }

    /// <summary>Ends the monitor of a run that is over.</summary>
    public async Task StopAsync(Task monitor)
    {
        await _cancellation.CancelAsync();
        await monitor;
    }

    private void Cancel()
    {
        try
        {
            _cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The run is already over.
        }
    }

    public void Dispose() => _cancellation.Dispose();
}
