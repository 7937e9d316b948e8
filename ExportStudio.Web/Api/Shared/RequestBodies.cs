namespace ExportStudio.Web.Api.Shared;

/// <summary>What bodies a state-changing endpoint accepts, checked before it runs.</summary>
internal static class RequestBodies
{
    /// <summary>
    /// For commands that take no body (cancel, delete): a request with a body type other than JSON is refused,
    /// so a form or text body, the kinds a page on another site can send without asking, changes nothing.
    /// </summary>
    public static RouteHandlerBuilder AcceptsNoBody(this RouteHandlerBuilder builder) => builder.AddEndpointFilter(async (context, next) =>
    {
        var request = context.HttpContext.Request;
        if (!string.IsNullOrEmpty(request.ContentType) && !request.HasJsonContentType())
        {
            return ApiProblems.UnsupportedMediaType(
                $"{request.Method} {request.Path} takes no body, and a '{ApiProblems.Shown(request.ContentType)}' body is refused. Send the request without a body (curl -X {request.Method} URL).");
        }
        return await next(context);
    });
}
