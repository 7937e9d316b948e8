using System.Diagnostics;
using System.Net.Http.Headers;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExportStudio.Benchmarks.EndToEnd;

/// <summary>A data set the targets are measured on: its name and how to fill an empty database with about so many bytes of JSON.</summary>
internal sealed record DataSet(string Name, string Description, Func<IDbContextFactory<ExportStudioDbContext>, long, Task> SeedAsync);

/// <summary>The performance targets' figures for one data set, all measured in one run.</summary>
internal sealed record TargetResults(
    string DataSet,
    string Description,
    int Sessions,
    long JsonBytes,
    long OurZstdBytes,
    long CliZstdBytes,
    IReadOnlyList<double> ZstdExportSeconds,
    double CliZstdSeconds,
    double JsonExportSeconds,
    double ImportSeconds,
    long ExportPeakMemoryBytes,
    long ImportPeakMemoryBytes)
{
    public double SizeVsCli => (double)OurZstdBytes / CliZstdBytes;
    public double FirstMBps => JsonBytes / 1e6 / ZstdExportSeconds[0];
    public double SteadyMBps => JsonBytes / 1e6 / ZstdExportSeconds.Skip(6).Take(2).Min();
    public double CliMBps => JsonBytes / 1e6 / CliZstdSeconds;
    public double JsonExportMBps => JsonBytes / 1e6 / JsonExportSeconds;
    public double ImportMBps => JsonBytes / 1e6 / ImportSeconds;
    public long PeakMemoryBytes => Math.Max(ExportPeakMemoryBytes, ImportPeakMemoryBytes);
}

/// <summary>
/// The targets of the performance round, measured through the real app as deployed: json+zstd-3 exported
/// eight times in one fresh process (the first after start-up; steady = the best of the 7th and 8th),
/// against `zstd -3 -T0` on the same bytes; the same sessions imported from one JSON file into an empty
/// database, against exporting them as json; and the peak resident memory of every app process involved.
/// </summary>
internal sealed class TargetBenchmark(string dataDirectory, string? appDirectory)
{
    private const int Exports = 8;

    // Shared with ImportSourcesBenchmark: the same limits and log level for every app process measured.
    internal static readonly Dictionary<string, string> Settings = new()
    {
        ["ExportStudio__MaxExportBytes"] = (20L << 30).ToString(),
        ["ExportStudio__MaxImportBytes"] = (4L << 30).ToString(),
        ["Logging__LogLevel__Default"] = "Warning",
        ["ExportStudio__WarmUp"] = "true",
    };

    public async Task<TargetResults> RunAsync(DataSet set, int megabytes)
    {
        var directory = Path.Combine(dataDirectory, $"targets-{set.Name}-{megabytes}mb");
        Directory.CreateDirectory(directory);
        var database = Path.Combine(directory, "sessions.db");
        var sessions = await EnsureAsync(set, database, megabytes);
        var exports = Path.Combine(directory, "exports");
        Recreate(exports);

        long peak;
        var zstdSeconds = new List<double>();
        await SettleDiskAsync();
        string jsonFile, zstdFile;
        double jsonSeconds;
        await using (var app = await AppProcess.StartAsync(database, exports, Settings, appDirectory: appDirectory))
        {
            using var client = new HttpClient { BaseAddress = app.Address, Timeout = TimeSpan.FromMinutes(30) };
            string? fileName = null;
            for (var i = 0; i < Exports; i++)
            {
                var (job, seconds) = await ExportAsync(client, "zstd");
                zstdSeconds.Add(seconds);
                fileName ??= job.GetProperty("fileInfo").GetProperty("fileName").GetString();
                Console.WriteLine($"  {set.Name} json+zstd-3 #{i + 1}: {seconds:F2} s");
            }
            zstdFile = Path.Combine(exports, fileName!);
            // json as it is twice: the second is the steady figure imports are compared with.
            await ExportAsync(client, "none");
            var (plain, plainSeconds) = await ExportAsync(client, "none");
            jsonSeconds = plainSeconds;
            jsonFile = Path.Combine(exports, plain.GetProperty("fileInfo").GetProperty("fileName").GetString()!);
            peak = app.PeakMemoryBytes();
        }

        var (cliSeconds, cliBytes) = await CliAsync(jsonFile, directory);
        await SettleDiskAsync();
        var (importSeconds, importPeak) = await ImportAsync(jsonFile, directory);
        var jsonBytes = new FileInfo(jsonFile).Length;
        var ourBytes = new FileInfo(zstdFile).Length;
        Directory.Delete(exports, recursive: true);
        return new TargetResults(set.Name, set.Description, sessions, jsonBytes, ourBytes, cliBytes, zstdSeconds, cliSeconds, jsonSeconds, importSeconds, peak, importPeak);
    }

    private static async Task<int> EnsureAsync(DataSet set, string database, int megabytes)
    {
        var factory = new PooledDbContextFactory<ExportStudioDbContext>(new DbContextOptionsBuilder<ExportStudioDbContext>().UseExportStudioSqlite(database).Options);
        await new DatabaseInitializer(factory, NullLogger<DatabaseInitializer>.Instance).InitializeAsync(0);
        await using var db = await factory.CreateDbContextAsync();
        if (!await db.Sessions.AnyAsync())
        {
            Console.WriteLine($"Seeding {megabytes} MB of {set.Name} sessions into {database}…");
            await set.SeedAsync(factory, megabytes * 1_000_000L);
        }
        await db.ExportJobs().ExecuteDeleteAsync();
        await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);");
        var sessions = await db.Sessions.CountAsync();
        SqliteConnection.ClearAllPools();
        return sessions;
    }

    /// <summary>`zstd -3 -T0` file → file: one uncounted warm-up, then the best of three.</summary>
    private static async Task<(double Seconds, long Bytes)> CliAsync(string jsonFile, string directory)
    {
        var output = Path.Combine(directory, "cli.zst");
        var best = double.MaxValue;
        for (var i = 0; i < 4; i++)
        {
            var seconds = (await ToolTimer.RunAsync($"zstd -3 -T0 -q -f {ToolTimer.Quote(jsonFile)} -o {ToolTimer.Quote(output)}")).TotalSeconds;
            best = i == 0 ? best : Math.Min(best, seconds);
        }
        var bytes = new FileInfo(output).Length;
        File.Delete(output);
        return (best, bytes);
    }

    /// <summary>The JSON export imported into an empty database by a fresh app: the request's whole time, upload included.</summary>
    private async Task<(double Seconds, long PeakMemory)> ImportAsync(string jsonFile, string directory)
    {
        var database = Path.Combine(directory, "import.db");
        foreach (var file in Directory.GetFiles(directory, "import.db*"))
        {
            File.Delete(file);
        }
        var exports = Path.Combine(directory, "import-exports");
        Recreate(exports);
        await using var app = await AppProcess.StartAsync(database, exports, Settings, appDirectory: appDirectory);
        using var client = new HttpClient { BaseAddress = app.Address, Timeout = TimeSpan.FromMinutes(30) };
        var (seconds, body) = await TimedImport.PostAsync(client, jsonFile);
        Console.WriteLine($"  import: {seconds:F2} s — {body}");
        return (seconds, app.PeakMemoryBytes());
    }

    internal static async Task<(JsonElement Job, double Seconds)> ExportAsync(HttpClient client, string compression)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/export", new { format = "json", options = new { compressionFormat = compression, compressionLevel = 3 } });
        response.EnsureSuccessStatusCode();
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetGuid();
        JsonElement job;
        while ((job = await client.GetFromJsonAsync<JsonElement>($"/api/v1/export/{id}")).GetProperty("status").GetString() is "queued" or "running")
        {
            await Task.Delay(25);
        }
        if (job.GetProperty("status").GetString() != "completed")
        {
            throw new InvalidOperationException($"The json+{compression} export ended {job.GetProperty("status")}: {job.GetProperty("error")}");
        }
        // A running server's next export comes after this one's background work (re-JIT, GC) is done.
        await Task.Delay(TimeSpan.FromSeconds(2));
        return (job, (job.GetProperty("completedAt").GetDateTime() - job.GetProperty("startedAt").GetDateTime()).TotalSeconds);
    }

    /// <summary>
    /// Writes out what the previous step left for the disk (an import's log, the CLI's output): the kernel
    /// flushes it within half a minute, and a first export measured during that flush took up to twice as
    /// long, which is not what its row measures.
    /// </summary>
    private static Task SettleDiskAsync() => ToolTimer.RunAsync("sync");

    internal static void Recreate(string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
        Directory.CreateDirectory(directory);
    }
}
