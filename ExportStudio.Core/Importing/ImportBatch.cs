using Microsoft.EntityFrameworkCore;
using ExportStudio.Core.Data;

namespace ExportStudio.Core.Importing;

/// <summary>Collects sessions and writes them in batches inside the import's transaction, skipping ids that exist and refusing ids that clash.</summary>
internal sealed class ImportBatch(ExportStudioDbContext db)
{
    private const int BatchSize = 250;
    private readonly List<(ChatSession Session, string Source)> _pending = [];
    private readonly HashSet<Guid> _seenSessions = [];
    private readonly HashSet<Guid> _seenInDocument = [];

    /// <summary>Starts a new document (a tar entry): duplicates are checked within one document.</summary>
    public void StartDocument() => _seenInDocument.Clear();
    private readonly HashSet<Guid> _seenMessages = [];

    public int Imported { get; private set; }
    public int Skipped { get; private set; }
    public int Messages { get; private set; }

    public async Task AddAsync(ChatSession session, string source, CancellationToken cancellationToken)
    {
        if (!_seenInDocument.Add(session.Id))
        {
            throw new ImportRejectedException($"Session id {session.Id} appears more than once in {source}; each session may appear once. Nothing was imported.");
        }
        if (!_seenSessions.Add(session.Id))
        {
            // The same session in two entries of one bundle (its json and jsonl) is one session.
            Skipped++;
            return;
        }
        foreach (var message in session.Messages)
        {
            if (!_seenMessages.Add(message.Id))
            {
                throw new ImportRejectedException($"Message id {message.Id} appears more than once in {source}; message ids must be unique. Nothing was imported.");
            }
            message.SessionId = session.Id;
            var callIds = new HashSet<string>();
            foreach (var call in message.ToolCalls)
            {
                if (!callIds.Add(call.Id))
                {
                    throw new ImportRejectedException($"Tool call id '{call.Id}' appears twice in message {message.Id} in {source}. Nothing was imported.");
                }
                call.MessageId = message.Id;
            }
        }
        _pending.Add((session, source));
        if (_pending.Count >= BatchSize)
        {
            await FlushAsync(cancellationToken);
        }
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_pending.Count == 0)
        {
            return;
        }

        var ids = _pending.Select(p => p.Session.Id).ToList();
        var existing = (await db.Sessions.Where(s => ids.Contains(s.Id)).Select(s => s.Id).ToListAsync(cancellationToken)).ToHashSet();
        var fresh = _pending.Where(p => !existing.Contains(p.Session.Id)).ToList();

        var messageIds = fresh.SelectMany(p => p.Session.Messages).Select(m => m.Id).ToList();
        if (messageIds.Count > 0)
        {
            var clash = await db.Messages.Where(m => messageIds.Contains(m.Id)).Select(m => new { m.Id, m.SessionId }).FirstOrDefaultAsync(cancellationToken);
            if (clash is not null)
            {
                var owner = fresh.First(p => p.Session.Messages.Any(m => m.Id == clash.Id));
                throw new ImportRejectedException(
                    $"Message id {clash.Id} in session {owner.Session.Id} ({owner.Source}) already belongs to session {clash.SessionId} in this database. Nothing was imported.");
            }
        }

        db.Sessions.AddRange(fresh.Select(p => p.Session));
        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();

        Imported += fresh.Count;
        Skipped += existing.Count;
        Messages += fresh.Sum(p => p.Session.Messages.Count);
        _pending.Clear();
    }
}
