using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.WebUtilities;

namespace ExportStudio.Web.Api.Shared;

/// <summary>
/// Every error on <c>/api</c> answers problem details: a failure inside the server (without its internals,
/// which are in the log under the trace id the problem names), and an empty error status (a route that does
/// not exist, a wrong method or media type, a body the server refused). The pages keep their own pages.
/// </summary>
internal static class ApiErrorProblems
{
    public static IApplicationBuilder UseApiErrorProblems(this IApplicationBuilder app) =>
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments("/api"),
            api => api
                .UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = WriteFailureAsync, StatusCodeSelector = StatusOf })
                .UseStatusCodePages(context => WriteStatusAsync(context.HttpContext)));

    /// <summary>A request the server could not read keeps its 4xx; anything else is the server's fault.</summary>
    private static int StatusOf(Exception exception) =>
        exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError;

    private static Task WriteFailureAsync(HttpContext http)
    {
        var status = http.Response.StatusCode;
        if (http.Features.Get<IExceptionHandlerFeature>()?.Error is BadHttpRequestException bad && status < 500)
        {
            return Results.Problem(title: ReasonPhrases.GetReasonPhrase(status), detail: $"The request could not be read: {bad.Message}", statusCode: status).ExecuteAsync(http);
        }
        var traceId = Activity.Current?.Id ?? http.TraceIdentifier;
        return Results.Problem(
            title: "Internal server error",
            detail: $"The server failed while answering {http.Request.Method} {http.Request.Path}. What went wrong is in the server's log under trace id {traceId}; " +
                "try again, and if it keeps failing, report it with that id.",
            statusCode: status).ExecuteAsync(http);
    }

    private static Task WriteStatusAsync(HttpContext http)
    {
        var (title, detail) = http.Response.StatusCode switch
        {
            StatusCodes.Status404NotFound => ("Not found", $"There is no API endpoint at {http.Request.Method} {http.Request.Path}. The endpoints are listed in /openapi/v1.json."),
            StatusCodes.Status405MethodNotAllowed => ("Method not allowed", $"{http.Request.Method} is not supported on {http.Request.Path}. The endpoints are listed in /openapi/v1.json."),
            StatusCodes.Status415UnsupportedMediaType => ("Unsupported media type", $"Send the request body as JSON with 'Content-Type: application/json' (got '{http.Request.ContentType ?? "none"}')."),
            StatusCodes.Status413PayloadTooLarge => ("Payload too large", "The request body is larger than this endpoint accepts."),
            StatusCodes.Status400BadRequest => ("Bad request", "The request could not be read: check the URL's parameters and the body."),
            var code => (ReasonPhrases.GetReasonPhrase(code), $"The request failed with status {code}."),
        };
        return Results.Problem(title: title, detail: detail, statusCode: http.Response.StatusCode).ExecuteAsync(http);
    }
}
