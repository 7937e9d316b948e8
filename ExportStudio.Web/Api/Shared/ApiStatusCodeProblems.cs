namespace ExportStudio.Web.Api.Shared;

/// <summary>
/// Empty error responses on <c>/api</c> (a route that does not exist, a wrong method or media type, a body
/// the server refused) become problem details that say what to do; the pages keep their own not-found page.
/// </summary>
internal static class ApiStatusCodeProblems
{
    public static IApplicationBuilder UseApiStatusCodeProblems(this IApplicationBuilder app) =>
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments("/api"),
            api => api.UseStatusCodePages(async context =>
            {
                var http = context.HttpContext;
                var (title, detail) = http.Response.StatusCode switch
                {
                    StatusCodes.Status404NotFound => ("Not found", $"There is no API endpoint at {http.Request.Method} {http.Request.Path}. The endpoints are listed in /openapi/v1.json."),
                    StatusCodes.Status405MethodNotAllowed => ("Method not allowed", $"{http.Request.Method} is not supported on {http.Request.Path}. The endpoints are listed in /openapi/v1.json."),
                    StatusCodes.Status415UnsupportedMediaType => ("Unsupported media type", $"Send the request body as JSON with 'Content-Type: application/json' (got '{http.Request.ContentType ?? "none"}')."),
                    StatusCodes.Status413PayloadTooLarge => ("Payload too large", "The request body is larger than this endpoint accepts."),
                    StatusCodes.Status400BadRequest => ("Bad request", "The request could not be read: check the URL's parameters and the body."),
                    var code => (ReasonPhrases(code), $"The request failed with status {code}."),
                };
                await Results.Problem(title: title, detail: detail, statusCode: http.Response.StatusCode).ExecuteAsync(http);
            }));

    private static string ReasonPhrases(int code) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(code);
}
