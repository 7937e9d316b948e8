namespace ExportStudio.Tests.Reliability;

/// <summary>An export directory that runs out of space, on a real 3 MB tmpfs, under the real app process.</summary>
public sealed class DiskFullTests(FortyMegabyteDatabase data) : IClassFixture<FortyMegabyteDatabase>
{
    [Fact]
    public async Task A_full_disk_fails_the_job_clearly_removes_the_partial_file_and_the_app_keeps_working()
    {
        using var state = new TempDirectory();
        var database = data.CopyTo(state.Combine("db"));
        var exports = state.Combine("exports");
        Directory.CreateDirectory(exports);
        await Tmpfs.MountAsync(exports, "3m");
        try
        {
            await using var app = await AppProcess.StartAsync(database, exports);
            using var client = app.CreateClient();

            var tooBig = await client.CreateExportAsync(new { format = "json" });
            var failed = await client.WaitForExportAsync(tooBig);

            Assert.Equal("failed", failed.GetProperty("status").GetString());
            Assert.Contains("ran out of disk space", failed.GetProperty("error").GetString());
            Assert.Empty(Directory.EnumerateFiles(exports));
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);

            var small = await client.CreateExportAsync(new { format = "csv", filters = new { search = "kyoto" }, options = new { compressionFormat = "zstd" } });
            var completed = await client.WaitForExportAsync(small);
            Assert.Equal("completed", completed.GetProperty("status").GetString());
            using var download = await client.GetAsync($"/api/v1/export/{small}/download");
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        }
        finally
        {
            await Tmpfs.UnmountAsync(exports);
        }
    }
}
