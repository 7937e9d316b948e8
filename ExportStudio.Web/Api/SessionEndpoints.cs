using ExportStudio.Core.Sessions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ExportStudio.Web.Api;

/// <summary><c>/api/v1/sessions</c>: sessions for pickers, and the models and tags to filter by.</summary>
internal static class SessionEndpoints
{
    public static RouteGroupBuilder MapSessionEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/sessions").WithTags("Sessions");
        group.MapGet("/", SearchAsync).WithName("ListSessions").WithSummary("Sessions, newest first, optionally searched by title and content");
        group.MapGet("/facets", GetFacetsAsync).WithName("SessionFacets").WithSummary("The models and tags that occur in the sessions");
        return api;
    }

    private static async Task<Results<Ok<SessionPage>, ValidationProblem>> SearchAsync(
        SessionCatalog catalog, CancellationToken cancellationToken, string? search = null, int page = 1, int pageSize = 50)
    {
        var errors = new Dictionary<string, string[]>();
        if (page < 1)
        {
            errors["page"] = [$"page is {page}; pages start at 1."];
        }
        if (pageSize is < 1 or > 200)
        {
            errors["pageSize"] = [$"pageSize is {pageSize}; it must be from 1 to 200."];
        }
        if (search is { Length: > 500 })
        {
            errors["search"] = [$"The search text is {search.Length} characters; at most 500 are allowed."];
        }
        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }
        return TypedResults.Ok(await catalog.SearchAsync(search, page, pageSize, cancellationToken));
    }

    private static async Task<Ok<SessionFacets>> GetFacetsAsync(SessionCatalog catalog, CancellationToken cancellationToken) =>
        TypedResults.Ok(await catalog.GetFacetsAsync(cancellationToken));
}
