using ExportStudio.Web.Api.Shared;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace ExportStudio.Web.Api.Sessions;

internal static partial class SessionEndpoints
{
    /// <summary>A session's JSON may be large (long tool results), but a request is not an import: bigger sets go through import.</summary>
    private const long MaxSessionBytes = 64L << 20;
    private const string SessionExample = """{"title":"Trip planning","model":"gpt-4o","messages":[{"role":"user","content":"Hello"}]}""";
    private const string MessagesExample = """{"messages":[{"role":"user","content":"Hello"}]}""";

    private static void MapOneSession(this RouteGroupBuilder group)
    {
        group.MapGetAndHead("/{sessionId}", GetAsync).WithName("GetSession").WithSummary("One session, whole, in the export document's session shape")
            .Produces(StatusCodes.Status200OK, contentType: "application/json");
        group.MapPut("/{sessionId}", PutAsync).WithName("PutSession").WithSummary("Create a session or replace it whole (idempotent)")
            .Accepts<SessionBody>("application/json");
        group.MapPost("/{sessionId}/messages", AppendAsync).WithName("AppendMessages").WithSummary("Append messages to a session; messages whose ids it holds are skipped")
            .Accepts<AppendMessagesBody>("application/json");
        group.MapDelete("/{sessionId}", DeleteAsync).WithName("DeleteSession").WithSummary("Delete a session; incremental exports list it as deleted").AcceptsNoBody();
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult, ValidationProblem>> GetAsync(
        string sessionId, StoredSessionReader sessions, HttpResponse response, CancellationToken cancellationToken)
    {
        if (!ApiProblems.TryParseId(sessionId, "sessionId", "session", out var id, out var invalid))
        {
            return invalid!;
        }
        if (await sessions.ReadAsync(id, cancellationToken) is not { } session)
        {
            return ApiProblems.NotFound($"There is no session {id}.");
        }
        response.Headers.ETag = ChangeTag(session.ChangeSequence);
        return TypedResults.Bytes(session.Json, "application/json", lastModified: session.UpdatedAt);
    }

    private static async Task<Results<Created<SessionChangeResource>, Ok<SessionChangeResource>, ProblemHttpResult, ValidationProblem>> PutAsync(
        string sessionId, HttpRequest request, SessionStore sessions, IOptions<ExportStudioOptions> options, CancellationToken cancellationToken)
    {
        if (!ApiProblems.TryParseId(sessionId, "sessionId", "session", out var id, out var invalid))
        {
            return invalid!;
        }
        var (body, problem) = await JsonBody.ReadAsync<SessionBody>(request, MaxBytes(options), "session", SessionExample, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        var problems = new FieldProblems();
        var session = body!.ToSession(id, problems);
        if (problems.Any)
        {
            return ApiProblems.Validation(problems.ToDictionary());
        }
        try
        {
            var change = await sessions.PutAsync(session, cancellationToken);
            request.HttpContext.Response.Headers.ETag = ChangeTag(change.ChangeSequence);
            var resource = SessionChangeResource.From(change);
            return change.Created ? TypedResults.Created(resource.Links.Self, resource) : TypedResults.Ok(resource);
        }
        catch (SessionConflictException conflict)
        {
            return ApiProblems.Conflict(conflict.Message);
        }
    }

    private static async Task<Results<Ok<SessionChangeResource>, ProblemHttpResult, ValidationProblem>> AppendAsync(
        string sessionId, HttpRequest request, SessionStore sessions, IOptions<ExportStudioOptions> options, CancellationToken cancellationToken)
    {
        if (!ApiProblems.TryParseId(sessionId, "sessionId", "session", out var id, out var invalid))
        {
            return invalid!;
        }
        var (body, problem) = await JsonBody.ReadAsync<AppendMessagesBody>(request, MaxBytes(options), "message list", MessagesExample, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        var problems = new FieldProblems();
        var messages = body!.ToMessages(problems);
        if (problems.Any)
        {
            return ApiProblems.Validation(problems.ToDictionary());
        }
        try
        {
            if (await sessions.AppendAsync(id, messages, cancellationToken) is not { } change)
            {
                return ApiProblems.NotFound($"There is no session {id} to append to; create it first with PUT /api/v1/sessions/{id}.");
            }
            request.HttpContext.Response.Headers.ETag = ChangeTag(change.ChangeSequence);
            return TypedResults.Ok(SessionChangeResource.From(change));
        }
        catch (SessionConflictException conflict)
        {
            return ApiProblems.Conflict(conflict.Message);
        }
    }

    private static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> DeleteAsync(
        string sessionId, SessionStore sessions, CancellationToken cancellationToken)
    {
        if (!ApiProblems.TryParseId(sessionId, "sessionId", "session", out var id, out var invalid))
        {
            return invalid!;
        }
        try
        {
            return await sessions.DeleteAsync(id, cancellationToken) ? TypedResults.NoContent() : ApiProblems.NotFound($"There is no session {id}.");
        }
        catch (SessionConflictException conflict)
        {
            return ApiProblems.Conflict(conflict.Message);
        }
    }

    private static long MaxBytes(IOptions<ExportStudioOptions> options) => Math.Min(MaxSessionBytes, options.Value.MaxImportBytes);

    /// <summary>The change sequence identifies a version of the session exactly: a strong tag.</summary>
    private static string ChangeTag(long sequence) => $"\"{sequence}\"";
}

/// <summary>What a change to a session did, with the change sequence it took.</summary>
public sealed record SessionChangeResource(Guid Id, bool Created, long ChangeSequence, DateTime UpdatedAt, int MessageCount, int Appended, int Skipped, SessionLinks Links)
{
    public static SessionChangeResource From(SessionChange change) =>
        new(change.Id, change.Created, change.ChangeSequence, change.UpdatedAt, change.MessageCount, change.Appended, change.Skipped, new SessionLinks($"/api/v1/sessions/{change.Id}"));
}

public sealed record SessionLinks(string Self);
