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
            .WithSummary("Import sessions from an export file (JSON or JSON Lines; plain, zstd, gzip, tar, tar.gz or tar.zst)")
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
        HttpRequest request, ImportService imports, TempSpace temp, IOptions<ExportStudioOptions> options, CancellationToken cancellationToken, string? mode = null)
    {
        if (!ImportModeNames.TryParse(mode, out var importMode))
        {
            return ApiProblems.BadRequest("Unknown import mode", $"'{ApiProblems.Shown(mode!, 40)}' is not an import mode; use {ImportModeNames.Allowed}.");
        }
        if (ImportUpload.RefuseType(request) is { } unsupported)
        {
            return unsupported;
        }
        var limit = options.Value.MaxImportBytes;
        if (request.ContentLength > limit + ImportUpload.MultipartAllowance)
        {
            return ImportUpload.TooLarge(limit);
        }
        ImportUpload.AllowBodyOf(request, limit);
        try
        {
            await using var spool = ImportUpload.CreateSpool(temp);
            var (received, problem) = await ImportUpload.ReceiveAsync(request, spool, limit, cancellationToken);
            if (problem is not null)
            {
                return problem;
            }
            if (received == 0)
            {
                return ApiProblems.BadRequest("Empty import", "The upload is empty. Send an export file as the body or as the 'file' field of a multipart form.");
            }
            spool.Position = 0;
            var result = await imports.ImportAsync(spool, cancellationToken: cancellationToken, mode: importMode);
            return TypedResults.Ok(new ImportResource(result.Imported, result.Updated, result.Skipped, result.Messages, result.Entries, result.DetectedFormat, result.Deleted));
        }
        catch (ImportRejectedException exception)
        {
            return ApiProblems.BadRequest("Import rejected", exception.Message);
        }
        catch (ImportTooLargeException exception)
        {
            return ApiProblems.TooLarge(exception.Message);
        }
        catch (ImportFailedException exception)
        {
            return TypedResults.Problem(title: "Insufficient storage", detail: exception.Message, statusCode: StatusCodes.Status507InsufficientStorage);
        }
        catch (IOException exception) when (DiskSpace.IsFull(exception))
        {
            return TypedResults.Problem(title: "Insufficient storage",
                detail: $"The temporary directory ran out of disk space while the upload was received ({temp.Root}); nothing was imported. Free some space there and import again.",
                statusCode: StatusCodes.Status507InsufficientStorage);
        }
        catch (ReadLimitExceededException)
        {
            return ImportUpload.TooLarge(limit);
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return ImportUpload.TooLarge(limit);
        }
    }

    private static readonly OpenApiRequestBody UploadBody = new()
    {
        Required = true,
        Description = "An ExportStudio export file: JSON or JSON Lines, plain, zstd or gzip, or a tar, tar.gz or tar.zst holding them.",
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
