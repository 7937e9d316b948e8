namespace ExportStudio.Core.Exporting.Reading;

/// <summary>A loaded batch; disposing it returns its text buffers and records for reuse, after which they must not be used.</summary>
internal sealed class SessionBatch(List<SessionRecord> sessions, Utf8Arena text, RecordRecycler records) : IDisposable
{
    public List<SessionRecord> Sessions { get; } = sessions;

    private bool _disposed;

    public void Dispose()
    {
        // Twice would hand the same records out to two sessions.
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        text.Dispose();
        records.GiveBack(Sessions);
    }
}
