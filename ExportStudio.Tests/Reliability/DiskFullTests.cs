using System.Diagnostics;

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
        await MountTmpfsAsync(exports, "3m");
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
            await RunAsync("umount", exports);
        }
    }

    /// <summary>Mounts a size-limited tmpfs; the suite runs as root (CI does), and says so plainly when it cannot.</summary>
    private static async Task MountTmpfsAsync(string directory, string size)
    {
        var (code, error) = await RunAsync("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", directory);
        Assert.True(code == 0, $"The full-disk test mounts a {size} tmpfs and needs root for it (CI runs as root): mount said {error}");
    }

    private static async Task<(int Code, string Error)> RunAsync(string command, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(command, arguments) { RedirectStandardError = true })!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, error);
    }
}
