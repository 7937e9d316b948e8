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
        if (!string.IsNullOrWhiteSpace(filters.Search))
        {
            // lower() on both sides: case-insensitive on every provider without provider-specific SQL.
            var search = filters.Search.Trim().ToLower();
            sessions = sessions.Where(s => s.Title.ToLower().Contains(search) || s.Messages.Any(m => m.Content.ToLower().Contains(search)));
        }
        return sessions;
    }
}
