using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using ExportStudio.Core.Data;

namespace ExportStudio.Core.Sessions;

/// <summary>
/// Changes to single sessions, as a chat application makes them: create or replace a whole session, append
/// messages, delete. Each change is one transaction that takes the next value of the change sequence and
/// sets <c>updatedAt</c>, so an incremental export sees it exactly once.
/// </summary>
public sealed class SessionStore(IDbContextFactory<ExportStudioDbContext> contextFactory, TimeProvider clock)
{
    /// <summary>Creates the session or replaces the one with its id, whole; message ids must not belong to another session.</summary>
    public async Task<SessionChange> PutAsync(ChatSession incoming, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var held = await FindAsync(db, incoming.Id, cancellationToken);
        var messageIds = incoming.Messages.Select(m => m.Id).ToList();
        if (await db.Messages.Where(m => messageIds.Contains(m.Id) && m.SessionId != incoming.Id).Select(m => new { m.Id, m.SessionId }).FirstOrDefaultAsync(cancellationToken) is { } taken)
        {
            throw new SessionConflictException($"Message id {taken.Id} already belongs to session {taken.SessionId}; message ids are unique across sessions.");
        }
        var now = Now(held?.UpdatedAt);
        if (held is not null)
        {
            await db.Messages.Where(m => m.SessionId == incoming.Id).ExecuteDeleteAsync(cancellationToken);
            incoming.CreatedAt = incoming.CreatedAt == default ? held.CreatedAt : incoming.CreatedAt;
            db.Sessions.Remove(held);
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }
        incoming.CreatedAt = incoming.CreatedAt == default ? now : incoming.CreatedAt;
        incoming.UpdatedAt = now;
        incoming.ChangeSequence = await ChangeCounter.TakeAsync(db, 1, cancellationToken);
        incoming.PendingImport = null;
        Number(incoming.Messages, incoming.Id, 0);
        db.Sessions.Add(incoming);
        await ForgetDeletionAsync(db, incoming.Id, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new SessionChange(incoming.Id, held is null, incoming.ChangeSequence, now, incoming.Messages.Count, incoming.Messages.Count, 0);
    }

    /// <summary>
    /// Appends <paramref name="messages"/> after the session's last message; a message whose id the session
    /// holds already is skipped (a retried request appends nothing twice). Null when there is no such session.
    /// </summary>
    public async Task<SessionChange?> AppendAsync(Guid sessionId, IReadOnlyList<ChatMessage> messages, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var session = await FindAsync(db, sessionId, cancellationToken);
        if (session is null)
        {
            return null;
        }
        var ids = messages.Select(m => m.Id).ToList();
        var owners = await db.Messages.Where(m => ids.Contains(m.Id)).Select(m => new { m.Id, m.SessionId }).ToDictionaryAsync(m => m.Id, m => m.SessionId, cancellationToken);
        foreach (var (taken, owner) in owners.Where(o => o.Value != sessionId))
        {
            throw new SessionConflictException($"Message id {taken} already belongs to session {owner}; message ids are unique across sessions.");
        }
        var fresh = messages.Where(m => !owners.ContainsKey(m.Id)).ToList();
        var count = await db.Messages.CountAsync(m => m.SessionId == sessionId, cancellationToken);
        if (fresh.Count == 0)
        {
            return new SessionChange(sessionId, false, session.ChangeSequence, session.UpdatedAt, count, 0, messages.Count);
        }
        var next = await db.Messages.Where(m => m.SessionId == sessionId).MaxAsync(m => (int?)m.Order, cancellationToken) ?? -1;
        var now = Now(session.UpdatedAt);
        foreach (var message in fresh)
        {
            message.CreatedAt = message.CreatedAt == default ? now : message.CreatedAt;
        }
        Number(fresh, sessionId, next + 1);
        db.Messages.AddRange(fresh);
        session.UpdatedAt = now;
        session.ChangeSequence = await ChangeCounter.TakeAsync(db, 1, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new SessionChange(sessionId, false, session.ChangeSequence, now, count + fresh.Count, fresh.Count, messages.Count - fresh.Count);
    }

    /// <summary>Deletes the session and remembers the deletion (with its change sequence) for incremental exports; false when there is none.</summary>
    public async Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var session = await FindAsync(db, id, cancellationToken);
        if (session is null)
        {
            return false;
        }
        await RemoveAsync(db, [id], clock.GetUtcNow().UtcDateTime, await ChangeCounter.TakeAsync(db, 1, cancellationToken), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Deletes the sessions among <paramref name="ids"/> that exist, inside the caller's transaction, and
    /// records each deletion under <paramref name="sequence"/>; import's replicate mode shares it.
    /// </summary>
    public static async Task<int> RemoveAsync(ExportStudioDbContext db, IReadOnlyCollection<Guid> ids, DateTime deletedAt, long sequence, CancellationToken cancellationToken)
    {
        var present = await db.Sessions.Where(s => ids.Contains(s.Id)).Select(s => s.Id).ToListAsync(cancellationToken);
        if (present.Count == 0)
        {
            return 0;
        }
        await db.Sessions.Where(s => present.Contains(s.Id)).ExecuteDeleteAsync(cancellationToken);
        await db.SessionDeletions.Where(d => present.Contains(d.SessionId)).ExecuteDeleteAsync(cancellationToken);
        db.SessionDeletions.AddRange(present.Select(p => new SessionDeletion { SessionId = p, ChangeSequence = sequence, DeletedAt = deletedAt }));
        await db.SaveChangesAsync(cancellationToken);
        return present.Count;
    }

    /// <summary>The session, or null; one that an import is still writing is a conflict, not absent.</summary>
    private static async Task<ChatSession?> FindAsync(ExportStudioDbContext db, Guid id, CancellationToken cancellationToken)
    {
        var session = await db.Sessions.IgnoreQueryFilters().SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (session?.PendingImport is not null)
        {
            throw new SessionConflictException($"An import is bringing session {id} in right now; send the change again once it has finished.");
        }
        return session;
    }

    private static Task ForgetDeletionAsync(ExportStudioDbContext db, Guid id, CancellationToken cancellationToken) =>
        db.SessionDeletions.Where(d => d.SessionId == id).ExecuteDeleteAsync(cancellationToken);

    private static void Number(IEnumerable<ChatMessage> messages, Guid sessionId, int first)
    {
        foreach (var message in messages)
        {
            message.SessionId = sessionId;
            message.Order = first++;
            var call = 0;
            foreach (var toolCall in message.ToolCalls)
            {
                toolCall.MessageId = message.Id;
                toolCall.Order = call++;
            }
        }
    }

    /// <summary>Now, but never before the last change: a clock set back must not make a change look older than the one it follows.</summary>
    private DateTime Now(DateTime? previous)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return previous is { } last && last >= now ? last.AddTicks(1) : now;
    }
}


/// <summary>What a change did: whether it created the session, the sequence it took, how many messages the session now holds, appended and skipped.</summary>
public sealed record SessionChange(Guid Id, bool Created, long ChangeSequence, DateTime UpdatedAt, int MessageCount, int Appended, int Skipped);

/// <summary>The change cannot be made as asked (a message id of another session, an import in progress); the message says why.</summary>
public sealed class SessionConflictException(string message) : Exception(message);
