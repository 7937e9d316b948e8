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
            return await staging.ApplyAsync(db, cancellationToken);
        }
        catch (StagedIdConflictException exception)
        {
            throw new ImportRejectedException($"{exception.Message} Nothing was imported.", exception);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            await WriteAheadLog.TruncateAsync(contextFactory);
            throw;
        }
    }
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
