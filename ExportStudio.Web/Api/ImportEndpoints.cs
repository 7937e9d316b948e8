using ExportStudio.Core.Configuration;
using ExportStudio.Core.Imports;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace ExportStudio.Web.Api;

/// <summary><c>/api/v1/import</c>: sessions back from an export file, sent as multipart or as the raw body.</summary>
internal static class ImportEndpoints
{
    public static RouteGroupBuilder MapImportEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/import", ImportAsync)
            .WithTags("Import")
            .WithName("Import")
            .WithSummary("Import sessions from an export file (JSON or JSON Lines; plain, zstd, gzip, tar, tar.gz or tar.zst)")
            // No Accepts metadata: the body's type is detected from its bytes, so `curl --data-binary @file`
            // (sent as a form content type) must work too; the OpenAPI document still says what to send.
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                var binary = new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.String, Format = "binary" };
                operation.RequestBody = new Microsoft.OpenApi.OpenApiRequestBody
                {
                    Required = true,
                    Description = "An ExportStudio export file: JSON or JSON Lines, plain, zstd or gzip, or a tar, tar.gz or tar.zst holding them.",
                    Content = new Dictionary<string, Microsoft.OpenApi.OpenApiMediaType>
                    {
                        ["multipart/form-data"] = new()
                        {
                            Schema = new Microsoft.OpenApi.OpenApiSchema
                            {
                                Type = Microsoft.OpenApi.JsonSchemaType.Object,
                                Properties = new Dictionary<string, Microsoft.OpenApi.IOpenApiSchema> { ["file"] = binary },
                            },
                        },
                        ["application/octet-stream"] = new() { Schema = binary },
                    },
                };
                return Task.CompletedTask;
            })
            .DisableAntiforgery();
        return api;
    }

    public sealed record ImportResource(int Imported, int Skipped, int Messages, IReadOnlyList<string> Entries, string DetectedFormat);

    private static async Task<Results<Ok<ImportResource>, ProblemHttpResult>> ImportAsync(
        HttpRequest request, ImportService imports, IOptions<ExportStudioOptions> options, CancellationToken cancellationToken)
    {
        var limit = options.Value.MaxImportBytes;
        if (request.ContentLength > limit + MultipartAllowance)
        {
            return TooLarge(limit);
        }
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = limit + MultipartAllowance;
        }

        // Spool to a temporary file: the upload may be a gigabyte, and the import reads it as a stream.
        var spool = Path.Combine(Path.GetTempPath(), $"exportstudio-import-{Guid.NewGuid():N}.tmp");
        try
        {
            await using var file = new FileStream(spool, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16,
                FileOptions.Asynchronous | FileOptions.DeleteOnClose);
            var (received, problem) = await ReceiveAsync(request, file, limit, cancellationToken);
            if (problem is not null)
            {
                return problem;
            }
            if (received == 0)
            {
                return ApiProblems.BadRequest("Empty import", "The upload is empty. Send an export file as the body or as the 'file' field of a multipart form.");
            }

            file.Position = 0;
            var result = await imports.ImportAsync(file, cancellationToken);
            return TypedResults.Ok(new ImportResource(result.Imported, result.Skipped, result.Messages, result.Entries, result.DetectedFormat));
        }
        catch (ImportRejectedException exception)
        {
            return ApiProblems.BadRequest("Import rejected", exception.Message);
        }
        catch (ImportTooLargeException exception)
        {
            return ApiProblems.TooLarge(exception.Message);
        }
        catch (LimitedReadStream.LimitExceededException)
        {
            return TooLarge(limit);
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(limit);
        }
        finally
        {
            File.Delete(spool);
        }
    }

    /// <summary>Room for multipart boundaries and headers on top of the file itself.</summary>
    private const long MultipartAllowance = 64 * 1024;

    private static ProblemHttpResult TooLarge(long limit) =>
        ApiProblems.TooLarge($"The upload is larger than {limit:N0} bytes (MaxImportBytes). Split the export with filters, or raise ExportStudio:MaxImportBytes.");

    private static async Task<(long Received, ProblemHttpResult? Problem)> ReceiveAsync(HttpRequest request, Stream destination, long limit, CancellationToken cancellationToken)
    {
        if (!request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) ?? true)
        {
            await using var body = new LimitedReadStream(request.Body, limit);
            await body.CopyToAsync(destination, 1 << 20, cancellationToken);
            return (body.BytesRead, null);
        }

        var boundary = HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.Parse(request.ContentType).Boundary).Value;
        if (string.IsNullOrEmpty(boundary))
        {
            return (0, ApiProblems.BadRequest("Invalid upload", "The multipart form has no boundary; send the file as multipart/form-data with a 'file' field, or as the raw body."));
        }
        var reader = new MultipartReader(boundary, request.Body);
        while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
        {
            if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) && disposition.IsFileDisposition())
            {
                await using var body = new LimitedReadStream(section.Body, limit);
                await body.CopyToAsync(destination, 1 << 20, cancellationToken);
                return (body.BytesRead, null);
            }
        }
        return (0, ApiProblems.BadRequest("Invalid upload", "The multipart form has no file; put the export file in a field named 'file'."));
    }
}
