using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace ExportStudio.Tests.Reliability;

/// <summary>
/// The app's temporary files under kills and full disks, with the real process: uploads and archive spools
/// live in the app's own folder, a killed instance's folder goes at the next start, and a full disk on the
/// temporary side (or under the database) is reported as what it is and leaves nothing behind.
/// </summary>
public sealed class ScratchSpaceTests(FortyMegabyteDatabase data) : IClassFixture<FortyMegabyteDatabase>
{
    [Fact]
    public async Task Killing_the_app_during_an_upload_leaves_its_spool_only_in_the_apps_folder_and_the_next_start_removes_it()
    {
        using var state = new TempDirectory();
        var (database, exports, temp) = (data.CopyTo(state.Combine("db")), state.Combine("exports"), state.Combine("tmp"));
        var app = await AppProcess.StartAsync(database, exports);
        var file = new byte[8 << 20];
        Random.Shared.NextBytes(file);
        var upload = new GatedStream(file, gateAt: 4 << 20);
        using var client = app.CreateClient();
        var sending = client.PostAsync("/api/v1/import", new StreamContent(upload) { Headers = { ContentType = new("application/octet-stream") } });
        await upload.ReachedGate.WaitAsync(TimeSpan.FromSeconds(30));
        await WaitForAsync(() => Spools(temp).Sum(f => f.Length) >= 1 << 20);

        await app.KillAsync();
        await app.DisposeAsync();
        upload.Open(); // the client goes on sending and meets the closed connection
        await Assert.ThrowsAnyAsync<Exception>(() => sending);
        Assert.NotEmpty(Spools(temp));

        await using var restarted = await AppProcess.StartAsync(database, exports);
        Assert.Empty(Spools(temp));
    }

    [Fact]
    public async Task Killing_the_app_during_a_bundle_export_leaves_no_spool_or_partial_file_after_the_next_start()
    {
        using var state = new TempDirectory();
        var (database, exports, temp) = (data.CopyTo(state.Combine("db")), state.Combine("exports"), state.Combine("tmp"));
        var app = await AppProcess.StartAsync(database, exports, new Dictionary<string, string> { ["ExportStudio__LeaseSeconds"] = "3" });
        using var client = app.CreateClient();
        var id = await client.CreateExportAsync(new { formats = new[] { "json", "csv" }, options = new { compressionFormat = "tar.gz" } });
        await WaitForAsync(() => Spools(temp).Sum(f => f.Length) > 2 << 20);

        await app.KillAsync();
        await app.DisposeAsync();
        await using var restarted = await AppProcess.StartAsync(database, exports, new Dictionary<string, string> { ["ExportStudio__LeaseSeconds"] = "3" });
        using var restartedClient = restarted.CreateClient();
        var done = await restartedClient.WaitForExportAsync(id, TimeSpan.FromMinutes(3));

        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Empty(Spools(temp));
        Assert.Empty(Directory.EnumerateFiles(exports, "*.partial"));
    }

    [Fact]
    public async Task A_full_temporary_directory_fails_an_archive_naming_that_directory_and_healthz_says_so()
    {
        using var state = new TempDirectory();
        var (database, exports, temp) = (data.CopyTo(state.Combine("db")), state.Combine("exports"), state.Combine("tmp"));
        Directory.CreateDirectory(temp);
        await Tmpfs.MountAsync(temp, "3m");
        try
        {
            await using var app = await AppProcess.StartAsync(database, exports);
            using var client = app.CreateClient();

            var failed = await client.WaitForExportAsync(await client.CreateExportAsync(new { formats = new[] { "json", "csv" }, options = new { compressionFormat = "tar.zst" } }));

            Assert.Equal("failed", failed.GetProperty("status").GetString());
            Assert.Contains("temporary directory ran out of disk space", failed.GetProperty("error").GetString());
            Assert.Empty(Spools(temp));
            Assert.Empty(Directory.EnumerateFiles(exports));

            // The disk filled up by something else: the health check names it.
            var filler = Directory.EnumerateDirectories(temp).Single() + "/filler";
            await Tmpfs.FillAsync(filler);
            using var health = await client.GetAsync("/healthz");
            var report = await health.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            Assert.Equal("unhealthy", report.GetProperty("checks").GetProperty("tempDirectory").GetProperty("status").GetString());
            File.Delete(filler);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        }
        finally
        {
            await Tmpfs.UnmountAsync(temp);
        }
    }

    [Fact]
    public async Task An_import_too_big_for_the_databases_disk_is_refused_before_writing_and_leaves_the_database_and_its_log_as_they_were()
    {
        using var state = new TempDirectory();
        var disk = state.Combine("disk");
        Directory.CreateDirectory(disk);
        var file = await ExportOf(data.Path, state);
        await Tmpfs.MountAsync(disk, "30m");
        try
        {
            var database = Path.Combine(disk, "exportstudio.db");
            await using var app = await AppProcess.StartAsync(database, state.Combine("exports"), demoSessions: 30);
            using var client = app.CreateClient();
            var sessionsBefore = SessionCount(database);
            var sizesBefore = (new FileInfo(database).Length, LogLength(database));

            using var response = await client.PostAsync("/api/v1/import", new ByteArrayContent(file) { Headers = { ContentType = new("application/octet-stream") } });
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

            Assert.Equal(HttpStatusCode.InsufficientStorage, response.StatusCode);
            Assert.Contains("run out of disk space", problem.GetProperty("detail").GetString());
            Assert.Equal(sessionsBefore, SessionCount(database));
            Assert.True(LogLength(database) <= sizesBefore.Item2 + 64 * 1024, $"the log grew from {sizesBefore.Item2} to {LogLength(database)} bytes");
            Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/api/v1/export", new { format = "json" })).StatusCode);
        }
        finally
        {
            await Tmpfs.UnmountAsync(disk);
        }
    }

    /// <summary>The 40 MB set as one JSON document (plain), made by a throwaway app on a copy.</summary>
    private async Task<byte[]> ExportOf(string databaseFile, TempDirectory state)
    {
        var copy = data.CopyTo(state.Combine("source"));
        await using var source = await AppProcess.StartAsync(copy, state.Combine("source-exports"));
        using var client = source.CreateClient();
        var id = await client.CreateExportAsync(new { format = "json" });
        await client.WaitForExportAsync(id);
        return await client.GetByteArrayAsync($"/api/v1/export/{id}/download");
    }

    private static List<FileInfo> Spools(string temp) => Directory.Exists(temp)
        ? new DirectoryInfo(temp).EnumerateFiles("*", SearchOption.AllDirectories).Where(f => f.Name != ".lock").ToList()
        : [];

    private static long LogLength(string database) => File.Exists(database + "-wal") ? new FileInfo(database + "-wal").Length : 0;

    private static long SessionCount(string database)
    {
        using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM Sessions";
        return (long)command.ExecuteScalar()!;
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60), "not reached within 60 s");
            await Task.Delay(20);
        }
    }
}
