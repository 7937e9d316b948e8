using System.Buffers;
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

    private const int CopyBufferSize = 1 << 20;
    private const int GatherBytes = 256 << 10;
    private const string FormType = "application/x-www-form-urlencoded";

    /// <summary>
    /// The types an upload may be sent as: the raw file (its format is detected from its bytes, so the type
    /// only has to be one a file can have) or a multipart form. None of them is a type a page on another site
    /// can send without the browser asking first, except multipart, which the cross-site check covers.
    /// </summary>
    public static readonly string[] AcceptedTypes =
    [
        "application/octet-stream", "application/zstd", "application/x-zstd", "application/gzip", "application/x-gzip",
        "application/x-tar", "application/zip", "application/x-zip-compressed", "application/json", "application/x-ndjson", "application/jsonl",
        "multipart/form-data",
    ];

    public static ProblemHttpResult TooLarge(long limit) =>
        ApiProblems.TooLarge($"The upload is larger than {limit:N0} bytes (MaxImportBytes). Split the export with filters, or raise ExportStudio:MaxImportBytes.");

    /// <summary>
    /// Refuses a body type an import is not sent as (415). A form type is what <c>curl --data-binary</c> sends,
    /// so it is taken from scripts, which send no <c>Origin</c>; from a browser it is refused, because a page
    /// on another site can post a form without asking. No type at all is raw bytes, as HttpClient sends them.
    /// </summary>
    public static ProblemHttpResult? RefuseType(HttpRequest request)
    {
        if (string.IsNullOrEmpty(request.ContentType))
        {
            return null;
        }
        // A type that does not parse is judged by its name; a multipart one then gets the multipart reader's answer.
        var media = MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed) ? parsed.MediaType.Value ?? "" : request.ContentType.Split(';')[0].Trim();
        if (AcceptedTypes.Contains(media, StringComparer.OrdinalIgnoreCase) || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var form = media.Equals(FormType, StringComparison.OrdinalIgnoreCase);
        if (form && string.IsNullOrEmpty(request.Headers.Origin))
        {
            return null;
        }
        return ApiProblems.UnsupportedMediaType(
            $"An import is sent as the file itself ({string.Join(", ", AcceptedTypes[..^1])}) or as multipart/form-data with the file in a 'file' field; " +
            $"'{ApiProblems.Shown(request.ContentType ?? "")}' is refused{(form ? " from a browser page" : "")}.");
    }

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

    /// <summary>
    /// Receives the upload into <paramref name="spool"/> and ends it: complete when a non-empty file came
    /// through, failed otherwise (so that its reader never takes a refused upload for a whole one).
    /// </summary>
    public static async Task<(long Received, ProblemHttpResult? Problem)> ReceiveIntoAsync(HttpRequest request, UploadSpool spool, long limit, CancellationToken cancellationToken)
    {
        try
        {
            var (received, problem) = await ReceiveAsync(request, spool.Writer, limit, cancellationToken);
            if (problem is null && received > 0)
            {
                spool.Complete();
            }
            else
            {
                spool.Fail(new InvalidDataException(problem?.ProblemDetails.Detail ?? "The upload is empty."));
            }
            return (received, problem);
        }
        catch (Exception exception)
        {
            spool.Fail(exception);
            throw;
        }
    }

    /// <summary>Copies the uploaded file into <paramref name="destination"/>; returns its size, or the problem with the request.</summary>
    public static async Task<(long Received, ProblemHttpResult? Problem)> ReceiveAsync(HttpRequest request, Stream destination, long limit, CancellationToken cancellationToken)
    {
        if (!request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) ?? true)
        {
            return (await CopyAsync(request.Body, destination, limit, cancellationToken), null);
        }

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || HeaderUtilities.RemoveQuotes(type.Boundary).Value is not { Length: > 0 } boundary)
        {
            return (0, ApiProblems.BadRequest("Invalid upload",
                $"The multipart form has no boundary that can be read from its Content-Type ('{ApiProblems.Shown(request.ContentType ?? "")}'); send the file as multipart/form-data with a 'file' field, or as the raw body."));
        }
        var reader = new MultipartReader(boundary, request.Body);
        try
        {
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) && disposition.IsFileDisposition())
                {
                    return (await CopyAsync(section.Body, destination, limit, cancellationToken, inMultipartFile: true), null);
                }
            }
        }
        catch (Exception exception) when (IsMalformed(exception, cancellationToken))
        {
            return (0, Malformed(exception, boundary, inFile: false, 0));
        }
        catch (MalformedFileException exception)
        {
            return (0, Malformed(exception.InnerException!, boundary, inFile: true, exception.BytesRead));
        }
        return (0, ApiProblems.BadRequest("Invalid upload", "The multipart form has no file; put the export file in a field named 'file'."));
    }

    private static async Task<long> CopyAsync(Stream source, Stream destination, long limit, CancellationToken cancellationToken, bool inMultipartFile = false)
    {
        await using var body = new CountingReadStream(source, limit);
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            while (true)
            {
                int read;
                try
                {
                    // Gathered: each write to the spool wakes its reader, and the body arrives a few KB at a time.
                    read = await body.ReadAtLeastAsync(buffer, GatherBytes, throwOnEndOfStream: false, cancellationToken);
                }
                catch (Exception exception) when (inMultipartFile && IsMalformed(exception, cancellationToken))
                {
                    // Told apart from a failed write to the spool, which is the server's problem, not the request's.
                    throw new MalformedFileException(exception, body.BytesRead);
                }
                if (read == 0)
                {
                    return body.BytesRead;
                }
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// What the multipart reader throws for a body that is not what its Content-Type says: a plain
    /// IOException when the body ends early, InvalidDataException for a broken part. Not the size limit, a
    /// body Kestrel refused, or a client that went away (those keep their own answers).
    /// </summary>
    private static bool IsMalformed(Exception exception, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested && (exception is InvalidDataException || exception.GetType() == typeof(IOException));

    private static ProblemHttpResult Malformed(Exception exception, string boundary, bool inFile, long fileBytes) =>
        ApiProblems.BadRequest("Malformed multipart upload", exception switch
        {
            InvalidDataException => $"The multipart body is malformed ({exception.Message.TrimEnd('.')}). Nothing was imported.",
            _ when inFile && fileBytes == 0 => "The multipart body ends after the file part's headers, before its content (a part is its headers, a blank line, " +
                $"then the content, and the body ends with '--{ApiProblems.Shown(boundary)}--'): the upload was cut short. Nothing was imported.",
            _ when inFile => $"The multipart body ends inside the file, before the closing boundary '--{ApiProblems.Shown(boundary)}--': the upload was cut short, " +
                "or the body does not use the boundary its Content-Type names. Nothing was imported.",
            _ => $"The multipart body ends before a complete part: it does not use the boundary its Content-Type names ('{ApiProblems.Shown(boundary)}'), " +
                "or it was cut short (each part needs its headers, a blank line and its content, and the body ends with the closing boundary). Nothing was imported.",
        });

    private sealed class MalformedFileException(Exception inner, long bytesRead) : Exception(inner.Message, inner)
    {
        public long BytesRead { get; } = bytesRead;
    }
}
