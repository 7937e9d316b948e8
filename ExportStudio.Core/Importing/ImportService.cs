using System.Diagnostics;
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
    Exporting.Schedules.ScheduleDictionaryStore dictionaries,
    IOptions<ExportStudioOptions> options,
    ILogger<ImportService> logger)
{
    private const long HandfulBytes = 64 << 10;

    /// <summary>How long the writing side waits for the reading one before it commits what it holds.</summary>
    private static readonly TimeSpan IdleCommit = TimeSpan.FromMilliseconds(100);

    /// <summary>How often the idle writing side looks for other writers waiting for the lock.</summary>
    private static readonly TimeSpan IdleSlice = TimeSpan.FromMilliseconds(5);

    private TimeSpan Lease => TimeSpan.FromSeconds(options.Value.LeaseSeconds);

    /// <param name="upload">The uploaded bytes (already limited to MaxImportBytes by the caller).</param>
    /// <param name="source">The source the file is read as; null to recognise it from its content.</param>
    /// <param name="progress">Bytes read, sessions and messages so far, as the import goes.</param>
    /// <param name="mode">Whether the deletions an incremental export lists are applied too.</param>
    public async Task<ImportResult> ImportAsync(Stream upload, IImportSource? source = null, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default,
        ImportMode mode = ImportMode.Merge)
    {
        var run = await runs.StartAsync(instance.Id, Lease, cancellationToken);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var heartbeat = BeatAsync(run, stop.Token);
        try
        {
            var result = await RunAsync(run, upload, source, progress, mode, stop.Token);
            logger.LogInformation("Imported {Imported} sessions ({Updated} updated, {Skipped} skipped) from {Source} ({Format}).", result.Imported, result.Updated, result.Skipped, result.Source, result.DetectedFormat);
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

    private async Task<ImportResult> RunAsync(ImportRun run, Stream upload, IImportSource? source, IProgress<ImportProgress>? progress, ImportMode mode, CancellationToken cancellationToken)
    {
        var context = new ImportContext(DateTime.UtcNow);
        var deletions = new ImportDeletions(mode);
        var reading = new Reading(context, source);
        await using var writer = await ImportWriter.OpenAsync(contextFactory, run, cancellationToken);
        await using var replacements = await StagingDatabase.CreateAsync(temp.NewFilePath("replacements", ".db"), cancellationToken);
        var batch = new ImportBatch(writer, replacements, context);
        var read = Channel.CreateBounded<ImportItem>(new BoundedChannelOptions(256) { SingleReader = true, SingleWriter = true });
        // The reading thread may be waiting for read-ahead room the writing side will never give back once it
        // has failed; completing the channel does not wake it, cancelling does.
        using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var readingTask = Task.Run(() => ReadAsync(upload, reading, read.Writer, stopReading.Token), CancellationToken.None);
        // Once the file is read, its thread's core is free while the writing side finishes: the log's copy into
        // the database begins there, and the copy at the end is left only what the last chunks and the reveal add.
        var earlyCopy = readingTask.ContinueWith(read => read.IsCompletedSuccessfully ? WriteAheadLog.CopyIntoDatabaseAsync(contextFactory) : Task.CompletedTask,
            CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
        try
        {
            while (await NextAsync(read.Reader, writer, cancellationToken))
            {
                if (!read.Reader.TryRead(out var item))
                {
                    continue;
                }
                if (item.StartsDocument)
                {
                    batch.StartDocument();
                }
                foreach (var session in item.Sessions)
                {
                    deletions.Brought(session.Id);
                    batch.Add(session, item.Source);
                }
                reading.Ahead.Release(item.Units);
                progress?.Report(new ImportProgress(ImportStage.Reading, reading.BytesRead, batch.Imported + batch.Updated + batch.Skipped, batch.Messages) { Source = reading.Detected });
            }
            await readingTask;
            batch.Flush();
            progress?.Report(new ImportProgress(ImportStage.Applying, reading.BytesRead, batch.Imported + batch.Updated + batch.Skipped, batch.Messages) { Source = reading.Detected });
            var revealing = TimeProvider.System.GetTimestamp();
            var deleted = await writer.RevealAsync(replacements, deletions.ToApply(context.ListedDeletions), cancellationToken);
            logger.LogInformation("Import {RunId} revealed its sessions in {Milliseconds:F0} ms.", run.Id, TimeProvider.System.GetElapsedTime(revealing).TotalMilliseconds);
            // The chunks' pages went to the log only (their commits skip the checkpoint that would copy
            // each chunk into the database straight away, which took a fifth of the writing thread's time,
            // index pages copied again for every chunk); the copy begun when the file was read has taken
            // most of them, and this one copies what came after. It stays inside the request: run after the answer, its hundreds of megabytes were still being written
            // out when the next export came, which then took two to six times as long.
            await earlyCopy;
            await WriteAheadLog.CopyIntoDatabaseAsync(contextFactory);
            return new ImportResult(string.Join("+", reading.Sources), batch.Imported, batch.Updated, batch.Skipped + context.Repeats, batch.Messages,
                context.Dropped, reading.Entries, reading.Container, deleted);
        }
        catch (Exception exception) when (Translate(exception) is { } translated)
        {
            throw translated;
        }
        finally
        {
            read.Writer.TryComplete();
            if (!readingTask.IsCompleted)
            {
                await stopReading.CancelAsync();
            }
            await ExpectAsync(readingTask);
            await earlyCopy; // best effort, never fails; an undo's checkpoint must not find it still running
        }
    }

    /// <summary>
    /// Waits for the reading thread's next item. The writer's open transaction is not held for nothing
    /// meanwhile: it is committed when the item is slow to come (an upload arriving) or another writer waits.
    /// </summary>
    private static async ValueTask<bool> NextAsync(ChannelReader<ImportItem> reader, ImportWriter writer, CancellationToken cancellationToken)
    {
        var ready = reader.WaitToReadAsync(cancellationToken);
        if (ready.IsCompleted)
        {
            return await ready;
        }
        var waiting = ready.AsTask();
        var idle = Stopwatch.StartNew();
        while (writer.HoldsLock && !waiting.IsCompleted)
        {
            await Task.WhenAny(waiting, Task.Delay(IdleSlice, cancellationToken));
            if (!waiting.IsCompleted && (idle.Elapsed >= IdleCommit || writer.OthersWaiting))
            {
                writer.Commit();
            }
        }
        return await waiting;
    }

    /// <summary>
    /// The reading thread: documents and their sessions in order (a document's start is an item without a
    /// session), each document read by its source — the one named, or the one its content shows.
    /// </summary>
    private async Task ReadAsync(Stream upload, Reading reading, ChannelWriter<ImportItem> output, CancellationToken cancellationToken)
    {
        try
        {
            await using var container = await ImportContainer.OpenAsync(upload, options.Value.MaxImportBytes, () => temp.NewFilePath("upload", ".zip"), cancellationToken,
                dictionaries.FindContentAsync);
            reading.Opened(container);
            await foreach (var document in container.ReadDocumentsAsync(cancellationToken))
            {
                var where = container.IsArchive ? $"entry '{document.Name}'" : document.Name;
                var (source, content) = await ImportSources.ChooseAsync(document.Content, reading.Named, cancellationToken);
                reading.Read(document.Name, source);
                await output.WriteAsync(ImportItem.DocumentStart(where), cancellationToken);
                // Sessions go over in handfuls: one at a time, the writing thread woke for each.
                var handful = new List<ChatSession>();
                long weight = 0;
                await foreach (var session in source.ReadAsync(content, reading.Context, cancellationToken))
                {
                    handful.Add(session);
                    weight += ImportBatch.Weight(session);
                    if (weight >= HandfulBytes)
                    {
                        await HandOverAsync();
                    }
                }
                if (handful.Count > 0)
                {
                    await HandOverAsync();
                }

                async Task HandOverAsync()
                {
                    var units = await reading.Ahead.TakeAsync(weight, cancellationToken);
                    await output.WriteAsync(new ImportItem(where, handful, units), cancellationToken);
                    handful = [];
                    weight = 0;
                }
            }
            // Nothing is revealed before the whole upload is in: an upload that fails after the last session
            // (past the size limit, cut short) fails the import.
            await UploadSpool.WhenWholeAsync(upload, cancellationToken);
            output.TryComplete();
        }
        catch (Exception exception)
        {
            output.TryComplete(exception);
            throw;
        }
    }

    /// <summary>What the reading thread found, for the result: the container, the sources and the entries read.</summary>
    private sealed class Reading(ImportContext context, IImportSource? named)
    {
        private ImportContainer? _container;

        public ImportContext Context { get; } = context;
        public IImportSource? Named { get; } = named;
        public ImportReadAhead Ahead { get; } = new();
        public string Container { get; private set; } = "plain";
        public List<string> Sources { get; } = [];
        public List<string> Entries { get; } = [];
        public long BytesRead => _container?.BytesRead ?? 0;

        /// <summary>The sources recognised so far, as the result will name them; written by the reading thread, read by the writing one.</summary>
        public string? Detected => Volatile.Read(ref _detected);

        private string? _detected;

        public void Opened(ImportContainer container)
        {
            _container = container;
            Container = container.Description;
        }

        public void Read(string document, IImportSource source)
        {
            if (_container!.IsArchive)
            {
                Entries.Add(document);
            }
            if (!Sources.Contains(source.Name))
            {
                Sources.Add(source.Name);
                Volatile.Write(ref _detected, string.Join("+", Sources));
            }
        }
    }

    /// <summary>What a person is told, for the ways a file can be refused or a disk fill up.</summary>
    private Exception? Translate(Exception exception) => exception switch
    {
        ChannelClosedException { InnerException: { } inner } => Translate(inner) ?? inner,
        DecompressionLimitExceededException limit =>
            new ImportTooLargeException($"The import decompresses to more than {options.Value.MaxImportBytes:N0} bytes (MaxImportBytes). {limit.Message}"),
        CorruptCompressedDataException corrupt => new ImportRejectedException($"The file is damaged: {corrupt.Message} Nothing was imported.", corrupt),
        ImportSourceUnknownException => exception,
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

    /// <summary>Sessions read from one document, or (with none) the start of a document.</summary>
    private sealed record ImportItem(string Source, IReadOnlyList<ChatSession> Sessions, int Units = 0)
    {
        public static ImportItem DocumentStart(string source) => new(source, []);

        public bool StartsDocument => Sessions.Count == 0;
    }
}
