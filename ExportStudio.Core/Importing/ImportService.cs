using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ExportStudio.Core.Compression;
using ExportStudio.Core.Configuration;
using ExportStudio.Core.Data;
using ExportStudio.Core.Importing.Sources;

namespace ExportStudio.Core.Importing;

/// <summary>
/// Imports sessions from an export file: JSON or JSON Lines, plain, zstd, gzip, or a tar / tar.gz / tar.zst
/// holding them, recognised by content rather than by name. All or nothing: one transaction, rolled back on
/// the first problem. Sessions whose id already exists are skipped and counted.
/// </summary>
public sealed class ImportService(
    IDbContextFactory<ExportStudioDbContext> contextFactory,
    IOptions<ExportStudioOptions> options,
    ILogger<ImportService> logger)
{
    /// <param name="upload">The uploaded bytes (already limited to MaxImportBytes by the caller).</param>
    public async Task<ImportResult> ImportAsync(Stream upload, CancellationToken cancellationToken = default)
    {
        var maxBytes = options.Value.MaxImportBytes;
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var batch = new ImportBatch(db);
        var entries = new List<string>();
        string detected;
        try
        {
            var container = await ImportContainer.OpenAsync(upload, maxBytes, cancellationToken);
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

        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Imported {Imported} sessions ({Skipped} skipped) from {Format}.", batch.Imported, batch.Skipped, detected);
        return new ImportResult(batch.Imported, batch.Skipped, batch.Messages, entries, detected);
    }
}
