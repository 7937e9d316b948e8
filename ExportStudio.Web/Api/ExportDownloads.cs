using System.Buffers;
using ExportStudio.Core.Compression;
using ExportStudio.Core.Exports;
using ExportStudio.Core.Formats;
using ExportStudio.Core.Storage;
using Microsoft.Net.Http.Headers;

namespace ExportStudio.Web.Api;

/// <summary>
/// Serving export files (design.md, "Download rules"): as stored with ranges, ETag and Last-Modified and
/// never a Content-Encoding; or decompressed, streamed in constant memory, or handed to a browser that
/// speaks zstd as the stored bytes with <c>Content-Encoding: zstd</c>. A file that fails its checksum is
/// never served.
/// </summary>
internal static class ExportDownloads
{
    private const int CopyBufferSize = 1 << 20;

    public static async Task<IResult> DownloadAsync(
        string jobId, HttpContext context, ExportJobService jobs, ExportFileStore files, ILoggerFactory loggers,
        CancellationToken cancellationToken, bool decompress = false)
    {
        if (!ApiProblems.TryParseId(jobId, "export", out var id, out var invalid))
        {
            return invalid!;
        }
        var job = await jobs.GetAsync(id, cancellationToken);
        if (job is null)
        {
            return ApiProblems.NotFound($"There is no export with id {id}.");
        }
        if (job.Status != ExportJobStatus.Completed || job.FileName is null)
        {
            return ApiProblems.Conflict(job.Status is ExportJobStatus.Queued or ExportJobStatus.Running
                ? $"The export is {job.Status.ToWireName()} ({job.Percent:0}%); download it once it has completed."
                : $"The export is {job.Status.ToWireName()} and has no file to download.");
        }
        if (!await files.VerifyAsync(job.FileName, job.Sha256!, cancellationToken))
        {
            loggers.CreateLogger(typeof(ExportDownloads)).LogError("Export file {FileName} is missing or fails its SHA-256 check; not served.", job.FileName);
            return TypedResults.Problem(
                title: "Export file damaged",
                detail: $"The stored file {job.FileName} is missing or no longer matches its SHA-256 checksum, so it is not served. Delete this export and run it again.",
                statusCode: StatusCodes.Status500InternalServerError);
        }

        var info = files.GetInfo(job.FileName);
        var compression = job.CompressionFormat;
        if (!decompress || compression is CompressionFormat.None or CompressionFormat.Tar)
        {
            return TypedResults.PhysicalFile(info.FullName, job.ContentType, job.FileName, info.LastWriteTimeUtc,
                new EntityTagHeaderValue($"\"{job.Sha256}\""), enableRangeProcessing: true);
        }

        var innerName = Path.GetFileNameWithoutExtension(job.FileName); // .zst / .gz off: the original file or the tar
        var innerType = compression == CompressionFormat.Zstd ? job.PrimaryFormat.GetMediaType() : "application/x-tar";
        var response = context.Response;
        response.Headers.Vary = HeaderNames.AcceptEncoding;

        if (compression is CompressionFormat.Zstd or CompressionFormat.TarZst && AcceptsZstd(context.Request))
        {
            // The browser decodes: the server sends the stored bytes and spends nothing.
            response.Headers.ContentEncoding = "zstd";
            return TypedResults.PhysicalFile(info.FullName, innerType, innerName, info.LastWriteTimeUtc,
                new EntityTagHeaderValue($"\"{job.Sha256}-zstd\""), enableRangeProcessing: false);
        }

        return new DecompressedFileResult(files, job.FileName, innerName, innerType,
            compression == CompressionFormat.Zstd ? job.OriginalBytes : null);
    }

    private static bool AcceptsZstd(HttpRequest request) =>
        request.GetTypedHeaders().AcceptEncoding.Any(e => e.Value.Equals("zstd", StringComparison.OrdinalIgnoreCase) && e.Quality is not 0);

    /// <summary>Streams the contents of a stored file through the decompressor, one buffer at a time.</summary>
    private sealed class DecompressedFileResult(ExportFileStore files, string storedName, string downloadName, string contentType, long? length) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
        {
            var response = context.Response;
            response.ContentType = contentType;
            response.ContentLength = length;
            var disposition = new ContentDispositionHeaderValue("attachment");
            disposition.SetHttpFileName(downloadName);
            response.Headers.ContentDisposition = disposition.ToString();
            response.Headers.XContentTypeOptions = "nosniff";

            await using var stored = files.OpenRead(storedName);
            await using var content = CompressedFileReader.OpenContent(stored, long.MaxValue);
            var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
            try
            {
                int read;
                while ((read = await content.ReadAsync(buffer, context.RequestAborted)) > 0)
                {
                    await response.Body.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted);
                }
            }
            catch (CorruptCompressedDataException exception)
            {
                // Verified before sending, so this means the file changed mid-download: cut the connection so
                // the client sees a failed download rather than a short file that looks complete.
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ExportDownloads))
                    .LogError(exception, "Export file {FileName} failed while being decompressed for download.", storedName);
                context.Abort();
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
