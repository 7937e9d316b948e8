using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExportStudio.Tests.Exporting.Jobs;

/// <summary>Cancel, failure, limits, restart recovery and retention, on a database big enough for a job to be caught mid-run.</summary>
public sealed class ExportLifecycleTests(FortyMegabyteDatabase data) : IClassFixture<FortyMegabyteDatabase>
{
    private readonly Apps _apps = new(data);

    private sealed class Apps(FortyMegabyteDatabase data)
    {
        public ExportStudioApp Create(Dictionary<string, string?>? settings = null)
        {
            var app = new ExportStudioApp(settings: settings);
            File.Copy(data.Path, app.DatabasePath);
            return app;
        }
    }

    [Fact]
    public async Task Cancelling_a_running_export_stops_it_within_a_second_and_leaves_no_file()
    {
        await using var app = _apps.Create();
        var jobs = app.Services.GetRequiredService<ExportJobService>();
        var created = await jobs.CreateAsync(new ExportRequest { Formats = [ExportFormat.Json], Options = new ExportOptions { CompressionFormat = CompressionFormat.Zstd, CompressionLevel = 19 } });
        await jobs.WaitUntilAsync(created.Job!.Id, j => j.Status == ExportJobStatus.Running && j.BytesIn > 0);

        var cancelledAt = DateTime.UtcNow;
        Assert.Equal(ExportCommandOutcome.Done, (await jobs.CancelAsync(created.Job.Id)).Outcome);
        var job = await jobs.WaitUntilFinishedAsync(created.Job.Id);

        Assert.Equal(ExportJobStatus.Cancelled, job.Status);
        // A second on a quiet machine; the bound leaves room for a loaded one, and still fails a cancel that waits for the export to end.
        Assert.True(job.CompletedAt - cancelledAt < TimeSpan.FromSeconds(3), $"took {job.CompletedAt - cancelledAt}");
        Assert.Null(job.FileName);
        Assert.Empty(Directory.EnumerateFiles(app.ExportDirectory));
    }

    [Fact]
    public async Task Deleting_a_running_export_answers_at_once_and_its_owner_removes_it_when_the_run_has_stopped()
    {
        await using var app = _apps.Create();
        var jobs = app.Services.GetRequiredService<ExportJobService>();
        var feed = app.Services.GetRequiredService<ExportProgressFeed>();
        var created = await jobs.CreateAsync(new ExportRequest { Formats = [ExportFormat.Json, ExportFormat.Csv], Options = new ExportOptions { CompressionFormat = CompressionFormat.TarGz, CompressionLevel = 9 } });
        var id = created.Job!.Id;
        var removed = new TaskCompletionSource();
        using var subscription = feed.Subscribe(id, progress =>
        {
            if (progress.Removed)
            {
                removed.TrySetResult();
            }
            return Task.CompletedTask;
        });
        await jobs.WaitUntilAsync(id, j => j.Status == ExportJobStatus.Running && j.BytesIn > 0);

        var asked = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(ExportCommandOutcome.Accepted, (await jobs.DeleteAsync(id)).Outcome);
        Assert.True(asked.Elapsed < TimeSpan.FromSeconds(1), $"delete took {asked.Elapsed} to answer");
        await removed.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Null(await jobs.GetAsync(id));
        Assert.Empty(Directory.EnumerateFiles(app.ExportDirectory));
    }

    [Fact]
    public async Task A_queued_export_is_cancelled_at_once_and_never_runs()
    {
        await using var app = _apps.Create(new() { ["ExportStudio:MaxConcurrentExports"] = "1" });
        var jobs = app.Services.GetRequiredService<ExportJobService>();
        var first = await jobs.CreateAsync(new ExportRequest { Formats = [ExportFormat.Json], Options = new ExportOptions { CompressionFormat = CompressionFormat.Zstd, CompressionLevel = 19 } });
        var second = await jobs.CreateAsync(new ExportRequest { Formats = [ExportFormat.Csv] });
        await jobs.WaitUntilAsync(first.Job!.Id, j => j.Status == ExportJobStatus.Running);

        Assert.Equal(ExportJobStatus.Queued, (await jobs.GetAsync(second.Job!.Id))!.Status);
        Assert.Equal(ExportCommandOutcome.Done, (await jobs.CancelAsync(second.Job.Id)).Outcome);
        await jobs.CancelAsync(first.Job.Id);
        await jobs.WaitUntilFinishedAsync(first.Job.Id);

        var job = (await jobs.GetAsync(second.Job.Id))!;
        Assert.Equal(ExportJobStatus.Cancelled, job.Status);
        Assert.Null(job.StartedAt);
        Assert.Equal(ExportCommandOutcome.Conflict, (await jobs.CancelAsync(second.Job.Id)).Outcome);
    }

    [Fact]
    public async Task At_most_MaxConcurrentExports_run_at_once()
    {
        await using var app = _apps.Create(new() { ["ExportStudio:MaxConcurrentExports"] = "2" });
        var jobs = app.Services.GetRequiredService<ExportJobService>();
        var ids = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add((await jobs.CreateAsync(new ExportRequest { Formats = [ExportFormat.Json], Options = new ExportOptions { CompressionFormat = CompressionFormat.Zstd, CompressionLevel = 19 } })).Job!.Id);
        }

        // Watched until two have run side by side and three seconds have passed, or until none is queued
        // (half a minute at most: a loaded machine once started none in ten seconds); never more than two.
        var maxRunning = 0;
        var watching = DateTime.UtcNow;
        var deadline = watching.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var page = await jobs.ListAsync(1, 10);
            maxRunning = Math.Max(maxRunning, page.Items.Count(j => j.Status == ExportJobStatus.Running));
            if (page.Items.All(j => j.Status != ExportJobStatus.Queued) || (maxRunning == 2 && DateTime.UtcNow > watching.AddSeconds(3)))
            {
                break;
            }
            await Task.Delay(20);
        }
        foreach (var id in ids)
        {
            await jobs.CancelAsync(id);
        }

        Assert.Equal(2, maxRunning);
    }

    [Fact]
    public async Task An_export_past_MaxExportBytes_fails_with_a_clear_error_and_leaves_no_file()
    {
        await using var app = _apps.Create(new() { ["ExportStudio:MaxExportBytes"] = "2000000" });
        var jobs = app.Services.GetRequiredService<ExportJobService>();

        var created = await jobs.CreateAsync(new ExportRequest { Formats = [ExportFormat.Json], Options = new ExportOptions { CompressionFormat = CompressionFormat.TarGz } });
        var job = await jobs.WaitUntilFinishedAsync(created.Job!.Id);

        Assert.Equal(ExportJobStatus.Failed, job.Status);
        Assert.Contains("limit of 2,000,000 bytes (MaxExportBytes)", job.Error);
        Assert.Empty(Directory.EnumerateFiles(app.ExportDirectory));
    }

    [Fact]
    public async Task A_failing_export_directory_fails_the_job_with_an_error_a_person_can_act_on()
    {
        await using var app = _apps.Create();
        var jobs = app.Services.GetRequiredService<ExportJobService>();
        _ = app.Server;
        Directory.Delete(app.ExportDirectory, recursive: true);
        File.WriteAllText(app.ExportDirectory, "the export directory is now a file");

        var created = await jobs.CreateAsync(new ExportRequest { Formats = [ExportFormat.Csv] });
        var job = await jobs.WaitUntilFinishedAsync(created.Job!.Id);

        Assert.Equal(ExportJobStatus.Failed, job.Status);
        Assert.Contains("start the export again", job.Error, StringComparison.OrdinalIgnoreCase);
        File.Delete(app.ExportDirectory);
    }

    [Fact]
    public async Task After_a_crash_interrupted_jobs_are_rerun_once_or_failed_and_partial_files_removed()
    {
        // The database and export directory outlive the first app, as they outlive a crashed process.
        using var state = new TempDirectory();
        var databasePath = state.Combine("exportstudio.db");
        var exportDirectory = state.Combine("exports");
        File.Copy(data.Path, databasePath);
        var location = new Dictionary<string, string?> { ["ExportStudio:DatabasePath"] = databasePath, ["ExportStudio:ExportDirectory"] = exportDirectory };

        Guid retryId, exhaustedId;
        await using (var crashed = new ExportStudioApp(settings: location))
        {
            var jobs = crashed.Services.GetRequiredService<ExportJobService>();
            var kyoto = new ExportRequest { Formats = [ExportFormat.Csv], Filters = new ExportFilters { Search = "kyoto" } };
            retryId = (await jobs.CreateAsync(kyoto)).Job!.Id;
            exhaustedId = (await jobs.CreateAsync(kyoto)).Job!.Id;
            await jobs.WaitUntilFinishedAsync(retryId);
            await jobs.WaitUntilFinishedAsync(exhaustedId);

            // Rewind both jobs to how a crash mid-run leaves them, with a half-written file beside them.
            await using var db = crashed.CreateDbContext();
            await db.ExportJobs().Where(j => j.Id == retryId).ExecuteUpdateAsync(j => j
                .SetProperty(x => x.Status, ExportJobStatus.Running).SetProperty(x => x.Attempts, 1)
                .SetProperty(x => x.FileName, (string?)null).SetProperty(x => x.CompletedAt, (DateTime?)null));
            await db.ExportJobs().Where(j => j.Id == exhaustedId).ExecuteUpdateAsync(j => j
                .SetProperty(x => x.Status, ExportJobStatus.Running).SetProperty(x => x.Attempts, ExportRecovery.MaxAttempts)
                .SetProperty(x => x.FileName, (string?)null));
        }
        foreach (var file in Directory.EnumerateFiles(exportDirectory))
        {
            File.Delete(file);
        }
        File.WriteAllText(Path.Combine(exportDirectory, $"export_{retryId}.csv.partial"), "half a file");

        await using var restarted = new ExportStudioApp(settings: location);
        var restartedJobs = restarted.Services.GetRequiredService<ExportJobService>();

        var rerun = await restartedJobs.WaitUntilFinishedAsync(retryId);
        var failed = (await restartedJobs.GetAsync(exhaustedId))!;
        Assert.Equal(ExportJobStatus.Completed, rerun.Status);
        Assert.Equal(2, rerun.Attempts);
        Assert.Equal(ExportJobStatus.Failed, failed.Status);
        Assert.Contains("interrupted", failed.Error);
        Assert.False(File.Exists(Path.Combine(exportDirectory, $"export_{retryId}.csv.partial")));
        Assert.True(File.Exists(Path.Combine(exportDirectory, rerun.FileName!)));
    }

    [Fact]
    public async Task Housekeeping_deletes_jobs_and_files_older_than_the_retention_period()
    {
        await using var app = _apps.Create(new() { ["ExportStudio:RetentionDays"] = "7" });
        var jobs = app.Services.GetRequiredService<ExportJobService>();
        var old = await jobs.WaitUntilFinishedAsync((await jobs.CreateAsync(new ExportRequest { Formats = [ExportFormat.Csv], Filters = new ExportFilters { Search = "kyoto" } })).Job!.Id);
        var recent = await jobs.WaitUntilFinishedAsync((await jobs.CreateAsync(new ExportRequest { Formats = [ExportFormat.Csv], Filters = new ExportFilters { Search = "kyoto" } })).Job!.Id);
        await using (var db = app.CreateDbContext())
        {
            await db.ExportJobs().Where(j => j.Id == old.Id).ExecuteUpdateAsync(j => j.SetProperty(x => x.CreatedAt, DateTime.UtcNow.AddDays(-8)));
        }

        var deleted = await app.Services.GetRequiredService<ExportRetentionService>().SweepAsync();

        Assert.Equal(1, deleted);
        Assert.Null(await jobs.GetAsync(old.Id));
        Assert.False(File.Exists(Path.Combine(app.ExportDirectory, old.FileName!)));
        Assert.True(File.Exists(Path.Combine(app.ExportDirectory, recent.FileName!)));
    }

    [Fact]
    public async Task Housekeeping_never_deletes_a_file_the_app_did_not_write()
    {
        await using var app = _apps.Create();
        Directory.CreateDirectory(app.ExportDirectory);
        var old = DateTime.UtcNow.AddDays(-3);
        string[] foreign = ["important-user-notes.txt", "export_notes.txt", "export_3f2504e0-4f89-41d3-9a0c-0305e82c3301.json.bak", "README"];
        foreach (var name in foreign)
        {
            var path = Path.Combine(app.ExportDirectory, name);
            await File.WriteAllTextAsync(path, "not the app's");
            File.SetLastWriteTimeUtc(path, old);
        }
        var orphan = Path.Combine(app.ExportDirectory, $"export_{Guid.NewGuid()}.json.zst");
        await File.WriteAllTextAsync(orphan, "a file whose job row is gone");
        File.SetLastWriteTimeUtc(orphan, old);

        await app.Services.GetRequiredService<ExportRetentionService>().SweepAsync();

        Assert.All(foreign, name => Assert.True(File.Exists(Path.Combine(app.ExportDirectory, name)), $"{name} was deleted"));
        Assert.False(File.Exists(orphan));
    }

    [Fact]
    public async Task A_10_megabyte_export_in_every_compression_format_opens_with_the_standard_tools()
    {
        await using var app = _apps.Create(new() { ["ExportStudio:MaxConcurrentExports"] = "2" });
        var jobs = app.Services.GetRequiredService<ExportJobService>();
        var filters = new ExportFilters { To = new DateTime(2026, 7, 1, 0, 0, 0, DateTimeKind.Utc) };
        var created = new List<Guid>();
        foreach (var compression in CompressionFormatFacts.All)
        {
            created.Add((await jobs.CreateAsync(new ExportRequest { Formats = [ExportFormat.Json], Filters = filters, Options = new ExportOptions { CompressionFormat = compression } })).Job!.Id);
        }

        using var work = new TempDirectory();
        byte[]? reference = null;
        foreach (var id in created)
        {
            var job = await jobs.WaitUntilFinishedAsync(id, TimeSpan.FromMinutes(3));
            Assert.Equal(ExportJobStatus.Completed, job.Status);
            Assert.True(job.OriginalBytes > 10_000_000, $"{job.CompressionFormat}: only {job.OriginalBytes} bytes");
            var stored = Path.Combine(app.ExportDirectory, job.FileName!);
            Assert.Equal(job.StoredBytes, new FileInfo(stored).Length);
            Assert.Equal(job.Sha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(stored))));

            var output = Path.Combine(work.Path, job.CompressionFormat.ToString());
            Directory.CreateDirectory(output);
            var entry = Path.Combine(output, $"export_{job.Id}.json");
            switch (job.CompressionFormat)
            {
                case CompressionFormat.None:
                    File.Copy(stored, entry);
                    break;
                case CompressionFormat.Zstd:
                    await ExternalTool.RunAsync("zstd", ["-t", stored]);
                    await ExternalTool.RunAsync("zstd", ["-d", "-q", stored, "-o", entry]);
                    break;
                case CompressionFormat.TarGz:
                    await ExternalTool.RunAsync("gzip", ["-t", stored]);
                    await ExternalTool.RunAsync("tar", ["-xzf", stored, "-C", output]);
                    break;
                case CompressionFormat.TarZst:
                    await ExternalTool.RunAsync("tar", ["--zstd", "-xf", stored, "-C", output]);
                    break;
                case CompressionFormat.Tar:
                    await ExternalTool.RunAsync("tar", ["-xf", stored, "-C", output]);
                    break;
            }
            var bytes = await File.ReadAllBytesAsync(entry);
            Assert.Equal(job.OriginalBytes, bytes.Length);
            reference ??= bytes;
            // Same selection, same snapshot of the data: the documents differ only in their exportedAt/options header.
            Assert.Equal(reference.Length - HeaderLength(reference), bytes.Length - HeaderLength(bytes));
        }
    }

    private static int HeaderLength(byte[] json) => System.Text.Encoding.UTF8.GetString(json, 0, Math.Min(json.Length, 4096)).IndexOf("\"sessions\"", StringComparison.Ordinal);
}
