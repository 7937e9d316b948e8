using Microsoft.EntityFrameworkCore;
using ExportStudio.Core.Data;

namespace ExportStudio.Core.Sessions;

/// <summary>Read-only views of the sessions for pickers and filters (the UI and the API share it).</summary>
public sealed class SessionCatalog(IDbContextFactory<ExportStudioDbContext> contextFactory)
{
    public async Task<SessionPage> SearchAsync(string? search, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Sessions.AsNoTracking().ApplyFilters(new ExportFilters { Search = search });
        int total;
        if (string.IsNullOrWhiteSpace(search))
        {
            total = await query.CountAsync(cancellationToken);
            query = query.OrderByDescending(s => s.CreatedAt).ThenBy(s => s.Id).TakePage(page, pageSize);
        }
        else
        {
            // A search reads every message: collect the matching ids in one pass and take both the total and the
            // page from them, where a count and a page would read every message twice.
            var ids = await query.OrderByDescending(s => s.CreatedAt).ThenBy(s => s.Id).Select(s => s.Id).ToListAsync(cancellationToken);
            total = ids.Count;
            var pageIds = ids.TakePage(page, pageSize).ToList();
            query = db.Sessions.AsNoTracking().Where(s => pageIds.Contains(s.Id)).OrderByDescending(s => s.CreatedAt).ThenBy(s => s.Id);
        }
        var items = await query
            .Select(s => new SessionSummary(s.Id, s.Title, s.Model, s.Tags, s.CreatedAt, s.UpdatedAt, s.Messages.Count))
            .ToListAsync(cancellationToken);
        return new SessionPage(items, total, page, pageSize);
    }

    /// <summary>The models and tags that occur, for the filter pickers.</summary>
    public async Task<SessionFacets> GetFacetsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var models = await db.Sessions.Select(s => s.Model).Distinct().OrderBy(m => m).ToListAsync(cancellationToken);
        // Tags live in a JSON array per session; flattening them needs APPLY, which SQLite lacks, so the
        // arrays are streamed and only the distinct tags are kept.
        var tags = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var sessionTags in db.Sessions.AsNoTracking().Select(s => s.Tags).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            tags.UnionWith(sessionTags);
        }
        return new SessionFacets(models, tags.ToList());
    }

    /// <summary>Whether the filters select any session: stops at the first match, so it costs little unless nothing matches.</summary>
    public async Task<bool> AnyAsync(ExportFilters filters, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Sessions.AsNoTracking().ApplyFilters(filters).AnyAsync(cancellationToken);
    }

    /// <summary>When the oldest and the newest sessions were created (UTC), so a date picker can open on the data; null without sessions.</summary>
    public async Task<SessionDateRange?> GetCreatedRangeAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var first = await db.Sessions.MinAsync(s => (DateTime?)s.CreatedAt, cancellationToken);
        var last = await db.Sessions.MaxAsync(s => (DateTime?)s.CreatedAt, cancellationToken);
        return first is { } from && last is { } to ? new SessionDateRange(from, to) : null;
    }

    /// <summary>The ids among <paramref name="ids"/> that no session has.</summary>
    public async Task<List<Guid>> FindMissingAsync(IEnumerable<Guid> ids, CancellationToken cancellationToken = default)
    {
        var wanted = ids.Distinct().ToList();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var found = await db.Sessions.Where(s => wanted.Contains(s.Id)).Select(s => s.Id).ToListAsync(cancellationToken);
        return wanted.Except(found).ToList();
    }
}

public sealed record SessionSummary(Guid Id, string Title, string Model, IReadOnlyList<string> Tags, DateTime CreatedAt, DateTime UpdatedAt, int MessageCount);

public sealed record SessionPage(IReadOnlyList<SessionSummary> Items, int Total, int Page, int PageSize);

public sealed record SessionDateRange(DateTime First, DateTime Last);

public sealed record SessionFacets(IReadOnlyList<string> Models, IReadOnlyList<string> Tags);
