using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ExportStudio.Web.Api.Shared;

/// <summary>Reads a JSON request body under a size limit, answering a problem that says what to send when it cannot.</summary>
internal static class JsonBody
{
    /// <param name="noun">What the body is, for messages: "export request".</param>
    /// <param name="example">A valid body to show in messages.</param>
    public static async Task<(T? Body, ProblemHttpResult? Problem)> ReadAsync<T>(HttpRequest request, long maxBytes, string noun, string example, CancellationToken cancellationToken)
        where T : class
    {
        var a = "aeiou".Contains(noun[0]) ? "an" : "a";
        if (request.ContentLength > maxBytes)
        {
            return (null, ApiProblems.TooLarge($"The request body is {request.ContentLength:N0} bytes; {a} {noun} may be at most {maxBytes:N0} bytes."));
        }
        if (!request.HasJsonContentType())
        {
            return (null, ApiProblems.UnsupportedMediaType($"Send the {noun} as JSON with 'Content-Type: application/json' (got '{request.ContentType ?? "none"}')."));
        }
        // This reader enforces the limit and names it; the server's own (smaller by default) must not cut in first.
        if (request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size && size.MaxRequestBodySize < maxBytes + 1)
        {
            size.MaxRequestBodySize = maxBytes + 1;
        }
        try
        {
            await using var limited = new CountingReadStream(request.Body, maxBytes);
            var body = await JsonSerializer.DeserializeAsync<T>(limited, JsonSerializerOptions.Web, cancellationToken);
            return body is null
                ? (null, ApiProblems.BadRequest("Invalid body", $"The body is JSON null; send {a} {noun} object such as {example}."))
                : (body, null);
        }
        catch (JsonException exception)
        {
            var where = exception.Path is { Length: > 1 } path ? $" at {path}" : "";
            return (null, ApiProblems.BadRequest("Invalid body", $"The body is not a valid {noun}{where}: {FirstSentence(exception.Message)} Expected an object such as {example}."));
        }
        catch (ReadLimitExceededException)
        {
            return (null, ApiProblems.TooLarge($"The request body is larger than {maxBytes:N0} bytes, the most {a} {noun} may be."));
        }
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }
}
