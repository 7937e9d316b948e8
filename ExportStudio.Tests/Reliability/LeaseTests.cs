using Microsoft.Data.Sqlite;

namespace ExportStudio.Tests.Reliability;

/// <summary>
/// Several real app processes on one database and one export directory: a running job belongs to the
/// instance whose lease it holds, a lease that expires is taken over, and cancel and delete reach the owner
/// through the database — answered at once, and every job ends in bounded time.
/// </summary>
public sealed class LeaseTests(FortyMegabyteDatabase data) : IClassFixture<FortyMegabyteDatabase>
{
    private static readonly Dictionary<string, string> ShortLease = new() { ["ExportStudio__LeaseSeconds"] = "3" };

    /// <summary>Slow enough to be caught running on two cores: three formats into tar.gz at level 9.</summary>
    private static readonly object SlowExport = new { formats = new[] { "json", "csv", "markdown" }, options = new { compressionFormat = "tar.gz", compressionLevel = 9 } };

    [Fact]
    public async Task A_second_instance_starting_on_the_same_database_leaves_a_running_export_to_its_owner()
    {
        using var state = new TempDirectory();
        var (database, exports) = (data.CopyTo(state.Combine("db")), state.Combine("exports"));
        await using var first = await AppProcess.StartAsync(database, exports);
        using var client = first.CreateClient();
        var id = await client.CreateExportAsync(SlowExport);
        await WaitUntilAsync(client, id, job => job.GetProperty("progress").GetProperty("bytesIn").GetInt64() > 0);

        await using var second = await AppProcess.StartAsync(database, exports);
        using var secondClient = second.CreateClient();
        var done = await secondClient.WaitForExportAsync(id, TimeSpan.FromMinutes(5));

        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal(1, AttemptsOf(database, id)); // claimed once: the second instance never re-ran it
        using var download = await secondClient.GetAsync($"/api/v1/export/{id}/download");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
    }

    [Fact]
    public async Task When_the_owner_is_killed_another_instance_takes_the_job_over_after_its_lease_and_finishes_it()
    {
        using var state = new TempDirectory();
        var (database, exports) = (data.CopyTo(state.Combine("db")), state.Combine("exports"));
        var owner = await AppProcess.StartAsync(database, exports, ShortLease);
        await using var other = await AppProcess.StartAsync(database, exports, ShortLease);
        using var ownerClient = owner.CreateClient();
        var id = await ownerClient.CreateExportAsync(new { format = "json", options = new { compressionFormat = "zstd", compressionLevel = 9 } });
        await WaitUntilAsync(ownerClient, id, job => job.GetProperty("progress").GetProperty("bytesIn").GetInt64() > 0 && ClaimedBy(database, id) is not null);
        var ownerName = ClaimedBy(database, id);

        await owner.KillAsync();
        await owner.DisposeAsync();
        using var client = other.CreateClient();
        var done = await client.WaitForExportAsync(id, TimeSpan.FromMinutes(3));

        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal(2, AttemptsOf(database, id));
        Assert.Empty(Directory.EnumerateFiles(exports, "*.partial"));
        Assert.NotNull(ownerName);
    }

    [Fact]
    public async Task Cancel_and_delete_of_an_orphaned_job_answer_at_once_and_the_job_ends_within_the_lease()
    {
        using var state = new TempDirectory();
        var (database, exports) = (data.CopyTo(state.Combine("db")), state.Combine("exports"));
        var owner = await AppProcess.StartAsync(database, exports, ShortLease);
        using var ownerClient = owner.CreateClient();
        var cancelled = await ownerClient.CreateExportAsync(SlowExport);
        await WaitUntilAsync(ownerClient, cancelled, job => job.GetProperty("status").GetString() == "running");
        var deleted = await ownerClient.CreateExportAsync(SlowExport);
        await WaitUntilAsync(ownerClient, deleted, job => job.GetProperty("status").GetString() == "running");
        await owner.KillAsync();
        await owner.DisposeAsync();

        await using var other = await AppProcess.StartAsync(database, exports, new Dictionary<string, string>(ShortLease) { ["ExportStudio__MaxConcurrentExports"] = "1" });
        using var client = other.CreateClient();
        var asked = System.Diagnostics.Stopwatch.StartNew();
        using var cancel = await client.PostAsync($"/api/v1/export/{cancelled}/cancel", null);
        using var delete = await client.DeleteAsync($"/api/v1/export/{deleted}");
        var answered = asked.Elapsed;

        Assert.True(answered < TimeSpan.FromSeconds(2), $"cancel and delete took {answered} to answer");
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        Assert.True(delete.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.NoContent, $"delete answered {delete.StatusCode}");
        var ended = await client.WaitForExportAsync(cancelled, TimeSpan.FromSeconds(30));
        Assert.Equal("cancelled", ended.GetProperty("status").GetString());
        await WaitForAsync(async () => (await client.GetAsync($"/api/v1/export/{deleted}")).StatusCode == HttpStatusCode.NotFound, TimeSpan.FromSeconds(30));
        // A takeover ends the job's record first (only then is the job surely no one's) and removes its files
        // right after, in the same sweep.
        await WaitForAsync(() => Task.FromResult(!Directory.EnumerateFiles(exports).Any()), TimeSpan.FromSeconds(10),
            () => $"files left: {string.Join(", ", Directory.EnumerateFiles(exports).Select(Path.GetFileName))}");
    }

    [Fact]
    public async Task Two_graceful_restarts_during_one_export_cost_it_nothing_and_it_completes()
    {
        using var state = new TempDirectory();
        var (database, exports) = (data.CopyTo(state.Combine("db")), state.Combine("exports"));
        Guid id;
        await using (var app = await AppProcess.StartAsync(database, exports))
        {
            using var client = app.CreateClient();
            id = await client.CreateExportAsync(SlowExport);
            await WaitUntilAsync(client, id, job => job.GetProperty("progress").GetProperty("bytesIn").GetInt64() > 0);
            await app.StopAsync();
        }
        Assert.Equal(0, AttemptsOf(database, id));
        await using (var app = await AppProcess.StartAsync(database, exports))
        {
            using var client = app.CreateClient();
            await WaitUntilAsync(client, id, job => job.GetProperty("progress").GetProperty("bytesIn").GetInt64() > 0);
            await app.StopAsync();
        }

        await using var last = await AppProcess.StartAsync(database, exports);
        using var lastClient = last.CreateClient();
        var done = await lastClient.WaitForExportAsync(id, TimeSpan.FromMinutes(5));
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal(1, AttemptsOf(database, id));
    }

    [Fact]
    public async Task A_database_locked_by_another_writer_delays_progress_and_new_jobs_but_fails_neither()
    {
        using var state = new TempDirectory();
        var (database, exports) = (data.CopyTo(state.Combine("db")), state.Combine("exports"));
        await using var app = await AppProcess.StartAsync(database, exports);
        using var client = app.CreateClient();
        var running = await client.CreateExportAsync(SlowExport);
        await WaitUntilAsync(client, running, job => job.GetProperty("progress").GetProperty("bytesIn").GetInt64() > 0);

        // Another process's writer holds the write lock for a few seconds, as a long import did.
        using (var writer = new SqliteConnection($"Data Source={database};Pooling=False"))
        {
            writer.Open();
            using var begin = writer.CreateCommand();
            begin.CommandText = "BEGIN IMMEDIATE; UPDATE ExportJobs SET ProgressMessage = ProgressMessage WHERE 0;";
            begin.ExecuteNonQuery();
            var created = client.PostAsJsonAsync("/api/v1/export", new { format = "csv", filters = new { search = "kyoto" } });
            await Task.Delay(TimeSpan.FromSeconds(6));
            using var rollback = writer.CreateCommand();
            rollback.CommandText = "ROLLBACK";
            rollback.ExecuteNonQuery();
            using var response = await created;
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        var done = await client.WaitForExportAsync(running, TimeSpan.FromMinutes(5));
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal(1, AttemptsOf(database, running));
    }

    private static async Task WaitUntilAsync(HttpClient client, Guid id, Func<JsonElement, bool> condition)
    {
        JsonElement? last = null;
        try
        {
            await WaitForAsync(async () => condition((last = await client.GetExportAsync(id)).Value), TimeSpan.FromSeconds(90));
        }
        catch (Xunit.Sdk.XunitException) when (last is { } job)
        {
            throw new Xunit.Sdk.XunitException($"Job {id} did not reach the state waited for within 90 s; it was last {job}");
        }
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string>? state = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not reached within {timeout}{(state is null ? "" : $"; {state()}")}");
            await Task.Delay(50);
        }
    }

    private static int AttemptsOf(string database, Guid id) => Convert.ToInt32(Scalar(database, "SELECT Attempts FROM ExportJobs WHERE Id = $id", id));

    private static string? ClaimedBy(string database, Guid id) => Scalar(database, "SELECT ClaimedBy FROM ExportJobs WHERE Id = $id", id) as string;

    private static object? Scalar(string database, string sql, Guid id)
    {
        using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", id.ToString().ToUpperInvariant());
        return command.ExecuteScalar();
    }
}
