using System.Text.Json;
using ExportStudio.Core.Exports;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ExportStudio.Web.Api;

/// <summary><c>/api/v1/export</c>: create, follow, list, download, cancel and delete export jobs.</summary>
internal static class ExportEndpoints
{
    public const int MaxBodyBytes = 1024 * 1024;

    public static RouteGroupBuilder MapExportEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/export").WithTags("Export");

        group.MapPost("/", CreateAsync).WithName("CreateExport").WithSummary("Queue an export job")
            .Accepts<CreateExportBody>("application/json");
        group.MapGet("/", ListAsync).WithName("ListExports").WithSummary("Export history, newest first");
        group.MapGet("/{jobId}", GetAsync).WithName("GetExport").WithSummary("One export job with its progress");
        group.MapGet("/{jobId}/download", ExportDownloads.DownloadAsync).WithName("DownloadExport")
            .WithSummary("The stored file, or with decompress=true the bytes inside its compression layer")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .Produces(StatusCodes.Status206PartialContent)
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status500InternalServerError);
        group.MapPost("/{jobId}/cancel", CancelAsync).WithName("CancelExport").WithSummary("Cancel a queued or running export");
        group.MapDelete("/{jobId}", DeleteAsync).WithName("DeleteExport").WithSummary("Delete an export job and its file");
        return api;
    }

    private static async Task<Results<Accepted<ExportJobResource>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        HttpRequest request, ExportJobService jobs, CancellationToken cancellationToken)
    {
        var (body, problem) = await ReadBodyAsync(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new Dictionary<string, List<string>>();
        var exportRequest = body!.ToRequest(errors);
        if (errors.Count > 0)
        {
            // Report the request's own rule violations too, so one answer lists every bad field.
            foreach (var (field, messages) in exportRequest!.Validate(int.MaxValue).Where(e => !errors.ContainsKey(e.Key)))
            {
                errors[field] = [.. messages];
            }
            return ApiProblems.Validation(errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
        }

        var result = await jobs.CreateAsync(exportRequest!, cancellationToken);
        if (result.Errors is not null)
        {
            return ApiProblems.Validation(result.Errors.ToDictionary());
        }
        var resource = result.Job!.ToResource();
        return TypedResults.Accepted(resource.Links.Self, resource);
    }

    private static async Task<(CreateExportBody? Body, ProblemHttpResult? Problem)> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, ApiProblems.TooLarge($"The request body is {request.ContentLength:N0} bytes; an export request may be at most {MaxBodyBytes:N0} bytes."));
        }
        if (!request.HasJsonContentType())
        {
            return (null, TypedResults.Problem(title: "Unsupported media type",
                detail: $"Send the export request as JSON with 'Content-Type: application/json' (got '{request.ContentType ?? "none"}').",
                statusCode: StatusCodes.Status415UnsupportedMediaType));
        }
        try
        {
            await using var limited = new LimitedReadStream(request.Body, MaxBodyBytes);
            var body = await JsonSerializer.DeserializeAsync<CreateExportBody>(limited, JsonSerializerOptions.Web, cancellationToken);
            return body is null
                ? (null, ApiProblems.BadRequest("Invalid body", "The body is JSON null; send an export request object such as {\"format\":\"json\"}."))
                : (body, null);
        }
        catch (JsonException exception)
        {
            var where = exception.Path is { Length: > 1 } path ? $" at {path}" : "";
            return (null, ApiProblems.BadRequest("Invalid body", $"The body is not a valid export request{where}: {FirstSentence(exception.Message)} Expected an object such as {{\"format\":\"json\",\"options\":{{\"compressionFormat\":\"zstd\",\"compressionLevel\":3}}}}."));
        }
        catch (LimitedReadStream.LimitExceededException)
        {
            return (null, ApiProblems.TooLarge($"The request body is larger than {MaxBodyBytes:N0} bytes, the most an export request may be."));
        }
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }

    private static async Task<Results<Ok<ExportJobListResource>, ValidationProblem>> ListAsync(
        ExportJobService jobs, CancellationToken cancellationToken, int page = 1, int pageSize = 20)
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
        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }
        var result = await jobs.ListAsync(page, pageSize, cancellationToken);
        return TypedResults.Ok(new ExportJobListResource(result.Items.Select(j => j.ToResource()).ToList(), result.Total, page, pageSize));
    }

    private static async Task<Results<Ok<ExportJobResource>, ProblemHttpResult, ValidationProblem>> GetAsync(
        string jobId, ExportJobService jobs, CancellationToken cancellationToken)
    {
        if (!ApiProblems.TryParseId(jobId, "export", out var id, out var invalid))
        {
            return invalid!;
        }
        var job = await jobs.GetAsync(id, cancellationToken);
        return job is null ? ApiProblems.NotFound($"There is no export with id {id}.") : TypedResults.Ok(job.ToResource());
    }

    private static async Task<Results<Accepted<ExportJobResource>, ProblemHttpResult, ValidationProblem>> CancelAsync(
        string jobId, ExportJobService jobs, CancellationToken cancellationToken)
    {
        if (!ApiProblems.TryParseId(jobId, "export", out var id, out var invalid))
        {
            return invalid!;
        }
        var result = await jobs.CancelAsync(id, cancellationToken);
        return result.Outcome switch
        {
            ExportCommandOutcome.NotFound => ApiProblems.NotFound($"There is no export with id {id}."),
            ExportCommandOutcome.Conflict => ApiProblems.Conflict(result.Message!),
            _ => TypedResults.Accepted($"/api/v1/export/{id}", (await jobs.GetAsync(id, cancellationToken))!.ToResource()),
        };
    }

    private static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> DeleteAsync(
        string jobId, ExportJobService jobs, CancellationToken cancellationToken)
    {
        if (!ApiProblems.TryParseId(jobId, "export", out var id, out var invalid))
        {
            return invalid!;
        }
        var result = await jobs.DeleteAsync(id, cancellationToken);
        return result.Outcome == ExportCommandOutcome.NotFound ? ApiProblems.NotFound($"There is no export with id {id}.") : TypedResults.NoContent();
    }
}
