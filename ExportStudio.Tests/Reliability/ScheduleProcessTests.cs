using System.Net.Http.Json;
using Microsoft.Data.Sqlite;

namespace ExportStudio.Tests.Reliability;

/// <summary>
/// Schedules in real app processes: a slot missed while the app was down runs once at start (not once per
/// missed slot), two instances on one database run each slot once between them, and runs of one schedule
/// never overlap.
/// </summary>
public sealed class ScheduleProcessTests(FortyMegabyteDatabase data) : IClassFixture<FortyMegabyteDatabase>
{
    private static readonly object SmallExport = new { format = "json", filters = new { search = "a" }, options = new { compressionFormat = "zstd" } };

    private static DateTime WholeSecond(DateTime time) => new(time.Ticks - time.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);

    [Fact]
    public async Task Slots_missed_while_the_app_was_down_run_once_when_it_starts_again()
    {
        using var state = new TempDirectory();
        var (database, exports) = (state.Combine("exportstudio.db"), state.Combine("exports"));
        DateTime start;
        Guid scheduleId;
        await using (var app = await AppProcess.StartAsync(database, exports, demoSessions: 20))
        {
            using var client = app.CreateClient();
            start = WholeSecond(DateTime.UtcNow.AddSeconds(3));
            using var created = await client.PostAsJsonAsync("/api/v1/schedules", new { name = "Every five seconds", every = "PT5S", startAt = start, export = SmallExport });
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
            scheduleId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            await app.StopAsync();
        }
        Assert.Equal(0, RunsOf(database, scheduleId).Count);

        // Down for three slots (start, +5 s, +10 s).
        var down = start.AddSeconds(11) - DateTime.UtcNow;
        if (down > TimeSpan.Zero)
        {
            await Task.Delay(down);
        }
        await using (var app = await AppProcess.StartAsync(database, exports, demoSessions: 20))
        {
            using var client = app.CreateClient();
            var runs = await WaitForRunsAsync(database, scheduleId, 1, TimeSpan.FromSeconds(30));
            var caughtUp = await client.WaitForExportAsync(runs[0].Id);
            Assert.Equal("completed", caughtUp.GetProperty("status").GetString());
            Assert.Equal(start, runs[0].ScheduledFor); // the missed slot it stood on, run once
            var schedule = await client.GetFromJsonAsync<JsonElement>($"/api/v1/schedules/{scheduleId}");
            var next = schedule.GetProperty("nextRunAt").GetDateTime().ToUniversalTime();
            Assert.True(next > start.AddSeconds(10), $"the next slot is {next:O}, still among the missed ones");
            Assert.Equal(0, (next - start).Ticks % TimeSpan.FromSeconds(5).Ticks); // still on the rhythm's grid
            await app.StopAsync();
        }
        Assert.Single(RunsOf(database, scheduleId), r => r.ScheduledFor <= start.AddSeconds(10));
    }

    [Fact]
    public async Task Two_instances_on_one_database_run_each_slot_once_between_them()
    {
        using var state = new TempDirectory();
        var (database, exports) = (data.CopyTo(state.Combine("db")), state.Combine("exports"));
        await using var first = await AppProcess.StartAsync(database, exports);
        await using var second = await AppProcess.StartAsync(database, exports);
        using var client = first.CreateClient();
        var start = WholeSecond(DateTime.UtcNow.AddSeconds(2));
        using var created = await client.PostAsJsonAsync("/api/v1/schedules", new { name = "Shared", every = "PT5S", startAt = start, export = SmallExport });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var scheduleId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var runs = await WaitForRunsAsync(database, scheduleId, 3, TimeSpan.FromSeconds(60));
        await client.PatchAsJsonAsync($"/api/v1/schedules/{scheduleId}", new { enabled = false });
        runs = RunsOf(database, scheduleId);
        foreach (var run in runs)
        {
            Assert.Equal("completed", (await client.WaitForExportAsync(run.Id, TimeSpan.FromMinutes(2))).GetProperty("status").GetString());
        }

        var slots = runs.Select(r => r.ScheduledFor!.Value).ToList();
        Assert.Equal(slots.Distinct().Count(), slots.Count);
        Assert.All(slots, slot => Assert.Equal(0, (slot - start).Ticks % TimeSpan.FromSeconds(5).Ticks));
        Assert.All(runs, run => Assert.Equal(1, run.Attempts)); // no instance ran another's run again
    }

    [Fact]
    public async Task A_run_now_while_the_previous_run_is_still_running_is_refused_and_a_run_that_does_not_complete_leaves_the_watermark()
    {
        using var state = new TempDirectory();
        var (database, exports) = (data.CopyTo(state.Combine("db")), state.Combine("exports"));
        await using var app = await AppProcess.StartAsync(database, exports);
        using var client = app.CreateClient();
        var slow = new { formats = new[] { "json", "csv", "markdown" }, options = new { compressionFormat = "tar.gz", compressionLevel = 9 } };
        using var created = await client.PostAsJsonAsync("/api/v1/schedules", new { name = "Slow", every = "P1D", startAt = DateTime.UtcNow.AddDays(2), mode = "incremental", export = slow });
        var scheduleId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        using var first = await client.PostAsync($"/api/v1/schedules/{scheduleId}/run", null);
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var runId = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetGuid();
        using var second = await client.PostAsync($"/api/v1/schedules/{scheduleId}/run", null);

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains(runId.ToString(), (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        (await client.PostAsync($"/api/v1/export/{runId}/cancel", null)).EnsureSuccessStatusCode();
        Assert.Equal("cancelled", (await client.WaitForExportAsync(runId)).GetProperty("status").GetString());
        var schedule = await client.GetFromJsonAsync<JsonElement>($"/api/v1/schedules/{scheduleId}");
        Assert.Equal(JsonValueKind.Null, schedule.GetProperty("watermark").ValueKind);

        using var third = await client.PostAsync($"/api/v1/schedules/{scheduleId}/run", null);
        Assert.Equal(HttpStatusCode.Accepted, third.StatusCode);
        var done = await client.WaitForExportAsync((await third.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetGuid(), TimeSpan.FromMinutes(5));
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, done.GetProperty("increment").GetProperty("fromSequence").ValueKind); // the cancelled run did not count
        schedule = await client.GetFromJsonAsync<JsonElement>($"/api/v1/schedules/{scheduleId}");
        Assert.Equal(done.GetProperty("increment").GetProperty("toSequence").GetInt64(), schedule.GetProperty("watermark").GetInt64());
    }

    private sealed record RunRow(Guid Id, DateTime? ScheduledFor, int Attempts);

    private static List<RunRow> RunsOf(string database, Guid scheduleId)
    {
        using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT Id, ScheduledFor, Attempts FROM ExportJobs WHERE ScheduleId = $id ORDER BY ScheduledFor";
        command.Parameters.AddWithValue("$id", scheduleId.ToString().ToUpperInvariant());
        using var reader = command.ExecuteReader();
        var runs = new List<RunRow>();
        while (reader.Read())
        {
            runs.Add(new RunRow(
                Guid.Parse(reader.GetString(0)),
                reader.IsDBNull(1) ? null : DateTime.SpecifyKind(DateTime.Parse(reader.GetString(1), System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc),
                reader.GetInt32(2)));
        }
        return runs;
    }

    private static async Task<List<RunRow>> WaitForRunsAsync(string database, Guid scheduleId, int count, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            var runs = RunsOf(database, scheduleId);
            if (runs.Count >= count)
            {
                return runs;
            }
            Assert.True(DateTime.UtcNow < until, $"{runs.Count} of {count} runs after {timeout.TotalSeconds:0} s");
            await Task.Delay(250);
        }
    }
}
