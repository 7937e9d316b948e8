using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExportStudio.Benchmarks.EndToEnd;

/// <summary>
/// The end-to-end benchmark: generated data sets of session JSON, real exports through the running app,
/// the standard tools on the same uncompressed export, and decompressed-download throughput.
/// </summary>
internal sealed class EndToEndBenchmark(string dataDirectory, string? appDirectory)
{
    /// <summary>The app as deployed, but quiet, and allowed to export the largest data set.</summary>
    internal static readonly Dictionary<string, string> BenchmarkSettings = new()
    {
        ["ExportStudio__MaxExportBytes"] = (20L << 30).ToString(),
        ["Logging__LogLevel__Default"] = "Warning",
        ["ExportStudio__WarmUp"] = "true",
    };

    private static readonly string[] Formats = ["json", "jsonl", "csv", "markdown"];
    private static readonly string[] Compressions = ["none", "zstd", "tar.gz", "tar.zst", "tar"];

    public async Task<DataSetResults> RunAsync(int megabytes, bool allFormats)
    {
        Directory.CreateDirectory(dataDirectory);
        var database = Path.Combine(dataDirectory, $"sessions-{megabytes}mb.db");
        var sessions = await EnsureDataSetAsync(database, megabytes);
        var exports = Path.Combine(dataDirectory, $"exports-{megabytes}mb");
        if (Directory.Exists(exports))
        {
            Directory.Delete(exports, recursive: true);
        }
        Directory.CreateDirectory(exports);

        var pipeline = new List<PipelineRun>();
        string? jsonFile = null, zstdJobFile = null;
        Guid zstdJob = default;
        foreach (var format in allFormats ? Formats : ["json"])
        {
            foreach (var compression in Compressions)
            {
                var (run, jobId, fileName) = await ExportTwiceAsync(database, exports, format, compression);
                pipeline.Add(run);
                Console.WriteLine($"  pipeline {format,-8} {compression,-7} {run.OriginalBytes / 1e6,8:F1} MB → {run.StoredBytes / 1e6,8:F1} MB  {run.ThroughputMBps,6:F0} / {run.SteadyThroughputMBps,4:F0} MB/s (first / steady)  ratio {run.Ratio,5:F2}  peak {run.PeakMemoryBytes / 1e6,6:F0} MB");
                if (format == "json" && compression == "none")
                {
                    jsonFile = Path.Combine(exports, fileName);
                }
                else if (format == "json" && compression == "zstd")
                {
                    zstdJob = jobId;
                    zstdJobFile = Path.Combine(exports, fileName);
                }
                else
                {
                    File.Delete(Path.Combine(exports, fileName));
                }
            }
        }

        var jsonBytes = new FileInfo(jsonFile!).Length;
        var codecs = await new CodecComparison(exports).RunAsync(jsonFile!, includeSlowLevels: megabytes <= 200);
        var decompress = await MeasureDecompressAsync(database, exports, zstdJob, zstdJobFile!, pipeline.First(p => p.Format == "json" && p.Compression == "zstd").OriginalBytes);

        Directory.Delete(exports, recursive: true);
        return new DataSetResults(megabytes, sessions, jsonBytes, pipeline, codecs, decompress);
    }

    internal static async Task<int> EnsureDataSetAsync(string database, int megabytes)
    {
        var factory = new PooledDbContextFactory<ExportStudioDbContext>(
            new DbContextOptionsBuilder<ExportStudioDbContext>().UseExportStudioSqlite(database).Options);
        await new DatabaseInitializer(factory, NullLogger<DatabaseInitializer>.Instance).InitializeAsync(0);
        await using var db = await factory.CreateDbContextAsync();
        var sessions = await db.Sessions.CountAsync();
        if (sessions == 0)
        {
            Console.WriteLine($"Seeding {megabytes} MB of session JSON into {database}…");
            var result = await new BulkSeeder(factory).SeedAsync(megabytes * 1_000_000L);
            sessions = result.Sessions;
            Console.WriteLine($"  {result.Sessions:N0} sessions, {result.Messages:N0} messages in {result.Elapsed.TotalSeconds:F0} s");
        }
        // Old benchmark jobs would only slow the history queries down.
        await db.ExportJobs().ExecuteDeleteAsync();
        await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);");
        SqliteConnection.ClearAllPools();
        return sessions;
    }

    /// <summary>
    /// The export twice in one fresh app process: the first after start-up (what a restarted server's first
    /// user sees), then the same again (a server that has been running). The peak memory is the process's
    /// over both; the second export's file is deleted through the API.
    /// </summary>
    private async Task<(PipelineRun Run, Guid JobId, string FileName)> ExportTwiceAsync(string database, string exports, string format, string compression)
    {
        await using var app = await AppProcess.StartAsync(database, exports, BenchmarkSettings, appDirectory: appDirectory);
        using var client = new HttpClient { BaseAddress = app.Address, Timeout = TimeSpan.FromMinutes(30) };
        var (first, firstSeconds) = await ExportAsync(client, format, compression);
        // A running server has finished the first export's background work (re-JIT, GC) before the next comes.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var (second, steadySeconds) = await ExportAsync(client, format, compression);
        (await client.DeleteAsync($"/api/v1/export/{second.GetProperty("jobId").GetGuid()}")).EnsureSuccessStatusCode();

        var peak = app.PeakMemoryBytes();
        var file = first.GetProperty("fileInfo");
        var level = first.GetProperty("options").GetProperty("compressionLevel");
        return (new PipelineRun(format, compression, level.ValueKind == JsonValueKind.Number ? level.GetInt32() : null,
                file.GetProperty("size").GetInt64(), file.GetProperty("compressedSize").GetInt64(), firstSeconds, steadySeconds, peak),
            first.GetProperty("jobId").GetGuid(), file.GetProperty("fileName").GetString()!);
    }

    /// <summary>Creates the export and waits for it; the duration is the server's own (startedAt → completedAt).</summary>
    internal static async Task<(JsonElement Job, double Seconds)> ExportAsync(HttpClient client, string format, string compression)
    {
        var response = await client.PostAsJsonAsync("/api/v1/export", new { format, options = new { compressionFormat = compression } });
        response.EnsureSuccessStatusCode();
        var job = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = job.GetProperty("jobId").GetGuid();
        while (true)
        {
            job = await client.GetFromJsonAsync<JsonElement>($"/api/v1/export/{id}");
            var status = job.GetProperty("status").GetString();
            if (status == "completed")
            {
                return (job, (job.GetProperty("completedAt").GetDateTime() - job.GetProperty("startedAt").GetDateTime()).TotalSeconds);
            }
            if (status is "failed" or "cancelled")
            {
                throw new InvalidOperationException($"Export {format}/{compression} {status}: {job.GetProperty("error")}");
            }
            await Task.Delay(50);
        }
    }

    private async Task<IReadOnlyList<DecompressRun>> MeasureDecompressAsync(string database, string exports, Guid zstdJob, string zstdFile, long originalBytes)
    {
        var runs = new List<DecompressRun>();
        await using (var app = await AppProcess.StartAsync(database, exports, BenchmarkSettings, appDirectory: appDirectory))
        {
            using var client = new HttpClient { BaseAddress = app.Address, Timeout = TimeSpan.FromMinutes(30) };
            // Warm once (the first request verifies the SHA-256 and JITs the path), then measure the best of three.
            var best = double.MaxValue;
            for (var i = 0; i < 4; i++)
            {
                var stopwatch = Stopwatch.StartNew();
                await using var body = await client.GetStreamAsync($"/api/v1/export/{zstdJob}/download?decompress=true");
                var buffer = new byte[1 << 20];
                long total = 0;
                int read;
                while ((read = await body.ReadAsync(buffer)) > 0)
                {
                    total += read;
                }
                stopwatch.Stop();
                if (total != originalBytes)
                {
                    throw new InvalidOperationException($"decompress=true returned {total} bytes, expected {originalBytes}.");
                }
                if (i > 0)
                {
                    best = Math.Min(best, stopwatch.Elapsed.TotalSeconds);
                }
            }
            runs.Add(new DecompressRun("ExportStudio decompress=true (HTTP)", originalBytes, best));
        }

        var tool = double.MaxValue;
        for (var i = 0; i < 3; i++)
        {
            tool = Math.Min(tool, (await ToolTimer.RunAsync($"zstd -d -q -c {ToolTimer.Quote(zstdFile)} > /dev/null")).TotalSeconds);
        }
        runs.Add(new DecompressRun("zstd -d (CLI, to /dev/null)", originalBytes, tool));
        foreach (var run in runs)
        {
            Console.WriteLine($"  decompress {run.Name,-40} {run.ThroughputMBps,8:F0} MB/s");
        }
        return runs;
    }
}
