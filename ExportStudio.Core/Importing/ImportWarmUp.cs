using ExportStudio.Core.Compression;
using ExportStudio.Core.Configuration;
using ExportStudio.Core.Data;
using ExportStudio.Core.Exporting.Schedules;
using ExportStudio.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ExportStudio.Core.Importing;

/// <summary>
/// Runs the import path at start-up, before the app takes requests: an export document imported a few
/// times through <see cref="ImportService"/>, each time into an empty scratch database configured like the
/// app's. Without it the first import after a start compiled some 1,500 methods while it ran (the reader,
/// the bulk writer, the run's bookkeeping, and the rest of its hot code promoted to fully optimised code),
/// a fifth of its time spent in the JIT on the two cores the import needs.
/// </summary>
public sealed class ImportWarmUp(
    DbContextOptions<ExportStudioDbContext> databaseOptions,
    TempSpace temp,
    AppInstance instance,
    IOptions<ExportStudioOptions> options,
    ILogger<ImportWarmUp> logger)
{
    /// <summary>A method is promoted after 30 calls once start-up's compiling has quietened: one round is too few.</summary>
    private const int Rounds = 4;

    /// <param name="document">An export document holding sessions, seekable: every round reads it from its start.</param>
    /// <returns>The sessions the last round imported.</returns>
    public async Task<int> RunAsync(Stream document, CancellationToken cancellationToken)
    {
        var started = TimeProvider.System.GetTimestamp();
        var imported = 0;
        for (var round = 0; round < Rounds; round++)
        {
            document.Position = 0;
            imported = await ImportIntoScratchAsync(document, cancellationToken);
            if (imported == 0)
            {
                throw new InvalidOperationException("The import warm-up's document brought no sessions.");
            }
            // Room for the background compiler to install what the round made hot.
            await Task.Delay(TimeSpan.FromMilliseconds(150), cancellationToken);
        }
        logger.LogInformation("Warmed up the import path in {Milliseconds:F0} ms.", TimeProvider.System.GetElapsedTime(started).TotalMilliseconds);
        // The imports' page caches and read-ahead were malloc'd on many threads: give their arenas back.
        NativeHeap.Trim();
        return imported;
    }

    private async Task<int> ImportIntoScratchAsync(Stream document, CancellationToken cancellationToken)
    {
        using var scratch = new ScratchDatabase(databaseOptions, temp, "import-warm-up");
        var factory = scratch.Factory;
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            await ExportStudioSqlite.CreateScratchSchemaAsync(db.Database, cancellationToken);
        }
        var time = TimeProvider.System;
        var service = new ImportService(factory, new ImportRunStore(factory, time), temp, instance, new ScheduleDictionaryStore(factory, time), options,
            NullLogger<ImportService>.Instance);
        var result = await service.ImportAsync(document, cancellationToken: cancellationToken);
        return result.Imported;
    }
}
