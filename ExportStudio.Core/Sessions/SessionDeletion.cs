using ExportStudio.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ExportStudio.Core.Sessions;

/// <summary>Deletes one session with its messages and tool calls, as a person asks from the Sessions page.</summary>
public sealed class SessionDeletion(IDbContextFactory<ExportStudioDbContext> contextFactory)
{
    /// <summary>False when there is no such session (deleted already, or never there). One an import is still writing is invisible, so not deleted.</summary>
    public async Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        // Messages and tool calls go with it through their cascading foreign keys, in the same statement.
        return await db.Sessions.Where(s => s.Id == id).ExecuteDeleteAsync(cancellationToken) > 0;
    }
}
