using ExportStudio.Web.Api.Shared;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ExportStudio.Web.Api.Exports;

/// <summary><c>/api/v1/export</c>: create, follow, list, download, cancel and delete export jobs.</summary>
internal static class ExportEndpoints
{
    public const int MaxBodyBytes = 1024 * 1024;
    private const int DefaultPageSize = 20;
    private const string Example = """{"format":"json","options":{"compressionFormat":"zstd","compressionLevel":3}}""";

    public static RouteGroupBuilder MapExportEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/export").WithTags("Export");

        group.MapPost("/", CreateAsync).WithName("CreateExport").WithSummary("Queue an export job")
            .Accepts<CreateExportBody>("application/json");
        group.MapGetAndHead("/", ListAsync).WithName("ListExports").WithSummary("Export history, newest first");
        group.MapGetAndHead("/{jobId}", GetAsync).WithName("GetExport").WithSummary("One export job with its progress");
        group.MapGetAndHead("/{jobId}/download", ExportDownloadEndpoint.DownloadAsync).WithName("DownloadExport")
            .WithSummary("The stored file, or with decompress=true the bytes inside its compression layer")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .Produces(StatusCodes.Status206PartialContent)
            .Produces(StatusCodes.Status304NotModified);
        group.MapPost("/{jobId}/cancel", CancelAsync).WithName("CancelExport").WithSummary("Cancel a queued or running export").AcceptsNoBody();
        group.MapDelete("/{jobId}", DeleteAsync).WithName("DeleteExport").WithSummary("Delete an export job and its file").AcceptsNoBody();
        return api;
    }

    private static async Task<Results<Accepted<ExportJobResource>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        HttpRequest request, ExportJobService jobs, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<CreateExportBody>(request, MaxBodyBytes, "export request", Example, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new Dictionary<string, List<string>>();
        var exportRequest = body!.ToRequest(errors);
        if (errors.Count > 0)
        {
            // Report the request's own rule violations too, so one answer lists every bad field.
            foreach (var (field, messages) in exportRequest.Validate(int.MaxValue).Where(e => !errors.ContainsKey(e.Key)))
            {
                errors[field] = [.. messages];
            }
            return ApiProblems.Validation(errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
        }

        var result = await jobs.CreateAsync(exportRequest, cancellationToken);
        if (result.Errors is not null)
        {
            return ApiProblems.Validation(result.Errors.ToDictionary());
        }
        var resource = result.Job!.ToResource();
        return TypedResults.Accepted(resource.Links.Self, resource);
    }

    private static async Task<Results<Ok<ExportJobListResource>, ValidationProblem>> ListAsync(
        [AsParameters] PageQuery paging, ExportJobService jobs, CancellationToken cancellationToken, string? scheduleId = null)
    {
        var (page, pageSize, errors) = paging.Resolve(DefaultPageSize);
        Guid? schedule = null;
        if (scheduleId is not null)
        {
            if (Guid.TryParse(scheduleId, out var parsed))
            {
                schedule = parsed;
            }
            else
            {
                errors["scheduleId"] = [$"'{ApiProblems.Shown(scheduleId, 40)}' is not a schedule id; ids are GUIDs such as 0193a5c2-7e4b-7d2a-9c1e-5f3b2a1d4e6f."];
            }
        }
        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }
        var result = await jobs.ListAsync(page, pageSize, cancellationToken, schedule);
        return TypedResults.Ok(new ExportJobListResource(result.Items.Select(j => j.ToResource()).ToList(), result.Total, page, pageSize));
    }

    private static async Task<Results<Ok<ExportJobResource>, ProblemHttpResult, ValidationProblem>> GetAsync(
        string jobId, ExportJobService jobs, CancellationToken cancellationToken)
    {
        if (!ApiProblems.TryParseId(jobId, "jobId", "export", out var id, out var invalid))
        {
            return invalid!;
        }
        var job = await jobs.GetAsync(id, cancellationToken);
        return job is null ? NotFound(id) : TypedResults.Ok(job.ToResource());
    }

    private static async Task<Results<Accepted<ExportJobResource>, ProblemHttpResult, ValidationProblem>> CancelAsync(
        string jobId, ExportJobService jobs, CancellationToken cancellationToken)
    {
        if (!ApiProblems.TryParseId(jobId, "jobId", "export", out var id, out var invalid))
        {
            return invalid!;
        }
        var result = await jobs.CancelAsync(id, cancellationToken);
        return result.Outcome switch
        {
            ExportCommandOutcome.NotFound => NotFound(id),
            ExportCommandOutcome.Conflict => ApiProblems.Conflict(result.Message!),
            _ => TypedResults.Accepted(ExportJobMapping.SelfLink(id), (await jobs.GetAsync(id, cancellationToken))!.ToResource()),
        };
    }

    /// <summary>204 once gone; 202 for a running job, which its owner removes as soon as its run has stopped.</summary>
    private static async Task<Results<NoContent, Accepted<ExportJobResource>, ProblemHttpResult, ValidationProblem>> DeleteAsync(
        string jobId, ExportJobService jobs, CancellationToken cancellationToken)
    {
        if (!ApiProblems.TryParseId(jobId, "jobId", "export", out var id, out var invalid))
        {
            return invalid!;
        }
        var result = await jobs.DeleteAsync(id, cancellationToken);
        if (result.Outcome == ExportCommandOutcome.NotFound)
        {
            return NotFound(id);
        }
        if (result.Outcome == ExportCommandOutcome.Accepted && await jobs.GetAsync(id, cancellationToken) is { } deleting)
        {
            return TypedResults.Accepted(ExportJobMapping.SelfLink(id), deleting.ToResource());
        }
        return TypedResults.NoContent();
    }

    private static ProblemHttpResult NotFound(Guid id) => ApiProblems.NotFound($"There is no export with id {id}.");
}
