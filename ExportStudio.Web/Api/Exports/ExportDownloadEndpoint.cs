using System.Buffers;
using ExportStudio.Core.Compression.Archives;
using ExportStudio.Web.Api.Shared;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace ExportStudio.Web.Api.Exports;

/// <summary>
/// Serving export files: as stored with ranges, ETag and Last-Modified and never a Content-Encoding (a
/// browser would decode a .zst saved as a file); or, with <c>decompress=true</c>, what the job's downloads
/// rule offers decompressed — streamed in constant memory, or handed to a browser that speaks zstd as the
/// stored bytes with <c>Content-Encoding: zstd</c>. A file that fails its checksum is never served. A
/// schedule's frame compressed with its kept dictionary is always decompressed here: no browser has it.
/// </summary>
internal static class ExportDownloadEndpoint
{
    private const int CopyBufferSize = 1 << 20;

    public static async Task<Results<PhysicalFileHttpResult, DecompressedFileResult, ProblemHttpResult, ValidationProblem>> DownloadAsync(
        string jobId, HttpContext context, ExportJobService jobs, ExportFileStore files, ScheduleDictionaryStore dictionaries, ILoggerFactory loggers,
        CancellationToken cancellationToken, bool decompress = false)
    {
        if (!ApiProblems.TryParseId(jobId, "jobId", "export", out var id, out var invalid))
        {
            return invalid!;
        }
        var job = await jobs.GetAsync(id, cancellationToken);
        if (job is null)
        {
            return ApiProblems.NotFound($"There is no export with id {id}.");
        }
        if (job.Downloads is not { } downloads)
        {
            return ApiProblems.Conflict(job.Status is ExportJobStatus.Queued or ExportJobStatus.Running
                ? $"The export is {job.Status.ToWireName()} ({job.Percent:0}%); download it once it has completed."
                : $"The export is {job.Status.ToWireName()} and has no file to download.");
        }
        if (!await files.VerifyAsync(job.FileName!, job.Sha256!, cancellationToken))
        {
            loggers.CreateLogger(typeof(ExportDownloadEndpoint)).LogError("Export file {FileName} is missing or fails its SHA-256 check; not served.", job.FileName);
            return TypedResults.Problem(
                title: "Export file damaged",
                detail: $"The stored file {job.FileName} is missing or no longer matches its SHA-256 checksum, so it is not served. Delete this export and run it again.",
                statusCode: StatusCodes.Status500InternalServerError);
        }

        var info = files.GetInfo(job.FileName!);
        if (!decompress || downloads.Decompressed is not { } inner)
        {
            return TypedResults.PhysicalFile(info.FullName, downloads.Stored.ContentType, downloads.Stored.FileName, info.LastWriteTimeUtc,
                new EntityTagHeaderValue($"\"{job.Sha256}\""), enableRangeProcessing: true);
        }

        context.Response.Headers.Vary = HeaderNames.AcceptEncoding;
        if (downloads.BrowserCanDecode && AcceptEncoding.Allows(context.Request.Headers.AcceptEncoding, "zstd"))
        {
            // The browser decodes: the server sends the stored bytes and spends nothing.
            context.Response.Headers.ContentEncoding = "zstd";
            return TypedResults.PhysicalFile(info.FullName, inner.ContentType, inner.FileName, info.LastWriteTimeUtc,
                new EntityTagHeaderValue($"\"{job.Sha256}-zstd\""), enableRangeProcessing: false);
        }
        byte[]? dictionary = null;
        if (downloads.NeedsDictionary)
        {
            dictionary = job.KeptDictionaryId is { } keptId ? (await dictionaries.FindAsync(keptId, cancellationToken))?.Content : null;
            if (dictionary is null)
            {
                return TypedResults.Problem(
                    title: "Dictionary missing",
                    detail: $"The stored file was compressed with zstd dictionary {job.FrameDictionaryId}, which this app no longer keeps, so it cannot be decompressed here. Download the file as stored and decompress it with that dictionary.",
                    statusCode: StatusCodes.Status500InternalServerError);
            }
        }
        return new DecompressedFileResult(files, job.FileName!, inner, job.CompressionFormat == CompressionFormat.Zstd && !downloads.DecompressesEntries ? job.OriginalBytes : null,
            downloads.DecompressesEntries, dictionary);
    }

    /// <summary>
    /// Streams the contents of a stored file through the decompressor, one buffer at a time; for a
    /// per-session zstd archive (<paramref name="unpacksEntries"/>), the tar with every entry decompressed.
    /// </summary>
    internal sealed class DecompressedFileResult(ExportFileStore files, string storedName, DownloadOffer offer, long? length, bool unpacksEntries = false,
        byte[]? zstdDictionary = null) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
        {
            var response = context.Response;
            response.ContentType = offer.ContentType;
            response.ContentLength = length;
            var disposition = new ContentDispositionHeaderValue("attachment");
            disposition.SetHttpFileName(offer.FileName);
            response.Headers.ContentDisposition = disposition.ToString();
            response.Headers.XContentTypeOptions = "nosniff";
            if (HttpMethods.IsHead(context.Request.Method))
            {
                return;
            }

            await using var stored = files.OpenRead(storedName);
            await using var content = CompressedFileReader.OpenContent(stored, long.MaxValue, zstdDictionary);
            var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
            try
            {
                if (unpacksEntries)
                {
                    await SessionArchiveUnpacker.WriteDecompressedAsync(content, response.Body, context.RequestAborted);
                    return;
                }
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
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ExportDownloadEndpoint))
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
