using ExportStudio.Core.Compression;
using ExportStudio.Core.Data;
using ExportStudio.Core.Data.Bulk;
using ExportStudio.Core.Data.DemoData;
using ExportStudio.Core.Exporting.Reading;
using ExportStudio.Core.Exporting.Writers;
using ExportStudio.Core.Sessions;
using ExportStudio.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging;

namespace ExportStudio.Core.Exporting.Pipeline;

/// <summary>
/// Runs the export's hot path at start-up, before the app takes requests, on a scratch database of
/// generated sessions: the reader, every writer and the zstd and gzip codecs, a few rounds in small
/// batches. .NET compiles a method fully only after it has been called often (and only once start-up's
/// own compiling has quietened), so without this the first real export runs much of its code
/// half-compiled, and a server that restarts or exports rarely never reaches its best speed.
/// </summary>
public sealed class ExportWarmUp(CompressionService compression, TempSpace temp, ILogger<ExportWarmUp> logger)
{
    private const int Sessions = 240;
    private const int Rounds = 8;
    private const int BatchSize = 8;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var started = TimeProvider.System.GetTimestamp();
        var path = temp.NewFilePath("warm-up", ".db");
        var options = new DbContextOptionsBuilder<ExportStudioDbContext>().UseExportStudioSqlite(path).Options;
        var factory = new PooledDbContextFactory<ExportStudioDbContext>(options);
        try
        {
            await SeedAsync(factory, cancellationToken);
            for (var round = 0; round < Rounds; round++)
            {
                await ExportEveryFormatAsync(factory, cancellationToken);
                // Room for the background compiler to install what the round made hot.
                await Task.Delay(TimeSpan.FromMilliseconds(150), cancellationToken);
            }
            logger.LogInformation("Warmed up the export path in {Milliseconds:F0} ms.", TimeProvider.System.GetElapsedTime(started).TotalMilliseconds);
            NativeHeap.Trim();
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearPool(new Microsoft.Data.Sqlite.SqliteConnection(SqliteConnectionStrings.For(path)));
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                File.Delete(file);
            }
        }
    }

    private static async Task SeedAsync(IDbContextFactory<ExportStudioDbContext> factory, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await db.Database.EnsureCreatedAsync(cancellationToken);
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        using (var writer = new SessionBulkWriter(db, connection, transaction))
        {
            foreach (var session in new DemoDataGenerator().Generate(Sessions))
            {
                writer.Add(session);
            }
        }
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task ExportEveryFormatAsync(IDbContextFactory<ExportStudioDbContext> factory, CancellationToken cancellationToken)
    {
        await using var reader = await ExportSessionReader.OpenAsync(factory, connections: 2, cancellationToken);
        var selection = await SessionSelection.SelectAsync(reader.Database, ExportFilters.None, cancellationToken);
        var exportOptions = new ExportOptions();
        foreach (var (format, codec) in ExportFormatFacts.All.Select(f => (f, CompressionFormat.Zstd)).Append((ExportFormat.Json, CompressionFormat.TarGz)))
        {
            await using var output = compression.Open(Stream.Null, codec, null, DateTime.UtcNow);
            var entry = await output.OpenEntryAsync("warm-up", cancellationToken);
            await using (var writer = ExportWriter.Create(format, entry, exportOptions))
            {
                await writer.WriteHeaderAsync(new ExportDocumentHeader { ExportedAt = DateTime.UtcNow, Options = exportOptions }, cancellationToken);
                await foreach (var session in reader.ReadAsync(selection, exportOptions, cancellationToken, BatchSize))
                {
                    await writer.WriteSessionAsync(session, cancellationToken);
                }
                await writer.WriteFooterAsync(cancellationToken);
            }
            await output.CompleteAsync(cancellationToken);
        }
    }
}
