namespace ExportStudio.Core.Importing.Sources;

/// <summary>
/// What the readers of one import share: the import's own clock reading, given to whatever has no time of
/// its own, and the count of what could not be kept (by reason) and of conversations a file repeats.
/// Used by the reading thread only; the service reads it once reading is over.
/// </summary>
public sealed class ImportContext(DateTime now)
{
    private readonly SortedDictionary<string, int> _dropped = new(StringComparer.Ordinal);
    private readonly HashSet<Guid> _contentIds = [];
    private readonly HashSet<Guid> _listedDeletions = [];

    /// <summary>
    /// The time of the import, to the millisecond. A session whose source has no time at all gets it as its
    /// times, which also marks it as having no version of its own: a later import never replaces it.
    /// </summary>
    public DateTime Now { get; } = new(now.Ticks - now.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);

    /// <summary>Conversations named by their content that a file holds more than once (datasets repeat records): imported once.</summary>
    public int Repeats { get; private set; }

    /// <summary>What could not be kept, by reason (e.g. image, reasoning), in reason order.</summary>
    public IReadOnlyDictionary<string, int> Dropped => new SortedDictionary<string, int>(_dropped, StringComparer.Ordinal);

    public void Drop(string reason, int count = 1)
    {
        if (count > 0)
        {
            _dropped[reason] = _dropped.GetValueOrDefault(reason) + count;
        }
    }

    /// <summary>True (and counted) when a conversation with this content id was read before in this import.</summary>
    public bool IsRepeat(Guid contentId)
    {
        if (_contentIds.Add(contentId))
        {
            return false;
        }
        Repeats++;
        return true;
    }

    /// <summary>The sessions the file's incremental exports list as deleted (a replicate import deletes them).</summary>
    public IReadOnlyCollection<Guid> ListedDeletions => _listedDeletions;

    /// <summary>Notes what an incremental ExportStudio export says it holds.</summary>
    public void Increment(Exporting.ExportIncrement increment) => _listedDeletions.UnionWith(increment.DeletedSessionIds);

    /// <summary>True when <paramref name="session"/> has no time from its source (see <see cref="Now"/>).</summary>
    public bool IsUnversioned(Data.ChatSession session) => session.UpdatedAt == Now && session.CreatedAt == Now;
}
