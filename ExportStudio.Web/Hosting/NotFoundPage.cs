using Microsoft.AspNetCore.Diagnostics;

namespace ExportStudio.Web.Hosting;

internal static class NotFoundPage
{
    /// <summary>
    /// An address that is no page renders the app's not-found page, with status 404. The re-execution must wrap
    /// the whole pipeline, not sit in a branch (re-executed from a branch, the request finds no endpoint and
    /// answers an empty 404); the API answers its own problem details first, and other errors of a page
    /// (a 400 for a missing antiforgery token) keep their status without a page that would call them "not found".
    /// </summary>
    public static IApplicationBuilder UseNotFoundPage(this IApplicationBuilder app, string path)
    {
        app.UseStatusCodePagesWithReExecute(path, createScopeForStatusCodePages: true);
        return app.Use(async (context, next) =>
        {
            var pages = context.Features.Get<IStatusCodePagesFeature>();
            await next(context);
            if (pages is not null && (context.Response.StatusCode != StatusCodes.Status404NotFound || context.Request.Path.StartsWithSegments("/api")))
            {
                pages.Enabled = false;
            }
        });
    }
}
