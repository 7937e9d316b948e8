using ExportStudio.Web.Api.Shared;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace ExportStudio.Web.Api.Imports;

/// <summary><c>/api/v1/import</c>: sessions back from an export file, sent as multipart or as the raw body.</summary>
internal static class ImportEndpoints
{
    public static RouteGroupBuilder MapImportEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/import", ImportAsync)
            .WithTags("Import")
            .WithName("Import")
            .WithSummary("Import sessions from an export file: ExportStudio's own, or ChatGPT's, Claude's, Open WebUI's, LibreChat's, OpenAI JSONL or ShareGPT (plain, zstd, gzip, tar, tar.gz, tar.zst or zip); ?source= names the source instead of recognising it")
            // No Accepts metadata: the body's type is detected from its bytes, and `curl --data-binary @file`
            // (sent as a form content type) must work too (ImportUpload.RefuseType says which types are
            // taken); the OpenAPI document still says what to send.
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.RequestBody = UploadBody;
                return Task.CompletedTask;
            })
            .DisableAntiforgery();
        return api;
    }

    private static async Task<Results<Ok<ImportResource>, ProblemHttpResult>> ImportAsync(
        HttpRequest request, ImportService imports, TempSpace temp, IOptions<ExportStudioOptions> options, CancellationToken cancellationToken, string? source = null, string? mode = null)
    {
        if (!ImportModeNames.TryParse(mode, out var importMode))
        {
            return ApiProblems.BadRequest("Unknown import mode", $"'{ApiProblems.Shown(mode!, 40)}' is not an import mode; use {ImportModeNames.Allowed}.");
        }
        if (ImportUpload.RefuseType(request) is { } unsupported)
        {
            return unsupported;
        }
        var named = source is null ? null : ImportSources.Find(source);
        if (source is not null && named is null)
        {
            return UnknownSource($"'{ApiProblems.Shown(source, 40)}' is not a source ExportStudio reads. ?source= takes one of: {string.Join(", ", ImportSources.Names)} — {ImportSources.Listing}.");
        }
        var limit = options.Value.MaxImportBytes;
        if (request.ContentLength > limit + ImportUpload.MultipartAllowance)
        {
            return ImportUpload.TooLarge(limit);
        }
        ImportUpload.AllowBodyOf(request, limit);
        try
        {
            // The import reads the upload as it arrives; what the upload itself went through (too large, cut
            // short, malformed, empty) is the answer when it failed, and the import, which never reveals
            // anything before the upload is whole, is undone.
            using var spool = UploadSpool.Create(temp.NewFilePath("upload"));
            var receiving = ImportUpload.ReceiveIntoAsync(request, spool, limit, cancellationToken);
            var importing = imports.ImportAsync(spool.OpenReader(), named, cancellationToken: cancellationToken, mode: importMode);
            await ((Task)importing).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (!importing.IsCompletedSuccessfully)
            {
                // Refused or failed: the rest of the upload is not kept, only received to its end.
                spool.DiscardRest();
            }
            var (received, problem) = await receiving;
            if (problem is not null)
            {
                return problem;
            }
            if (received == 0)
            {
                return ApiProblems.BadRequest("Empty import", "The upload is empty. Send an export file as the body or as the 'file' field of a multipart form.");
            }
            var result = await importing;
            return TypedResults.Ok(new ImportResource(result.Source, result.Imported, result.Updated, result.Skipped, result.Messages, result.Dropped, result.Entries, result.DetectedFormat, result.Deleted));
        }
        catch (Exception exception) when (Refusal(exception, temp, limit) is { } refusal)
        {
            return refusal;
        }
    }

    /// <summary>The problem a person is told for each way an import is refused or runs out of room; null for a bug.</summary>
    private static ProblemHttpResult? Refusal(Exception exception, TempSpace temp, long limit) => exception switch
    {
        ImportSourceUnknownException unknown => UnknownSource(unknown.Message),
        ImportRejectedException rejected => ApiProblems.BadRequest("Import rejected", rejected.Message),
        ImportTooLargeException tooLarge => ApiProblems.TooLarge(tooLarge.Message),
        ImportFailedException failed => TypedResults.Problem(title: "Insufficient storage", detail: failed.Message, statusCode: StatusCodes.Status507InsufficientStorage),
        IOException io when DiskSpace.IsFull(io) => TypedResults.Problem(title: "Insufficient storage",
            detail: $"The temporary directory ran out of disk space while the upload was received ({temp.Root}); nothing was imported. Free some space there and import again.",
            statusCode: StatusCodes.Status507InsufficientStorage),
        ReadLimitExceededException => ImportUpload.TooLarge(limit),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => ImportUpload.TooLarge(limit),
        _ => null,
    };

    /// <summary>A 400 that lists the sources, also as data (<c>sources</c>) for a client to offer them.</summary>
    private static ProblemHttpResult UnknownSource(string detail) =>
        TypedResults.Problem(title: "Unknown import source", detail: detail, statusCode: StatusCodes.Status400BadRequest,
            extensions: new Dictionary<string, object?> { ["sources"] = ImportSources.Names });

    private static readonly OpenApiRequestBody UploadBody = new()
    {
        Required = true,
        Description = "An export file as downloaded: ExportStudio's JSON or JSON Lines, a ChatGPT or Claude data export (.zip or its conversations.json), " +
            "Open WebUI's or LibreChat's JSON export, OpenAI chat JSONL or a ShareGPT dataset; plain, zstd or gzip, or a tar, tar.gz or tar.zst holding them.",
        Content = ImportUpload.AcceptedTypes.ToDictionary(type => type, type => type == "multipart/form-data"
            ? new OpenApiMediaType
            {
                Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Properties = new Dictionary<string, IOpenApiSchema> { ["file"] = BinarySchema() },
                },
            }
            : new OpenApiMediaType { Schema = BinarySchema() }),
    };

    private static OpenApiSchema BinarySchema() => new() { Type = JsonSchemaType.String, Format = "binary" };
}
