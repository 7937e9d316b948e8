using ExportStudio.Core.Compression;
using ExportStudio.Core.Compression.Streams;
using ExportStudio.Core.Data;
using ExportStudio.Core.Data.Bulk;
using ExportStudio.Core.Data.DemoData;
using ExportStudio.Core.Configuration;
using ExportStudio.Core.Exporting.Jobs;
using ExportStudio.Core.Exporting.Reading;
using ExportStudio.Core.Exporting.Schedules;
using ExportStudio.Core.Exporting.Writers;
using ExportStudio.Core.Sessions;
using ExportStudio.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ExportStudio.Core.Exporting.Pipeline;

/// <summary>
/// Runs the export's hot path at start-up, before the app takes requests, on a scratch database of
/// generated sessions: the reader, every writer and the zstd and gzip codecs, a few rounds in small
/// batches. .NET compiles a method fully only after it has been called often (and only once start-up's
/// own compiling has quietened), so without this the first real export runs much of its code
/// half-compiled, and a server that restarts or exports rarely never reaches its best speed. Its sessions
/// can also come out as an export document, which the import warm-up then imports.
/// </summary>
public sealed class ExportWarmUp(
    DbContextOptions<ExportStudioDbContext> databaseOptions,
    CompressionService compression,
    TempSpace temp,
    IOptions<ExportStudioOptions> options,
    ILogger<ExportWarmUp> logger)
{
    private const int Sessions = 240;
    private const int Rounds = 8;
    private const int BatchSize = 8;
    private const int Polls = 60;

    /// <param name="document">When given, receives the scratch sessions as a JSON export document (left open).</param>
    public async Task RunAsync(CancellationToken cancellationToken, Stream? document = null)
    {
        var started = TimeProvider.System.GetTimestamp();
        using var scratch = new ScratchDatabase(databaseOptions, temp, "warm-up");
        var factory = scratch.Factory;
        await SeedAsync(factory, cancellationToken);
        for (var round = 0; round < Rounds; round++)
        {
            // Both ways of reading: a real export of a thousand sessions or more locates its messages and lists the tool calls' owners first.
            await ExportEveryFormatAsync(factory, locateFirstFrom: round % 2 == 0 ? 0 : int.MaxValue, cancellationToken);
            // Room for the background compiler to install what the round made hot.
            await Task.Delay(TimeSpan.FromMilliseconds(150), cancellationToken);
        }
        await RunJobAsync(factory, cancellationToken);
        if (document is not null)
        {
            await WriteDocumentAsync(factory, document, cancellationToken);
        }
        logger.LogInformation("Warmed up the export path in {Milliseconds:F0} ms.", TimeProvider.System.GetElapsedTime(started).TotalMilliseconds);
        NativeHeap.Trim();
    }

    /// <summary>
    /// One json+zstd job through the job machinery, as the worker runs it: queued, claimed under a lease,
    /// run with its progress monitor, its end saved and the job read back. The rounds above warm the hot
    /// path; this warms what a real export does around it (EF Core's queries, updates and change tracking
    /// of the job row, the job's JSON columns, the lease, the file store), some 2,000 methods otherwise
    /// compiled during the first export, on the two cores it runs on.
    /// </summary>
    private async Task RunJobAsync(IDbContextFactory<ExportStudioDbContext> factory, CancellationToken cancellationToken)
    {
        var time = TimeProvider.System;
        var directory = temp.NewFilePath("warm-up-exports", extension: "");
        try
        {
            var files = new ExportFileStore(directory);
            var store = new ExportJobStore(factory, time);
            var runner = new ExportRunner(new ExportPipeline(factory, compression, files, options), store, files,
                new ExportProgressFeed(NullLogger<ExportProgressFeed>.Instance), new ExportRunRegistry(), new ScheduleDictionaryStore(factory, time),
                options, time, NullLogger<ExportRunner>.Instance);
            var request = new ExportRequest { Formats = [ExportFormat.Json], Options = new ExportOptions { CompressionFormat = CompressionFormat.Zstd, CompressionLevel = 3 } };
            var job = ExportJobService.NewJob(request.Normalize(), time);
            await store.AddAsync(job, cancellationToken);
            var lease = await store.ClaimNextAsync("warm-up", TimeSpan.FromSeconds(options.Value.LeaseSeconds), cancellationToken)
                ?? throw new InvalidOperationException("The warm-up's job was not there to claim.");
            await runner.RunAsync(lease, cancellationToken);
            var ended = await store.FindAsync(job.Id, cancellationToken);
            if (ended?.Status != ExportJobStatus.Completed)
            {
                throw new InvalidOperationException($"The warm-up's export ended {ended?.Status.ToWireName() ?? "missing"}: {ended?.Error}");
            }
            await store.ListAsync(1, 20, null, cancellationToken);
            // A script follows its export by asking for the job again and again (the benchmark every 25 ms):
            // EF Core's query path under those requests was promoted, some 500 methods, during the first
            // two exports, on the cores they ran on.
            for (var poll = 0; poll < Polls; poll++)
            {
                await store.FindAsync(job.Id, cancellationToken);
            }
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    private static async Task SeedAsync(IDbContextFactory<ExportStudioDbContext> factory, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await ExportStudioSqlite.CreateScratchSchemaAsync(db.Database, cancellationToken);
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

    private async Task ExportEveryFormatAsync(IDbContextFactory<ExportStudioDbContext> factory, int locateFirstFrom, CancellationToken cancellationToken)
    {
        await using var reader = await ExportSessionReader.OpenAsync(factory, connections: 2, cancellationToken);
        var selection = await SessionSelection.SelectAsync(reader.Database, ExportFilters.None, cancellationToken);
        foreach (var (format, codec) in ExportFormatFacts.All.Select(f => (f, CompressionFormat.Zstd)).Append((ExportFormat.Json, CompressionFormat.TarGz)))
        {
            await using var output = compression.Open(Stream.Null, codec, null, DateTime.UtcNow);
            var entry = await output.OpenEntryAsync("warm-up", cancellationToken);
            await WriteAsync(reader, selection, format, entry, cancellationToken, locateFirstFrom);
            await output.CompleteAsync(cancellationToken);
        }
    }

    private static async Task WriteDocumentAsync(IDbContextFactory<ExportStudioDbContext> factory, Stream document, CancellationToken cancellationToken)
    {
        await using var reader = await ExportSessionReader.OpenAsync(factory, connections: 1, cancellationToken);
        var selection = await SessionSelection.SelectAsync(reader.Database, ExportFilters.None, cancellationToken);
        await WriteAsync(reader, selection, ExportFormat.Json, new NonClosingStream(document), cancellationToken);
    }

    private static async Task WriteAsync(ExportSessionReader reader, SessionSelection selection, ExportFormat format, Stream destination, CancellationToken cancellationToken,
        int locateFirstFrom = int.MaxValue)
    {
        var exportOptions = new ExportOptions();
        await using var writer = ExportWriter.Create(format, destination, exportOptions);
        await writer.WriteHeaderAsync(new ExportDocumentHeader { ExportedAt = DateTime.UtcNow, Options = exportOptions }, cancellationToken);
        await foreach (var session in reader.ReadAsync(selection, exportOptions, cancellationToken, BatchSize, locateFirstFrom))
        {
            await writer.WriteSessionAsync(session, cancellationToken);
        }
        await writer.WriteFooterAsync(cancellationToken);
    }
}
