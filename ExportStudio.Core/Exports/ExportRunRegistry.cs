using System.Collections.Concurrent;

namespace ExportStudio.Core.Exports;

/// <summary>The runs active in this process, so a cancel request stops its run at once rather than at the next poll.</summary>
public sealed class ExportRunRegistry
{
    private readonly ConcurrentDictionary<Guid, Action> _cancels = new();

    public IDisposable Register(Guid jobId, Action cancel)
    {
        _cancels[jobId] = cancel;
        return new Registration(() => _cancels.TryRemove(jobId, out _));
    }

    public bool TryCancel(Guid jobId)
    {
        if (!_cancels.TryGetValue(jobId, out var cancel))
        {
            return false;
        }
        cancel();
        return true;
    }

    private sealed class Registration(Action remove) : IDisposable
    {
        public void Dispose() => remove();
    }
}
