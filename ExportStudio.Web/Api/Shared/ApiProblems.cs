using Microsoft.AspNetCore.Http.HttpResults;

namespace ExportStudio.Web.Api.Shared;

/// <summary>RFC 7807 problems with a message a person can act on.</summary>
internal static class ApiProblems
{
    public static ProblemHttpResult NotFound(string what) =>
        TypedResults.Problem(title: "Not found", detail: what, statusCode: StatusCodes.Status404NotFound);

    public static ProblemHttpResult Forbidden(string title, string detail) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: StatusCodes.Status403Forbidden);

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(title: "Conflict", detail: detail, statusCode: StatusCodes.Status409Conflict);

    public static ProblemHttpResult BadRequest(string title, string detail) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: StatusCodes.Status400BadRequest);

    public static ProblemHttpResult TooLarge(string detail) =>
        TypedResults.Problem(title: "Payload too large", detail: detail, statusCode: StatusCodes.Status413PayloadTooLarge);

    public static ProblemHttpResult UnsupportedMediaType(string detail) =>
        TypedResults.Problem(title: "Unsupported media type", detail: detail, statusCode: StatusCodes.Status415UnsupportedMediaType);

    public static ValidationProblem Validation(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "The request has problems", detail: string.Join(" ", errors.SelectMany(e => e.Value)));

    public static ValidationProblem Validation(string field, string message) => Validation(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>
    /// Parses an id from the route, so a malformed one gets a clear 400 naming the route's field
    /// (<paramref name="field"/>, e.g. <c>jobId</c>) rather than a bare 404.
    /// </summary>
    public static bool TryParseId(string value, string field, string resource, out Guid id, out ValidationProblem? problem)
    {
        if (Guid.TryParse(value, out id))
        {
            problem = null;
            return true;
        }
        problem = Validation(field, $"'{Shown(value, 60)}' is not a valid {resource} id; ids are GUIDs such as 3f2504e0-4f89-41d3-9a0c-0305e82c3301.");
        return false;
    }

    /// <summary>A value from the request, cut short for a message.</summary>
    public static string Shown(string value, int max = 100) => value.Length <= max ? value : value[..max] + "…";
}
