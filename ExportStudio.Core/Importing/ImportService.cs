using System.Threading.Channels;
using ExportStudio.Core.Compression;
using ExportStudio.Core.Compression.Streams;
using ExportStudio.Core.Configuration;
using ExportStudio.Core.Data;
using ExportStudio.Core.Data.Bulk;
using ExportStudio.Core.Exporting;
using ExportStudio.Core.Importing.Sources;
using ExportStudio.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ExportStudio.Core.Importing;

/// <summary>
/// Imports sessions from an export file: JSON or JSON Lines, plain, zstd, gzip, or a tar / tar.gz / tar.zst
/// holding them, recognised by content rather than by name. The file is parsed on one thread while the
/// sessions it holds are written on another, straight into the database but pending — invisible — in
/// short transactions; the last, small transaction reveals them all. All or nothing: a failure (or a
/// crash, through the run's lease) undoes what was written, and nobody ever saw it. A session the database
/// has is skipped, or replaced when the file brings a newer version.
/// </summary>
public sealed class ImportService(
    IDbContextFactory<ExportStudioDbContext> contextFactory,
    ImportRunStore runs,
    TempSpace temp,
    AppInstance instance,
    IOptions<ExportStudioOptions> options,
    ILogger<ImportService> logger)
{
    private TimeSpan Lease => TimeSpan.FromSeconds(options.Value.LeaseSeconds);

    /// <param name="upload">The uploaded bytes (already limited to MaxImportBytes by the caller).</param>
    /// <param name="progress">Bytes read, sessions and messages so far, as the import goes.</param>
    /// <param name="mode">Whether the deletions an incremental export lists are applied too.</param>
    public async Task<ImportResult> ImportAsync(Stream upload, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default,
        ImportMode mode = ImportMode.Merge)
    {
        var run = await runs.StartAsync(instance.Id, Lease, cancellationToken);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var heartbeat = BeatAsync(run, stop.Token);
        try
        {
            var result = await RunAsync(run, upload, progress, mode, stop.Token);
            logger.LogInformation("Imported {Imported} sessions ({Updated} updated, {Skipped} skipped) from {Format}.", result.Imported, result.Updated, result.Skipped, result.DetectedFormat);
            return result;
        }
        catch
        {
            await UndoAsync(run);
            throw;
        }
        finally
        {
            await stop.CancelAsync();
            await heartbeat;
        }
    }

    private async Task<ImportResult> RunAsync(ImportRun run, Stream upload, IProgress<ImportProgress>? progress, ImportMode mode, CancellationToken cancellationToken)
    {
        var deletions = new ImportDeletions(mode);
        var counted = new CountingReadStream(upload);
        await using var writer = await ImportWriter.OpenAsync(contextFactory, run, cancellationToken);
        await using var replacements = await StagingDatabase.CreateAsync(temp.NewFilePath("replacements", ".db"), cancellationToken);
        var batch = new ImportBatch(writer, replacements, contextFactory);
        var read = Channel.CreateBounded<ImportItem>(new BoundedChannelOptions(512) { SingleReader = true, SingleWriter = true });
        var reading = Task.Run(() => ReadAsync(counted, read.Writer, deletions, cancellationToken), CancellationToken.None);
        try
        {
            await foreach (var item in read.Reader.ReadAllAsync(cancellationToken))
            {
                if (item.Session is null)
                {
                    batch.StartDocument();
                    continue;
                }
                deletions.Brought(item.Session.Id);
                await batch.AddAsync(item.Session, item.Source, cancellationToken);
                progress?.Report(new ImportProgress(ImportStage.Reading, counted.BytesRead, batch.Imported + batch.Updated + batch.Skipped, batch.Messages));
            }
            var (detected, entries) = await reading;
            await batch.FlushAsync(cancellationToken);
            progress?.Report(new ImportProgress(ImportStage.Applying, counted.BytesRead, batch.Imported + batch.Updated + batch.Skipped, batch.Messages));
            var revealing = TimeProvider.System.GetTimestamp();
            var deleted = await writer.RevealAsync(replacements, deletions.ToApply(), cancellationToken);
            logger.LogInformation("Import {RunId} revealed its sessions in {Milliseconds:F0} ms.", run.Id, TimeProvider.System.GetElapsedTime(revealing).TotalMilliseconds);
            return new ImportResult(batch.Imported, batch.Updated, batch.Skipped, batch.Messages, entries, detected, deleted);
        }
        catch (Exception exception) when (Translate(exception) is { } translated)
        {
            throw translated;
        }
        finally
        {
            read.Writer.TryComplete();
            await ExpectAsync(reading);
        }
    }

    /// <summary>The reading thread: documents and their sessions in order; a document's start is an item without a session.</summary>
    private async Task<(string Detected, List<string> Entries)> ReadAsync(Stream upload, ChannelWriter<ImportItem> output, ImportDeletions deletions, CancellationToken cancellationToken)
    {
        var entries = new List<string>();
        try
        {
            var container = await ImportContainer.OpenAsync(upload, options.Value.MaxImportBytes, cancellationToken);
            await foreach (var document in container.ReadDocumentsAsync(cancellationToken))
            {
                if (container.IsTar)
                {
                    entries.Add(document.Name);
                }
                var source = container.IsTar ? $"entry '{document.Name}'" : document.Name;
                await output.WriteAsync(new ImportItem(null, source), cancellationToken);
                await foreach (var session in ExportStudioDocumentReader.ReadSessionsAsync(document.Content, cancellationToken, deletions.Listed))
                {
                    await output.WriteAsync(new ImportItem(session, source), cancellationToken);
                }
            }
            output.TryComplete();
            return (container.Description, entries);
        }
        catch (Exception exception)
        {
            output.TryComplete(exception);
            throw;
        }
    }

    /// <summary>What a person is told, for the ways a file can be refused or a disk fill up.</summary>
    private Exception? Translate(Exception exception) => exception switch
    {
        ChannelClosedException { InnerException: { } inner } => Translate(inner) ?? inner,
        DecompressionLimitExceededException limit =>
            new ImportTooLargeException($"The import decompresses to more than {options.Value.MaxImportBytes:N0} bytes (MaxImportBytes). {limit.Message}"),
        CorruptCompressedDataException corrupt => new ImportRejectedException($"The file is damaged: {corrupt.Message} Nothing was imported.", corrupt),
        ImportFormatException format => new ImportRejectedException($"{format.Message} Nothing was imported.", format),
        _ when IsDiskFull(exception) => new ImportFailedException(
            "A disk ran out of space while the import was written (the database's, or the temporary directory's); nothing was imported. Free some space and import again.", exception),
        _ => null,
    };

    private static bool IsDiskFull(Exception exception) => exception switch
    {
        Microsoft.Data.Sqlite.SqliteException sqlite => sqlite.SqliteErrorCode == 13,
        IOException io => DiskSpace.IsFull(io),
        _ => exception.InnerException is { } inner && IsDiskFull(inner),
    };

    private static async Task ExpectAsync(Task reading)
    {
        try
        {
            await reading;
        }
        catch (Exception)
        {
            // Its failure is the import's, already handled where the channel reported it.
        }
    }

    /// <summary>Removes what the run wrote (in short deletes) and the log it grew, whatever stopped it.</summary>
    private async Task UndoAsync(ImportRun run)
    {
        try
        {
            await runs.UndoAsync(run, CancellationToken.None);
        }
        catch (Exception exception)
        {
            // Its lease expires and the recovery sweep of any instance undoes it.
            logger.LogWarning(exception, "Undoing import {RunId} failed; the recovery sweep will.", run.Id);
        }
        await WriteAheadLog.TruncateAsync(contextFactory);
    }

    private async Task BeatAsync(ImportRun run, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await runs.RenewAsync(run, Lease, cancellationToken);
                }
                catch (Microsoft.Data.Sqlite.SqliteException exception) when (exception.SqliteErrorCode is 5 or 6)
                {
                    logger.LogDebug(exception, "Import {RunId}: the database was busy; the heartbeat tries again.", run.Id);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The import is over.
        }
    }

    /// <summary>
    /// The sessions the file's increments list as deleted, less those the file itself brings (a listed id
    /// brought back later in the same file stays). Written by the reading thread, read after it has ended.
    /// </summary>
    private sealed class ImportDeletions(ImportMode mode)
    {
        private readonly HashSet<Guid> _listed = [];
        private readonly HashSet<Guid> _brought = [];

        public void Listed(ExportIncrement increment)
        {
            if (mode == ImportMode.Replicate)
            {
                _listed.UnionWith(increment.DeletedSessionIds);
            }
        }

        public void Brought(Guid sessionId)
        {
            if (mode == ImportMode.Replicate)
            {
                _brought.Add(sessionId);
            }
        }

        public IReadOnlyCollection<Guid> ToApply() => _listed.Except(_brought).ToList();
    }

    private sealed record ImportItem(ChatSession? Session, string Source);
}

public enum ImportStage
{
    /// <summary>Reading and checking the file, writing its sessions as pending.</summary>
    Reading,

    /// <summary>Revealing the sessions written, in one transaction.</summary>
    Applying,
}

/// <summary>Where an import is: bytes of the upload read so far, sessions and messages found.</summary>
public sealed record ImportProgress(ImportStage Stage, long BytesRead, int Sessions, int Messages);
