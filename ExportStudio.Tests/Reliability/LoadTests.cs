using System.Collections.Concurrent;
using Xunit.Abstractions;

namespace ExportStudio.Tests.Reliability;

/// <summary>20 concurrent exports with 50 concurrent downloads and history reads against the real Kestrel process.</summary>
public sealed class LoadTests(FortyMegabyteDatabase data, ITestOutputHelper output) : IClassFixture<FortyMegabyteDatabase>
{
    private const int MaxConcurrentExports = 3;

    [Fact]
    public async Task Twenty_exports_and_fifty_downloads_at_once_finish_without_errors_within_the_queue_limit()
    {
        using var state = new TempDirectory();
        var database = data.CopyTo(state.Combine("db"));
        await using var app = await AppProcess.StartAsync(database, state.Combine("exports"),
            new Dictionary<string, string> { ["ExportStudio__MaxConcurrentExports"] = MaxConcurrentExports.ToString() });
        using var client = app.CreateClient();

        // Two finished exports to download while the others run.
        var downloadable = new List<Guid>
        {
            await client.CreateExportAsync(new { format = "json", filters = new { search = "kyoto" }, options = new { compressionFormat = "zstd" } }),
            await client.CreateExportAsync(new { format = "csv", filters = new { search = "kyoto" }, options = new { compressionFormat = "tar.gz" } }),
        };
        foreach (var id in downloadable)
        {
            Assert.Equal("completed", (await client.WaitForExportAsync(id)).GetProperty("status").GetString());
        }

        var errors = new ConcurrentBag<string>();
        var maxRunning = 0;
        using var stopWatching = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            while (!stopWatching.IsCancellationRequested)
            {
                var history = await client.GetFromJsonAsync<JsonElement>("/api/v1/export?pageSize=50");
                var running = history.GetProperty("items").EnumerateArray().Count(j => j.GetProperty("status").GetString() == "running");
                maxRunning = Math.Max(maxRunning, running);
                await Task.Delay(20);
            }
        });

        string[] formats = ["json", "jsonl", "csv", "markdown"];
        string[] compressions = ["none", "zstd", "tar.gz", "tar.zst", "tar"];
        var exports = Enumerable.Range(0, 20).Select(async i =>
        {
            var from = new DateTime(2026, 1, 5, 0, 0, 0, DateTimeKind.Utc).AddDays(i * 3);
            var id = await client.CreateExportAsync(new { format = formats[i % 4], filters = new { from, to = from.AddDays(10) }, options = new { compressionFormat = compressions[i % 5] } });
            var job = await client.WaitForExportAsync(id);
            if (job.GetProperty("status").GetString() != "completed")
            {
                errors.Add($"export {i}: {job.GetProperty("status")} {job.GetProperty("error")}");
            }
        });
        var downloads = Enumerable.Range(0, 50).Select(async i =>
        {
            var id = downloadable[i % 2];
            var url = i % 3 == 0 ? $"/api/v1/export/{id}/download?decompress=true" : i % 3 == 1 ? $"/api/v1/export/{id}/download" : "/api/v1/export?page=1&pageSize=20";
            using var response = await client.GetAsync(url);
            var body = await response.Content.ReadAsByteArrayAsync();
            if (response.StatusCode != HttpStatusCode.OK || body.Length == 0)
            {
                errors.Add($"GET {url}: {(int)response.StatusCode}");
            }
        });

        await Task.WhenAll(exports.Concat(downloads));
        await stopWatching.CancelAsync();
        await watcher;

        var peak = app.PeakMemoryBytes();
        output.WriteLine($"peak memory {peak / 1e6:F0} MB, most exports running at once {maxRunning}");
        Assert.Empty(errors);
        Assert.InRange(maxRunning, 1, MaxConcurrentExports);
        Assert.True(peak < 600_000_000, $"peak memory {peak / 1e6:F0} MB");
    }
}
