using ExportStudio.Web.Api.Shared;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace ExportStudio.Web.Api.Imports;

/// <summary>
/// Receives an upload into a temporary spool file (the upload may be a gigabyte; the import reads it as a
/// stream), from a multipart form's file field or from the raw body, never past the size limit.
/// </summary>
internal static class ImportUpload
{
    /// <summary>Room for multipart boundaries and headers on top of the file itself.</summary>
    public const long MultipartAllowance = 64 * 1024;

    public static ProblemHttpResult TooLarge(long limit) =>
        ApiProblems.TooLarge($"The upload is larger than {limit:N0} bytes (MaxImportBytes). Split the export with filters, or raise ExportStudio:MaxImportBytes.");

    /// <summary>Lets this request's body be as large as the import limit allows (the server's default is smaller).</summary>
    public static void AllowBodyOf(HttpRequest request, long limit)
    {
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = limit + MultipartAllowance;
        }
    }

    /// <summary>A spool file in the app's own scratch space, deleted when closed (and at the next start after a crash).</summary>
    public static FileStream CreateSpool(TempSpace temp) => new(
        temp.NewFilePath("upload"),
        FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.Asynchronous | FileOptions.DeleteOnClose);

    /// <summary>Copies the uploaded file into <paramref name="destination"/>; returns its size, or the problem with the request.</summary>
    public static async Task<(long Received, ProblemHttpResult? Problem)> ReceiveAsync(HttpRequest request, Stream destination, long limit, CancellationToken cancellationToken)
    {
        if (!request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) ?? true)
        {
            return (await CopyAsync(request.Body, destination, limit, cancellationToken), null);
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
                return (await CopyAsync(section.Body, destination, limit, cancellationToken), null);
            }
        }
        return (0, ApiProblems.BadRequest("Invalid upload", "The multipart form has no file; put the export file in a field named 'file'."));
    }

    private static async Task<long> CopyAsync(Stream source, Stream destination, long limit, CancellationToken cancellationToken)
    {
        await using var body = new CountingReadStream(source, limit);
        await body.CopyToAsync(destination, 1 << 20, cancellationToken);
        return body.BytesRead;
    }
}
