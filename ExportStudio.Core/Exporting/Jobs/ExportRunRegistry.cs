using System.Collections.Concurrent;

namespace ExportStudio.Core.Exporting.Jobs;

/// <summary>
/// The runs active in this process: a cancel request stops its run at once rather than at the next poll,
/// and whoever needs a run to be over (deleting its job) can wait for the run itself.
/// </summary>
public sealed class ExportRunRegistry
{
    private readonly ConcurrentDictionary<Guid, Run> _runs = new();

    /// <summary>Registers a run until the registration is disposed, which also marks the run as ended.</summary>
    /// <param name="cancel">Stops the run; its argument says whether the job is to be deleted too.</param>
    public IDisposable Register(Guid jobId, Action<bool> cancel)
    {
        var run = new Run(cancel);
        _runs[jobId] = run;
        return new Registration(() =>
        {
            _runs.TryRemove(new KeyValuePair<Guid, Run>(jobId, run));
            run.Ended.TrySetResult();
        });
    }

    public bool TryCancel(Guid jobId, bool delete = false)
    {
        if (!_runs.TryGetValue(jobId, out var run))
        {
            return false;
        }
        run.Cancel(delete);
        return true;
    }

    /// <summary>A task that completes when the job's run in this process has ended; completed at once when none runs here.</summary>
    public Task WhenEndedAsync(Guid jobId) => _runs.TryGetValue(jobId, out var run) ? run.Ended.Task : Task.CompletedTask;

    private sealed record Run(Action<bool> Cancel)
    {
        public TaskCompletionSource Ended { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Registration(Action remove) : IDisposable
    {
        public void Dispose() => remove();
    }
}
