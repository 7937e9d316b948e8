using ExportStudio.Web.Api.Shared;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ExportStudio.Web.Api.Sessions;

/// <summary>
/// <c>/api/v1/sessions</c>: sessions for pickers and the models and tags to filter by; and one session at a
/// time — read, create or replace, append to, delete — the way a chat application feeds ExportStudio.
/// </summary>
internal static partial class SessionEndpoints
{
    private const int DefaultPageSize = 50;
    private const int MaxSearchLength = 500;

    public static RouteGroupBuilder MapSessionEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/sessions").WithTags("Sessions");
        group.MapGetAndHead("/", SearchAsync).WithName("ListSessions").WithSummary("Sessions, newest first, optionally searched by title and content");
        group.MapGetAndHead("/facets", GetFacetsAsync).WithName("SessionFacets").WithSummary("The models and tags that occur in the sessions");
        group.MapOneSession();
        return api;
    }

    private static async Task<Results<Ok<SessionPage>, ValidationProblem>> SearchAsync(
        [AsParameters] PageQuery paging, SessionCatalog catalog, CancellationToken cancellationToken, string? search = null)
    {
        var (page, pageSize, errors) = paging.Resolve(DefaultPageSize);
        if (search is { Length: > MaxSearchLength })
        {
            errors["search"] = [$"The search text is {search.Length} characters; at most {MaxSearchLength} are allowed."];
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
