using ExportStudio.Core.Data;
using ExportStudio.Core.Data.Bulk;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace ExportStudio.Core.Importing;

/// <summary>
/// Takes the sessions an import reads, one at a time: refuses repeated ids (naming them), leaves out what
/// the database already holds, and stages the rest. Only ids stay in memory; the sessions themselves go to
/// the staging database as they come, in batches checked against the real database with one read each.
/// </summary>
internal sealed class ImportBatch(StagingDatabase staging, IDbContextFactory<ExportStudioDbContext> contextFactory)
{
    private const int BatchSize = 500;
    private readonly List<(ChatSession Session, string Source)> _pending = [];
    private readonly Dictionary<Guid, int> _seenSessions = [];
    private int _document;

    public int Imported { get; private set; }
    public int Skipped { get; private set; }
    public int Messages { get; private set; }

    /// <summary>Starts a new document (a tar entry): a session repeated inside one document is an error, across documents the same session.</summary>
    public void StartDocument() => _document++;

    public async Task AddAsync(ChatSession session, string source, CancellationToken cancellationToken)
    {
        if (_seenSessions.TryGetValue(session.Id, out var document))
        {
            if (document == _document)
            {
                throw new ImportRejectedException($"Session id {session.Id} appears more than once in {source}; each session may appear once. Nothing was imported.");
            }
            return; // the same session in two entries of one bundle (its json and jsonl) is one session
        }
        _seenSessions[session.Id] = _document;
        CheckOwnIds(session, source);
        _pending.Add((session, source));
        if (_pending.Count >= BatchSize)
        {
            await FlushAsync(cancellationToken);
        }
    }

    /// <summary>Stages the pending sessions that the database does not hold yet.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_pending.Count == 0)
        {
            return;
        }
        var ids = _pending.Select(p => p.Session.Id).ToList();
        await using (var db = await contextFactory.CreateDbContextAsync(cancellationToken))
        {
            var existing = (await db.Sessions.Where(s => ids.Contains(s.Id)).Select(s => s.Id).ToListAsync(cancellationToken)).ToHashSet();
            foreach (var (session, source) in _pending)
            {
                if (existing.Contains(session.Id))
                {
                    Skipped++;
                    continue;
                }
                Stage(session, source);
                Imported++;
                Messages += session.Messages.Count;
            }
        }
        _pending.Clear();
    }

    /// <summary>After the apply: sessions that another writer added while this import ran were left out.</summary>
    public void LeftOut(int sessions)
    {
        Imported -= sessions;
        Skipped += sessions;
    }

    private void Stage(ChatSession session, string source)
    {
        try
        {
            staging.Add(session);
        }
        catch (SqliteException exception) when (exception.SqliteErrorCode == 19) // a constraint: a message id staged before
        {
            var repeated = session.Messages.First(m => staging.HasMessage(m.Id) || session.Messages.Count(o => o.Id == m.Id) > 1);
            throw new ImportRejectedException($"Message id {repeated.Id} appears more than once in {source}; message ids must be unique. Nothing was imported.", exception);
        }
    }

    /// <summary>Keys inside one session: message ids once, tool call ids once per message; every child points at its parent.</summary>
    private static void CheckOwnIds(ChatSession session, string source)
    {
        var messageIds = new HashSet<Guid>();
        foreach (var message in session.Messages)
        {
            if (!messageIds.Add(message.Id))
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
    }
}
