using ExportStudio.Core.Data;

namespace ExportStudio.Core.Sessions;

/// <summary>The one place where <see cref="ExportFilters"/> become a query, for the catalog, the estimator and exports alike.</summary>
public static class SessionFilters
{
    public static IQueryable<ChatSession> ApplyFilters(this IQueryable<ChatSession> sessions, ExportFilters filters)
    {
        if (filters.From is { } from)
        {
            sessions = sessions.Where(s => s.CreatedAt >= from);
        }
        if (filters.To is { } to)
        {
            sessions = sessions.Where(s => s.CreatedAt <= to);
        }
        if (filters.SessionIds.Count > 0)
        {
            var ids = filters.SessionIds.ToList();
            sessions = sessions.Where(s => ids.Contains(s.Id));
        }
        if (filters.Models.Count > 0)
        {
            var models = filters.Models.ToList();
            sessions = sessions.Where(s => models.Contains(s.Model));
        }
        if (filters.Tags.Count > 0)
        {
            var tags = filters.Tags.ToList();
            sessions = sessions.Where(s => s.Tags.Any(t => tags.Contains(t)));
        }
        if (filters.Sources.Count > 0)
        {
            var sources = filters.Sources.ToList();
            sessions = sessions.Where(s => s.Source != null && sources.Contains(s.Source));
        }
        if (!string.IsNullOrWhiteSpace(filters.Search))
        {
            // Folded on both sides (case, ß, dotted and dotless i, final sigma…), by the same function in .NET and
            // in the database, so every script is case-insensitive; a substring test, not LIKE, because the
            // search is the user's text and may hold % and _.
            var search = TextFolding.Fold(filters.Search.Trim())!;
            sessions = sessions.Where(s => TextFolding.Fold(s.Title)!.Contains(search) || s.Messages.Any(m => TextFolding.Fold(m.Content)!.Contains(search)));
        }
        return sessions;
    }
}
