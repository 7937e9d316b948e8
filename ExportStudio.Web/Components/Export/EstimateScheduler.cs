namespace ExportStudio.Web.Components.Export;

/// <summary>
/// The export panel's estimate: debounced, computed off the circuit's thread, and only the newest request's
/// answer is shown. <see cref="Busy"/> is true exactly while an answer for the current form is on its way,
/// so "estimating" can never outlive the request it belongs to.
/// </summary>
internal sealed class EstimateScheduler(ExportEstimator estimator, ILogger logger, Func<Action, Task> dispatch) : IDisposable
{
    public static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(400);

    private int _version;
    private CancellationTokenSource? _pending;

    public ExportEstimate? Estimate { get; private set; }
    public CompressionRecommendation? Recommendation { get; private set; }
    public bool Busy { get; private set; }

    /// <summary>The last estimate failed (the export itself may still work).</summary>
    public bool Failed { get; private set; }

    /// <summary>Raised on the circuit's thread when an estimate arrives or fails.</summary>
    public event Action? Changed;

    /// <summary>Called on the circuit's thread for every change of the form.</summary>
    public void Schedule(ExportRequest request, ClientEnvironment client)
    {
        var version = ++_version;
        // Cancelled, never disposed: a source without a timer holds nothing the GC does not reclaim, and
        // disposing one that a running estimate may still observe is what used to throw ObjectDisposedException.
        _pending?.Cancel();
        _pending = null;
        if (request.Validate(int.MaxValue).Count > 0)
        {
            (Estimate, Recommendation, Busy, Failed) = (null, null, false, false);
            return;
        }
        var pending = _pending = new CancellationTokenSource();
        Busy = true;
        _ = Task.Run(() => RunAsync(request, client, version, pending.Token));
    }

    private async Task RunAsync(ExportRequest request, ClientEnvironment client, int version, CancellationToken token)
    {
        try
        {
            await Task.Delay(Delay, token);
            var estimate = await estimator.EstimateAsync(request, token);
            var recommendation = CompressionRecommender.Recommend(estimate, client, request.IsBundle, request.Options.Layout);
            await dispatch(() => Settle(version, estimate, recommendation, failed: false));
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // A newer change took over; it owns Busy now.
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "Estimating the export failed.");
            await dispatch(() => Settle(version, null, null, failed: true));
        }
    }

    private void Settle(int version, ExportEstimate? estimate, CompressionRecommendation? recommendation, bool failed)
    {
        if (version != _version)
        {
            return;
        }
        (Estimate, Recommendation, Busy, Failed) = (estimate, recommendation, false, failed);
        Changed?.Invoke();
    }

    public void Dispose()
    {
        _version++;
        _pending?.Cancel();
    }
}
