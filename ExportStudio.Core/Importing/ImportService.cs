using ExportStudio.Core.Compression;
using ExportStudio.Core.Compression.Streams;
using ExportStudio.Core.Configuration;
using ExportStudio.Core.Data;
using ExportStudio.Core.Data.Bulk;
using ExportStudio.Core.Importing.Sources;
using ExportStudio.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ExportStudio.Core.Importing;

/// <summary>
/// Imports sessions from an export file: JSON or JSON Lines, plain, zstd, gzip, or a tar / tar.gz / tar.zst
/// holding them, recognised by content rather than by name. Everything is read, checked and staged in a
/// private database first — the real one is not touched while a gigabyte is parsed — and then applied in
/// one short transaction: all or nothing, and other writers wait a moment at most. Sessions whose id
/// already exists are skipped and counted.
/// </summary>
public sealed class ImportService(
    IDbContextFactory<ExportStudioDbContext> contextFactory,
    TempSpace temp,
    IOptions<ExportStudioOptions> options,
    ILogger<ImportService> logger)
{
    /// <param name="upload">The uploaded bytes (already limited to MaxImportBytes by the caller).</param>
    /// <param name="progress">Bytes read, sessions and messages so far, as the import goes.</param>
    public async Task<ImportResult> ImportAsync(Stream upload, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var maxBytes = options.Value.MaxImportBytes;
        var counted = new CountingReadStream(upload);
        await using var staging = await StagingDatabase.CreateAsync(temp.NewFilePath("import", ".db"), cancellationToken);
        var batch = new ImportBatch(staging, contextFactory);
        var entries = new List<string>();
        string detected;
        try
        {
            var container = await ImportContainer.OpenAsync(counted, maxBytes, cancellationToken);
            detected = container.Description;
            await foreach (var document in container.ReadDocumentsAsync(cancellationToken))
            {
                if (container.IsTar)
                {
                    entries.Add(document.Name);
                }
                batch.StartDocument();
                var source = container.IsTar ? $"entry '{document.Name}'" : document.Name;
                await foreach (var session in ExportStudioDocumentReader.ReadSessionsAsync(document.Content, cancellationToken))
                {
                    await batch.AddAsync(session, source, cancellationToken);
                    progress?.Report(new ImportProgress(ImportStage.Reading, counted.BytesRead, batch.Imported + batch.Skipped, batch.Messages));
                }
            }
            await batch.FlushAsync(cancellationToken);
        }
        catch (DecompressionLimitExceededException exception)
        {
            throw new ImportTooLargeException($"The import decompresses to more than {maxBytes:N0} bytes (MaxImportBytes). {exception.Message}");
        }
        catch (CorruptCompressedDataException exception)
        {
            throw new ImportRejectedException($"The file is damaged: {exception.Message} Nothing was imported.", exception);
        }
        catch (ImportFormatException exception)
        {
            throw new ImportRejectedException($"{exception.Message} Nothing was imported.", exception);
        }
        catch (Exception exception) when (IsDiskFull(exception))
        {
            throw new ImportFailedException(
                $"The temporary directory ran out of disk space while the import was read ({temp.Root}); nothing was imported. Free some space there (or point ExportStudio:TempDirectory at a larger disk) and import again.", exception);
        }

        progress?.Report(new ImportProgress(ImportStage.Applying, counted.BytesRead, batch.Imported + batch.Skipped, batch.Messages));
        var applied = await ApplyAsync(staging, cancellationToken);
        batch.LeftOut(applied.ArrivedMeanwhile);

        logger.LogInformation("Imported {Imported} sessions ({Skipped} skipped) from {Format}.", batch.Imported, batch.Skipped, detected);
        return new ImportResult(batch.Imported, batch.Skipped, batch.Messages, entries, detected);
    }

    /// <summary>
    /// The one write to the real database. When it fails (a full disk, a clash found at the last moment) the
    /// transaction rolls back, and the write-ahead log it grew is checkpointed and truncated, so the database
    /// and its files are as they were.
    /// </summary>
    private async Task<StagingApplied> ApplyAsync(StagingDatabase staging, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        try
        {
            var started = TimeProvider.System.GetTimestamp();
            var applied = await staging.ApplyAsync(db, cancellationToken);
            logger.LogInformation("Import applied {Sessions} sessions in {Milliseconds:F0} ms (the only time it held the write lock).", applied.Inserted, TimeProvider.System.GetElapsedTime(started).TotalMilliseconds);
            return applied;
        }
        catch (StagedIdConflictException exception)
        {
            throw new ImportRejectedException($"{exception.Message} Nothing was imported.", exception);
        }
        catch (InsufficientDiskSpaceException exception)
        {
            throw new ImportFailedException($"The database would run out of disk space: {exception.Message} Nothing was imported; free some space and import again.", exception);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            await WriteAheadLog.TruncateAsync(contextFactory);
            if (IsDiskFull(exception))
            {
                throw new ImportFailedException("The database ran out of disk space while the import was written; nothing was imported and the database is as it was. Free some space on the database's disk and import again.", exception);
            }
            throw;
        }
    }

    /// <summary>SQLite's "database or disk is full" (13), or the operating system's "no space left on device".</summary>
    private static bool IsDiskFull(Exception exception) => exception switch
    {
        Microsoft.Data.Sqlite.SqliteException sqlite => sqlite.SqliteErrorCode == 13,
        IOException io => DiskSpace.IsFull(io),
        _ => exception.InnerException is { } inner && IsDiskFull(inner),
    };
}

public enum ImportStage
{
    /// <summary>Reading, checking and staging the file.</summary>
    Reading,

    /// <summary>Writing the staged sessions to the database, in one transaction.</summary>
    Applying,
}

/// <summary>Where an import is: bytes of the upload read so far, sessions and messages found.</summary>
public sealed record ImportProgress(ImportStage Stage, long BytesRead, int Sessions, int Messages);
