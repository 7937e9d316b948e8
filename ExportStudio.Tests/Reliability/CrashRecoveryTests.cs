using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace ExportStudio.Tests.Reliability;

/// <summary>
/// SIGKILL the real app process at several points of a large export, restart it, and check that nothing
/// half-written is listed or served, every job ends re-run or failed, and the database is intact.
/// </summary>
public sealed class CrashRecoveryTests(FortyMegabyteDatabase data, ITestOutputHelper output) : IClassFixture<FortyMegabyteDatabase>
{
    private static readonly (string KillPoint, string Compression)[] Cycles =
    [
        ("preparing", "zstd"), ("exporting", "zstd"), ("exporting", "tar.gz"), ("compressing", "tar.gz"), ("compressing", "tar.zst"),
        ("finalizing", "zstd"), ("exporting", "none"), ("preparing", "tar.gz"), ("compressing", "tar.zst"), ("finalizing", "tar.gz"),
        ("exporting", "tar"),
    ];

    /// <summary>A short lease, so the restarted app takes over the killed run within seconds.</summary>
    private static readonly Dictionary<string, string> ShortLease = new() { ["ExportStudio__LeaseSeconds"] = "3" };

    [Fact]
    public async Task Killing_the_app_mid_export_never_lists_or_serves_a_partial_file_and_loses_no_other_job()
    {
        using var state = new TempDirectory();
        var database = data.CopyTo(state.Combine("db"));
        var exports = state.Combine("exports");

        var app = await AppProcess.StartAsync(database, exports, ShortLease);
        try
        {
            using (var client = app.CreateClient())
            {
                // A finished export that every crash below must leave untouched.
                var reference = await client.CreateExportAsync(new { format = "csv", filters = new { search = "kyoto" }, options = new { compressionFormat = "zstd" } });
                await client.WaitForExportAsync(reference);
            }

            var outcomes = new List<string>();
            foreach (var (killPoint, compression) in Cycles)
            {
                Guid jobId;
                using (var client = app.CreateClient())
                {
                    jobId = await client.CreateExportAsync(new { format = "json", options = new { compressionFormat = compression } });
                    var reached = await WaitForStageAsync(client, jobId, killPoint);
                    await app.KillAsync();
                    outcomes.Add($"{compression} killed at {killPoint} (saw {reached})");
                }
                await app.DisposeAsync();

                AssertNothingHalfWrittenIsListed(exports);
                app = await AppProcess.StartAsync(database, exports, ShortLease);
                using var restartedClient = app.CreateClient();
                var job = await restartedClient.WaitForExportAsync(jobId);
                var status = job.GetProperty("status").GetString();
                outcomes[^1] += $" → {status}";
                Assert.True(status is "completed" or "failed", $"{outcomes[^1]}: unexpected status");
                if (status == "failed")
                {
                    Assert.Contains("interrupted", job.GetProperty("error").GetString());
                }

                Assert.Empty(Directory.EnumerateFiles(exports, "*.partial"));
                await AssertEveryListedFileIsWholeAsync(restartedClient, exports);
                AssertDatabaseIntegrity(database);
            }

            output.WriteLine(string.Join(Environment.NewLine, outcomes));
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    /// <summary>Polls fast until the job reaches the stage (or has passed it); returns what it saw last.</summary>
    private static async Task<string> WaitForStageAsync(HttpClient client, Guid jobId, string stage)
    {
        string[] order = ["queued", "preparing", "exporting", "compressing", "finalizing", "done"];
        var target = Array.IndexOf(order, stage);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var job = await client.GetFromJsonAsync<JsonElement>($"/api/v1/export/{jobId}", timeout.Token);
            var seen = job.GetProperty("progress").GetProperty("stage").GetString()!;
            var percent = job.GetProperty("progress").GetProperty("percent").GetDouble();
            // "finalizing" lasts milliseconds: kill as soon as the work before it is nearly done.
            if (Array.IndexOf(order, seen) >= target || (stage == "finalizing" && percent >= 90) || job.GetProperty("status").GetString() != "running" && seen != "queued")
            {
                return $"{seen} {percent:0}%";
            }
            await Task.Delay(stage == "preparing" ? 0 : 5, timeout.Token);
        }
    }

    private static void AssertNothingHalfWrittenIsListed(string exports)
    {
        // Only .partial files may be incomplete, and those are never listed in a job.
        foreach (var file in Directory.EnumerateFiles(exports).Where(f => !f.EndsWith(".partial", StringComparison.Ordinal)))
        {
            Assert.StartsWith("export_", Path.GetFileName(file));
        }
    }

    private static async Task AssertEveryListedFileIsWholeAsync(HttpClient client, string exports)
    {
        var history = await client.GetFromJsonAsync<JsonElement>("/api/v1/export?pageSize=200");
        foreach (var job in history.GetProperty("items").EnumerateArray().Where(j => j.GetProperty("status").GetString() == "completed"))
        {
            var info = job.GetProperty("fileInfo");
            var path = Path.Combine(exports, info.GetProperty("fileName").GetString()!);
            var bytes = await File.ReadAllBytesAsync(path);
            Assert.Equal(info.GetProperty("compressedSize").GetInt64(), bytes.Length);
            Assert.Equal(info.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(bytes)));

            using var download = await client.GetAsync($"/api/v1/export/{job.GetProperty("jobId").GetGuid()}/download");
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync());
        }
    }

    private static void AssertDatabaseIntegrity(string database)
    {
        using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        Assert.Equal("ok", command.ExecuteScalar());
    }
}
