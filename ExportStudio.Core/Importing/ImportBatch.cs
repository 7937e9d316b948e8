using ExportStudio.Core.Data;
using ExportStudio.Core.Data.Bulk;
using ExportStudio.Core.Importing.Sources;
using Microsoft.Data.Sqlite;

namespace ExportStudio.Core.Importing;

/// <summary>
/// Takes the sessions an import reads, one at a time, and decides each: refused when its ids repeat (named
/// in the message), skipped when the database has it already at the same or a newer version, staged aside
/// to replace an older version, or written as a new pending session. A session whose source gave it no
/// time has no version to compare: one the database has is kept. Only ids stay in memory; sessions are
/// written as they come, in chunks checked against the database with one read each.
/// </summary>
internal sealed class ImportBatch(ImportWriter writer, StagingDatabase replacements, ImportContext context)
{
    // A chunk is one transaction: large enough that SQLite's checkpoints keep pace (small commits each
    // trigger one, which halved the write speed), small enough to hold the write lock a fraction of a second.
    private const int ChunkSessions = 2000;
    private const long ChunkBytes = 4L << 20;
    private readonly List<(ChatSession Session, string Source)> _pending = [];
    private readonly Dictionary<Guid, int> _seenSessions = [];
    private HashSet<Guid> _messageIds = [];
    private HashSet<string> _callIds = new(StringComparer.Ordinal);
    private long _pendingBytes;
    private int _document;

    public int Imported { get; private set; }
    public int Updated { get; private set; }
    public int Skipped { get; private set; }
    public int Messages { get; private set; }

    /// <summary>Starts a new document (a tar entry): a session repeated inside one document is an error, across documents the same session.</summary>
    public void StartDocument() => _document++;

    public void Add(ChatSession session, string source)
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
        _pendingBytes += Weight(session);
        if (_pending.Count >= ChunkSessions || _pendingBytes >= ChunkBytes)
        {
            Flush();
        }
    }

    /// <summary>Decides and writes the pending sessions: one read of what the database holds, one short write.</summary>
    public void Flush()
    {
        if (_pending.Count == 0)
        {
            return;
        }
        var ids = _pending.Select(p => p.Session.Id).ToList();
        // Pending sessions of another import count as held: that import brings them.
        var existing = writer.FindHeld(ids);
        var fresh = new List<(ChatSession Session, string Source)>(_pending.Count);
        foreach (var (session, source) in _pending)
        {
            if (!existing.TryGetValue(session.Id, out var held))
            {
                fresh.Add((session, source));
                Imported++;
                Messages += session.Messages.Count;
            }
            else if (session.UpdatedAt > held && !context.IsUnversioned(session))
            {
                Stage(session, source);
                Updated++;
                Messages += session.Messages.Count;
            }
            else
            {
                Skipped++;
            }
        }
        if (fresh.Count > 0)
        {
            writer.WriteChunk(fresh, _pendingBytes);
        }
        _pending.Clear();
        _pendingBytes = 0;
    }

    private void Stage(ChatSession session, string source)
    {
        try
        {
            replacements.Add(session);
        }
        catch (SqliteException exception) when (exception.SqliteErrorCode == 19)
        {
            throw new ImportRejectedException($"A message id of session {session.Id} appears more than once in {source}; message ids must be unique. Nothing was imported.", exception);
        }
    }

    /// <summary>The set, empty; a large one is replaced rather than cleared, since clearing costs its whole capacity every time after.</summary>
    private static HashSet<T> Emptied<T>(ref HashSet<T> set)
    {
        if (set.Count > 256)
        {
            set = new HashSet<T>(set.Comparer);
        }
        else
        {
            set.Clear();
        }
        return set;
    }

    /// <summary>About the bytes a session takes in the database (its text, UTF-16 counted as one byte a character).</summary>
    public static long Weight(ChatSession session)
    {
        long bytes = 256 + session.Title.Length + session.MetadataJson.Length;
        foreach (var message in session.Messages)
        {
            bytes += 128 + message.Content.Length;
            foreach (var call in message.ToolCalls)
            {
                bytes += 64 + call.ArgumentsJson.Length + (call.ResultJson?.Length ?? 0);
            }
        }
        return bytes;
    }

    /// <summary>
    /// Keys inside one session: message ids once, tool call ids once per message; every child points at its
    /// parent. The two sets are the batch's, cleared for each use: new ones for every session and message
    /// were most of what this check cost.
    /// </summary>
    private void CheckOwnIds(ChatSession session, string source)
    {
        var messageIds = Emptied(ref _messageIds);
        foreach (var message in session.Messages)
        {
            if (!messageIds.Add(message.Id))
            {
                throw new ImportRejectedException($"Message id {message.Id} appears more than once in {source}; message ids must be unique. Nothing was imported.");
            }
            message.SessionId = session.Id;
            var callIds = Emptied(ref _callIds);
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
