using ExportStudio.Web.Api.Exports;
using ExportStudio.Web.Api.Shared;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ExportStudio.Web.Api.Schedules;

/// <summary><c>/api/v1/schedules</c>: recurring exports — create, list, read, change, delete, run now, the latest file.</summary>
internal static class ScheduleEndpoints
{
    private const int MaxBodyBytes = 1024 * 1024;
    private const string Example = """{"name":"Nightly","every":"P1D","mode":"incremental","export":{"format":"jsonl","options":{"compressionFormat":"zstd"}}}""";

    public static RouteGroupBuilder MapScheduleEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/schedules").WithTags("Schedules");

        group.MapPost("/", CreateAsync).WithName("CreateSchedule").WithSummary("Create a recurring export")
            .Accepts<ScheduleBody>("application/json");
        group.MapGetAndHead("/", ListAsync).WithName("ListSchedules").WithSummary("Every schedule, oldest first, with its newest run");
        group.MapGetAndHead("/{scheduleId}", GetAsync).WithName("GetSchedule").WithSummary("One schedule with its newest run");
        group.MapPatch("/{scheduleId}", PatchAsync).WithName("UpdateSchedule")
            .WithSummary("Pause, resume or change a schedule: only the fields sent change")
            .Accepts<ScheduleBody>("application/json");
        group.MapDelete("/{scheduleId}", DeleteAsync).WithName("DeleteSchedule")
            .WithSummary("Delete a schedule; its runs stay in History unless deleteRuns=true").AcceptsNoBody();
        group.MapPost("/{scheduleId}/run", RunNowAsync).WithName("RunSchedule")
            .WithSummary("Queue a run now, outside the rhythm (409 while the previous run is queued or running)").AcceptsNoBody();
        group.MapGetAndHead("/{scheduleId}/latest/download", LatestDownloadAsync).WithName("DownloadLatestScheduleRun")
            .WithSummary("The file of the newest completed run, as GET /api/v1/export/{jobId}/download serves it")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .Produces(StatusCodes.Status206PartialContent)
            .Produces(StatusCodes.Status304NotModified);
        return api;
    }

    private static async Task<Results<Created<ScheduleResource>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        HttpRequest request, ScheduleService schedules, TimeProvider time, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<ScheduleBody>(request, MaxBodyBytes, "schedule", Example, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        var problems = new FieldProblems();
        var definition = body!.ToDefinition(time.GetUtcNow().UtcDateTime, problems);
        if (definition is null)
        {
            return ApiProblems.Validation(problems.ToDictionary());
        }
        var result = await schedules.CreateAsync(definition, cancellationToken);
        if (result.Errors is not null)
        {
            return ApiProblems.Validation(result.Errors.ToDictionary());
        }
        var resource = result.View!.ToResource();
        return TypedResults.Created(resource.Links.Self, resource);
    }

    private static async Task<Ok<ScheduleListResource>> ListAsync(ScheduleService schedules, CancellationToken cancellationToken)
    {
        var views = await schedules.ListAsync(cancellationToken);
        return TypedResults.Ok(new ScheduleListResource(views.ConvertAll(v => v.ToResource()), views.Count));
    }

    private static async Task<Results<Ok<ScheduleResource>, ProblemHttpResult, ValidationProblem>> GetAsync(
        string scheduleId, ScheduleService schedules, CancellationToken cancellationToken)
    {
        if (!ApiProblems.TryParseId(scheduleId, "scheduleId", "schedule", out var id, out var invalid))
        {
            return invalid!;
        }
        return await schedules.GetAsync(id, cancellationToken) is { } view ? TypedResults.Ok(view.ToResource()) : NotFound(id);
    }

    private static async Task<Results<Ok<ScheduleResource>, ProblemHttpResult, ValidationProblem>> PatchAsync(
        string scheduleId, HttpRequest request, ScheduleService schedules, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!ApiProblems.TryParseId(scheduleId, "scheduleId", "schedule", out var id, out var invalid))
        {
            return invalid!;
        }
        var (body, problem) = await JsonBody.ReadAsync<ScheduleBody>(request, MaxBodyBytes, "schedule change", """{"enabled":false}""", cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        if (await schedules.GetAsync(id, cancellationToken) is not { } current)
        {
            return NotFound(id);
        }
        var problems = new FieldProblems();
        var definition = body!.Patch(current.Schedule, time.GetUtcNow().UtcDateTime, problems);
        if (definition is null)
        {
            return ApiProblems.Validation(problems.ToDictionary());
        }
        var result = await schedules.UpdateAsync(id, definition, cancellationToken);
        if (!result.Found)
        {
            return NotFound(id);
        }
        return result.Errors is not null ? ApiProblems.Validation(result.Errors.ToDictionary()) : TypedResults.Ok(result.View!.ToResource());
    }

    private static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> DeleteAsync(
        string scheduleId, ScheduleService schedules, CancellationToken cancellationToken, bool deleteRuns = false)
    {
        if (!ApiProblems.TryParseId(scheduleId, "scheduleId", "schedule", out var id, out var invalid))
        {
            return invalid!;
        }
        return await schedules.DeleteAsync(id, deleteRuns, cancellationToken) ? TypedResults.NoContent() : NotFound(id);
    }

    private static async Task<Results<Accepted<ExportJobResource>, ProblemHttpResult, ValidationProblem>> RunNowAsync(
        string scheduleId, ScheduleService schedules, CancellationToken cancellationToken)
    {
        if (!ApiProblems.TryParseId(scheduleId, "scheduleId", "schedule", out var id, out var invalid))
        {
            return invalid!;
        }
        var result = await schedules.RunNowAsync(id, cancellationToken);
        if (!result.Found)
        {
            return NotFound(id);
        }
        if (result.Job is null)
        {
            var busy = result.Busy is { } run ? $" Its run {run.Id} is {run.Status.ToWireName()}; wait for it or cancel it (POST /api/v1/export/{run.Id}/cancel)." : "";
            return ApiProblems.Conflict($"The schedule already has a run in progress, and runs of one schedule never overlap.{busy}");
        }
        var resource = result.Job.ToResource();
        return TypedResults.Accepted(resource.Links.Self, resource);
    }

    private static async Task<Results<PhysicalFileHttpResult, ExportDownloadEndpoint.DecompressedFileResult, ProblemHttpResult, ValidationProblem>> LatestDownloadAsync(
        string scheduleId, HttpContext context, ScheduleService schedules, ExportJobService jobs, ExportFileStore files, ScheduleDictionaryStore dictionaries,
        ILoggerFactory loggers, CancellationToken cancellationToken, bool decompress = false)
    {
        if (!ApiProblems.TryParseId(scheduleId, "scheduleId", "schedule", out var id, out var invalid))
        {
            return invalid!;
        }
        if (await schedules.GetAsync(id, cancellationToken) is null)
        {
            return NotFound(id);
        }
        if (await schedules.FindLatestCompletedRunAsync(id, cancellationToken) is not { } run)
        {
            return ApiProblems.NotFound($"Schedule {id} has no completed run yet; start one with POST /api/v1/schedules/{id}/run.");
        }
        return await ExportDownloadEndpoint.DownloadAsync(run.Id.ToString(), context, jobs, files, dictionaries, loggers, cancellationToken, decompress);
    }

    private static ProblemHttpResult NotFound(Guid id) => ApiProblems.NotFound($"There is no schedule with id {id}.");
}
