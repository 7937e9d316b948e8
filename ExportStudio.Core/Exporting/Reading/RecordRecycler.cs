
namespace ExportStudio.Core.Exporting.Reading;

/// <summary>
/// The records of written batches, handed back to the reader that loads the next ones, so reading rows
/// makes almost no garbage: new records for every batch meant full collections and a GC heap that grew
/// with the export (figures in docs/benchmarks.md).
/// </summary>
/// <remarks>
/// One thread takes (the reader), one gives back (the writer, a whole batch under the lock); the reader
/// swaps in the returned stock only when its own runs out, so taking needs no lock.
/// </remarks>
internal sealed class RecordRecycler
{
    private readonly Lock _lock = new();
    private readonly Stock<List<SessionRecord>> _lists = new();
    private readonly Stock<SessionRecord> _sessions = new();
    private readonly Stock<MessageRecord> _messages = new();
    private readonly Stock<ToolCallRecord> _toolCalls = new();

    public List<SessionRecord> TakeList() => Take(_lists);

    public SessionRecord TakeSession() => Take(_sessions);

    public MessageRecord TakeMessage() => Take(_messages);

    public ToolCallRecord TakeToolCall() => Take(_toolCalls);

    private T Take<T>(Stock<T> stock) where T : class, new()
    {
        if (stock.Owned.Count == 0)
        {
            lock (_lock)
            {
                (stock.Owned, stock.Returned) = (stock.Returned, stock.Owned);
            }
        }
        return stock.Owned.TryPop(out var item) ? item : new T();
    }

    /// <summary>Takes back a written batch; neither the list nor its records may be used afterwards.</summary>
    public void GiveBack(List<SessionRecord> sessions)
    {
        lock (_lock)
        {
            foreach (var session in sessions)
            {
                foreach (var message in session.Messages)
                {
                    foreach (var call in message.ToolCalls)
                    {
                        _toolCalls.Returned.Push(call);
                    }
                    message.ToolCalls.Clear();
                    _messages.Returned.Push(message);
                }
                session.Messages.Clear();
                _sessions.Returned.Push(session);
            }
            sessions.Clear();
            _lists.Returned.Push(sessions);
        }
    }

    private sealed class Stock<T>
    {
        public Stack<T> Owned = new();
        public Stack<T> Returned = new();
    }
}
