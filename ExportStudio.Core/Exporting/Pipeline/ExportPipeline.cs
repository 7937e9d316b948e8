using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ExportStudio.Core.Compression;
using ExportStudio.Core.Configuration;
using ExportStudio.Core.Data;
using ExportStudio.Core.Exporting.Reading;
using ExportStudio.Core.Exporting.Writers;
using ExportStudio.Core.Sessions;
using ExportStudio.Core.Storage;

namespace ExportStudio.Core.Exporting.Pipeline;

/// <summary>
/// One export to run: the job it belongs to, its attempt (claim), the normalised request, the time it is
/// stamped with, and for an incremental run the change sequence to start after (<see cref="Incremental"/>
/// with a null <see cref="ChangedAfter"/> starts a chain: every session). A schedule's run may bring the
/// dictionary its schedule keeps (<see cref="Kept"/>), to use again while it still fits.
/// </summary>
public sealed record ExportRun(Guid JobId, int Attempt, ExportRequest Request, DateTime ExportedAt, bool Incremental = false, long? ChangedAfter = null,
    KeptDictionary? Kept = null)
{
    public string FileName => ExportFiles.FileName(JobId, Request.Formats, Request.Options.CompressionFormat, Request.Options.Layout);
}

/// <summary>
/// What a finished export produced; every figure equals what is on disk. Incremental runs say what range
/// they hold; a run whose frames name a dictionary says which (null when none was used, whatever was asked).
/// </summary>
public sealed record ExportResult(SessionSelection Selection, int MessageCount, CompressionStats Stats, string FileName, string ContentType, ExportIncrement? Increment = null,
    DictionaryUse? Dictionary = null);

/// <summary>
/// One export from the database to a committed file, top to bottom: select the sessions → read them from
/// one snapshot → write each format → compress → commit the file (fsync and atomic rename). The
/// per-session layout is the one branch: each session becomes a document of its own in every format
/// (<see cref="PerSessionExport"/>), after a dictionary is trained when one is asked for. Progress goes
/// to <see cref="IProgress{T}"/> as it happens; the caller decides how often to look at it.
/// </summary>
public sealed class ExportPipeline(
    IDbContextFactory<ExportStudioDbContext> contextFactory,
    CompressionService compression,
    ExportFileStore files,
    IOptions<ExportStudioOptions> options)
{
    /// <summary>Reading rows is the slowest step: two connections read alternate batches.</summary>
    private const int ReadConnections = 2;

    public async Task<ExportResult> RunAsync(ExportRun run, IProgress<ExportPipelineProgress> progress, CancellationToken cancellationToken)
    {
        try
        {
            return await ExportAsync(run, progress, cancellationToken);
        }
        catch (IOException exception) when (ExportFailure.IsDiskFull(exception) && exception.Message.Contains(compression.TempDirectory, StringComparison.Ordinal))
        {
            // Not the export directory: the archive's entries are spooled to the app's temporary directory first.
            throw new ExportFailedException(
                $"The temporary directory ran out of disk space while the archive's entries were spooled ({compression.TempDirectory}); nothing was kept. " +
                "Free some space there (or point ExportStudio:TempDirectory at a larger disk) and start the export again.", exception);
        }
    }

    private async Task<ExportResult> ExportAsync(ExportRun run, IProgress<ExportPipelineProgress> progress, CancellationToken cancellationToken)
    {
        var request = run.Request;
        var counters = new CompressionCounters();
        var state = new ExportPipelineProgress(ExportStage.Preparing, null, 0, counters);
        progress.Report(state);

        // One read snapshot for the whole run: every format in a bundle sees the same sessions, so the
        // counts in a document's header match the rows that follow.
        await using var reader = await ExportSessionReader.OpenAsync(contextFactory, ReadConnections, cancellationToken);
        var selection = await SessionSelection.SelectAsync(reader.Database, request.Filters, cancellationToken, run.Incremental ? run.ChangedAfter ?? -1 : null);
        var increment = run.Incremental ? await ReadIncrementAsync(reader.Database, run.ChangedAfter, cancellationToken) : null;
        var messageCount = request.Options.IncludeMessages ? selection.MessageCount : 0;
        progress.Report(state = state with { Stage = ExportStage.Exporting, Selection = selection });

        var header = new ExportDocumentHeader
        {
            ExportedAt = run.ExportedAt,
            Filters = request.Filters,
            Options = request.Options,
            SessionCount = selection.SessionCount,
            MessageCount = messageCount,
            Increment = increment,
            Contents = reader.ReadHeadingsAsync(selection),
        };
        var partial = files.CreatePartial(run.FileName, run.Attempt);
        CompressionStats stats;
        DictionaryUse? dictionary = null;
        try
        {
            if (request.Options.Layout == ArchiveLayout.PerSession)
            {
                (stats, state, dictionary) = await new PerSessionExport(compression, options.Value.MaxExportBytes).WriteAsync(run, reader, header, partial, state, progress, cancellationToken);
            }
            else if (SmallDocumentExport.Applies(request)
                && await new SmallDocumentExport().TryWriteAsync(run, reader, header, partial, state, progress, cancellationToken) is { } small)
            {
                (stats, state, dictionary) = small;
            }
            else
            {
                (stats, state) = await WriteDocumentsAsync(run, reader, header, increment, partial, state, progress, cancellationToken);
            }
            progress.Report(state with { Stage = ExportStage.Finalizing });
            await files.CommitAsync(partial, run.FileName, run.Attempt, cancellationToken);
        }
        finally
        {
            await partial.DisposeAsync();
        }

        VerifyStoredSize(run.FileName, stats);
        return new ExportResult(selection, messageCount, stats, run.FileName, ExportFiles.ContentType(request.Formats, request.Options.CompressionFormat, request.Options.Layout), increment, dictionary);
    }

    /// <summary>The document layout: each format, one document holding every session, as one entry of the output.</summary>
    private async Task<(CompressionStats Stats, ExportPipelineProgress State)> WriteDocumentsAsync(ExportRun run, ExportSessionReader reader, ExportDocumentHeader header,
        ExportIncrement? increment, Stream destination, ExportPipelineProgress state, IProgress<ExportPipelineProgress> progress, CancellationToken cancellationToken)
    {
        var options = run.Request.Options;
        await using var output = compression.Open(destination, options.CompressionFormat, options.CompressionLevel, run.ExportedAt, state.Counters);
        foreach (var format in run.Request.Formats)
        {
            var entry = await output.OpenEntryAsync(ExportFiles.EntryName(run.JobId, format), cancellationToken);
            state = await WriteDocumentAsync(reader, format, header, entry, state, progress, cancellationToken);
        }
        if (increment is not null && options.CompressionFormat.IsArchive())
        {
            // The bundle's own record of the range, beside documents (CSV) that cannot hold it.
            await WriteIncrementEntryAsync(await output.OpenEntryAsync(ExportFiles.IncrementEntryName, cancellationToken), increment, cancellationToken);
        }
        return (await output.CompleteAsync(cancellationToken), state);
    }

    /// <summary>increment.json: an incremental run's range and deletions, for archives whose documents (CSV) cannot hold them.</summary>
    internal static async Task<byte[]> IncrementJsonAsync(ExportIncrement increment, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await WriteIncrementEntryAsync(buffer, increment, cancellationToken);
        return buffer.ToArray();
    }

    private static async Task WriteIncrementEntryAsync(Stream entry, ExportIncrement increment, CancellationToken cancellationToken)
    {
        await using (var writer = new System.Text.Json.Utf8JsonWriter(entry))
        {
            writer.WriteStartObject();
            SessionJson.WriteIncrement(writer, increment);
            writer.WriteEndObject();
        }
        await entry.WriteAsync("\n"u8.ToArray(), cancellationToken);
    }

    /// <summary>Where the snapshot stands in the change sequence, and the sessions deleted since <paramref name="after"/>.</summary>
    private static async Task<ExportIncrement> ReadIncrementAsync(ExportStudioDbContext db, long? after, CancellationToken cancellationToken)
    {
        var to = await ChangeCounter.CurrentAsync(db, cancellationToken);
        var from = after ?? -1;
        var deleted = await db.SessionDeletions.AsNoTracking()
            .Where(d => d.ChangeSequence > from && d.ChangeSequence <= to)
            .OrderBy(d => d.ChangeSequence).ThenBy(d => d.SessionId)
            .Select(d => d.SessionId)
            .ToListAsync(cancellationToken);
        return new ExportIncrement(after, to, deleted);
    }

    private async Task<ExportPipelineProgress> WriteDocumentAsync(ExportSessionReader reader, ExportFormat format, ExportDocumentHeader header, Stream output,
        ExportPipelineProgress state, IProgress<ExportPipelineProgress> progress, CancellationToken cancellationToken)
    {
        var maxBytes = options.Value.MaxExportBytes;
        await using var writer = ExportWriter.Create(format, output, header.Options);
        await writer.WriteHeaderAsync(header, cancellationToken);
        await foreach (var session in reader.ReadAsync(state.Selection!, header.Options, cancellationToken))
        {
            await writer.WriteSessionAsync(session, cancellationToken);
            progress.Report(state = state with { SessionsWritten = state.SessionsWritten + 1 });
            if (state.Counters.BytesIn > maxBytes)
            {
                throw new ExportFailedException(
                    $"The export passed the limit of {maxBytes:N0} bytes (MaxExportBytes) and was stopped. Narrow the selection with filters or raise ExportStudio:MaxExportBytes.");
            }
        }
        await writer.WriteFooterAsync(cancellationToken);
        return state;
    }

    /// <summary>What the disk holds must be what was written: a short file (a disk that lied about a write) is removed, never listed.</summary>
    private void VerifyStoredSize(string fileName, CompressionStats stats)
    {
        var stored = files.GetInfo(fileName).Length;
        if (stored != stats.StoredBytes)
        {
            files.Delete(fileName);
            throw new ExportFailedException($"The export file has {stored} bytes on disk but {stats.StoredBytes} were written; it was removed. Check the disk and start the export again.");
        }
    }
}

/// <summary>
/// Where a run is: its stage, the selection once made, sessions written so far (counted once per format
/// written), and the codec's live byte counters, which other threads may sample at any time.
/// </summary>
public readonly record struct ExportPipelineProgress(ExportStage Stage, SessionSelection? Selection, int SessionsWritten, CompressionCounters Counters);
