using ExportStudio.Core.Compression;
using ExportStudio.Core.Data;
using ExportStudio.Core.Data.Bulk;
using ExportStudio.Core.Configuration;
using ExportStudio.Core.Data.DemoData;
using ExportStudio.Core.Exporting.Jobs;
using ExportStudio.Core.Exporting.Schedules;
using ExportStudio.Core.Exporting.Reading;
using ExportStudio.Core.Exporting.Writers;
using ExportStudio.Core.Sessions;
using ExportStudio.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ExportStudio.Core.Exporting.Pipeline;

/// <summary>
/// Runs the export's hot path at start-up, before the app takes requests, on a scratch database of
/// generated sessions: the reader, every writer and the zstd and gzip codecs, a few rounds in small
/// batches. .NET compiles a method fully only after it has been called often (and only once start-up's
/// own compiling has quietened), so without this the first real export runs much of its code
/// half-compiled, and a server that restarts or exports rarely never reaches its best speed. Then a few
/// whole jobs run on the same scratch database (see <see cref="RunJobsAsync"/>).
/// </summary>
public sealed class ExportWarmUp(CompressionService compression, TempSpace temp, IOptions<ExportStudioOptions> options, ILogger<ExportWarmUp> logger)
{
    private const int Sessions = 240;
    private const int Rounds = 8;
    private const int BatchSize = 8;
    private const int JobRounds = 3;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var started = TimeProvider.System.GetTimestamp();
        var path = temp.NewFilePath("warm-up", ".db");
        var factory = new PooledDbContextFactory<ExportStudioDbContext>(new DbContextOptionsBuilder<ExportStudioDbContext>().UseExportStudioSqlite(path).Options);
        var exports = temp.NewFilePath("warm-up-exports", "");
        try
        {
            await SeedAsync(factory, cancellationToken);
            for (var round = 0; round < Rounds; round++)
            {
                await ExportEveryFormatAsync(factory, cancellationToken);
                // Room for the background compiler to install what the round made hot.
                await Task.Delay(TimeSpan.FromMilliseconds(150), cancellationToken);
            }
            await RunJobsAsync(factory, exports, cancellationToken);
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
            if (Directory.Exists(exports))
            {
                Directory.Delete(exports, recursive: true);
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

    /// <summary>
    /// Whole json+zstd jobs on the scratch database, as the worker runs them: the row stored and claimed,
    /// the heartbeat's two writes, the run, its outcome saved. The first export after a start otherwise
    /// compiles all of that (a few thousand methods of EF's update path and of System.Text.Json) on the
    /// same two cores while it runs (figures in docs/benchmarks.md).
    /// </summary>
    private async Task RunJobsAsync(IDbContextFactory<ExportStudioDbContext> factory, string directory, CancellationToken cancellationToken)
    {
        var time = TimeProvider.System;
        var store = new ExportJobStore(factory, time);
        var files = new ExportFileStore(directory);
        var runner = new ExportRunner(new ExportPipeline(factory, compression, files, options), store, files, new ExportProgressFeed(NullLogger<ExportProgressFeed>.Instance),
            new ExportRunRegistry(), new ScheduleDictionaryStore(factory, time), options, time, NullLogger<ExportRunner>.Instance);
        var lease = TimeSpan.FromSeconds(options.Value.LeaseSeconds);
        var request = new ExportRequest { Formats = [ExportFormat.Json], Options = new ExportOptions { CompressionFormat = CompressionFormat.Zstd, CompressionLevel = 3 } }.Normalize();
        for (var round = 0; round < JobRounds; round++)
        {
            await store.AddAsync(ExportJob.Queued(request, time.GetUtcNow()), cancellationToken);
            var claim = await store.ClaimNextAsync("warm-up", lease, cancellationToken)
                ?? throw new InvalidOperationException("The warm-up's job was not claimed.");
            // A run this small ends before its first heartbeat; a real one beats within its first second.
            await store.RenewAsync(claim, lease, cancellationToken);
            await store.SaveProgressAsync(claim, new ExportProgress { JobId = claim.JobId, Status = ExportJobStatus.Running, Stage = ExportStage.Exporting }, Sessions, 0, cancellationToken);
            await runner.RunAsync(claim, cancellationToken);
            if (await store.FindAsync(claim.JobId, cancellationToken) is not { Status: ExportJobStatus.Completed })
            {
                throw new InvalidOperationException("The warm-up's export job did not complete.");
            }
        }
    }
}
