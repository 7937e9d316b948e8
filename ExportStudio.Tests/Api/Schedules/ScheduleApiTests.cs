using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;

namespace ExportStudio.Tests.Api.Schedules;

/// <summary>Recurring exports over HTTP: create, read, change, pause, delete, run now, the latest file, keep.</summary>
public sealed class ScheduleApiTests() : ApiTest(demoSessions: 30)
{
    /// <summary>Far enough ahead that no slot comes during a test: runs here are started with run-now.</summary>
    private static readonly DateTime Later = DateTime.UtcNow.AddDays(2).Date;

    private static object Nightly(string mode = "full", int keep = 10, object? export = null) => new
    {
        name = "Nightly backup",
        every = "P1D",
        startAt = Later,
        mode,
        keep,
        export = export ?? new { format = "jsonl", options = new { compressionFormat = "zstd", compressionLevel = 3 } },
    };

    private async Task<JsonElement> CreateAsync(object body)
    {
        using var response = await Client.PostAsJsonAsync("/api/v1/schedules", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"create answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var schedule = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal($"/api/v1/schedules/{schedule.GetProperty("id").GetGuid()}", response.Headers.Location!.OriginalString);
        return schedule;
    }

    private async Task<JsonElement> RunNowAsync(Guid scheduleId)
    {
        using var response = await Client.PostAsync($"/api/v1/schedules/{scheduleId}/run", null);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"run answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var job = await response.Content.ReadFromJsonAsync<JsonElement>();
        return await Client.WaitForExportAsync(job.GetProperty("jobId").GetGuid());
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task A_schedule_is_created_read_listed_paused_resumed_changed_and_deleted()
    {
        var schedule = await CreateAsync(Nightly());
        var id = schedule.GetProperty("id").GetGuid();
        Assert.Equal("Nightly backup", schedule.GetProperty("name").GetString());
        Assert.Equal("P1D", schedule.GetProperty("every").GetString());
        Assert.Equal("every day", schedule.GetProperty("rhythm").GetString());
        Assert.Equal(Later, schedule.GetProperty("nextRunAt").GetDateTime().ToUniversalTime());
        Assert.Equal("jsonl", schedule.GetProperty("export").GetProperty("format").GetString());
        Assert.Equal("zstd", schedule.GetProperty("export").GetProperty("options").GetProperty("compressionFormat").GetString());
        Assert.True(schedule.GetProperty("enabled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, schedule.GetProperty("lastRun").ValueKind);

        var read = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/schedules/{id}");
        Assert.Equal(id, read.GetProperty("id").GetGuid());
        var list = await Client.GetFromJsonAsync<JsonElement>("/api/v1/schedules");
        Assert.Equal(1, list.GetProperty("total").GetInt32());
        Assert.Equal(id, list.GetProperty("items")[0].GetProperty("id").GetGuid());

        using (var paused = await Client.PatchAsJsonAsync($"/api/v1/schedules/{id}", new { enabled = false }))
        {
            Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
            var body = await paused.Content.ReadFromJsonAsync<JsonElement>();
            Assert.False(body.GetProperty("enabled").GetBoolean());
            Assert.Equal(JsonValueKind.Null, body.GetProperty("nextRunAt").ValueKind);
            Assert.Equal("Nightly backup", body.GetProperty("name").GetString()); // fields not sent stay
        }
        using (var resumed = await Client.PatchAsJsonAsync($"/api/v1/schedules/{id}", new { enabled = true, every = "PT6H", name = "Four a day" }))
        {
            var body = await resumed.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(body.GetProperty("enabled").GetBoolean());
            Assert.Equal("every 6 hours", body.GetProperty("rhythm").GetString());
            Assert.Equal("Four a day", body.GetProperty("name").GetString());
            var next = body.GetProperty("nextRunAt").GetDateTime().ToUniversalTime();
            Assert.True(next > DateTime.UtcNow && next <= DateTime.UtcNow.AddHours(6).AddMinutes(1), $"next run {next:O}");
        }
        using (var cron = await Client.PatchAsJsonAsync($"/api/v1/schedules/{id}", new { cron = "30 3 * * 1-5", timeZone = "Europe/Berlin" }))
        {
            var body = await cron.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(JsonValueKind.Null, body.GetProperty("every").ValueKind);
            Assert.Equal("30 3 * * 1-5 (Europe/Berlin)", body.GetProperty("rhythm").GetString());
            var next = TimeZoneInfo.ConvertTimeFromUtc(body.GetProperty("nextRunAt").GetDateTime().ToUniversalTime(), TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));
            Assert.Equal((3, 30), (next.Hour, next.Minute));
            Assert.InRange(next.DayOfWeek, DayOfWeek.Monday, DayOfWeek.Friday);
        }

        using var deleted = await Client.DeleteAsync($"/api/v1/schedules/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var gone = await Client.GetAsync($"/api/v1/schedules/{id}");
        var problem = await ProblemAsync(gone, HttpStatusCode.NotFound);
        Assert.Contains(id.ToString(), problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("""{"every":"P1D","export":{"format":"json"}}""", "name")]
    [InlineData("""{"name":"x","every":"P1D"}""", "export")]
    [InlineData("""{"name":"x","export":{"format":"json"}}""", "every")]
    [InlineData("""{"name":"x","every":"P1D","cron":"0 3 * * *","export":{"format":"json"}}""", "cron")]
    [InlineData("""{"name":"x","every":"daily","export":{"format":"json"}}""", "every")]
    [InlineData("""{"name":"x","every":"PT1S","export":{"format":"json"}}""", "every")]
    [InlineData("""{"name":"x","cron":"61 * * * *","export":{"format":"json"}}""", "cron")]
    [InlineData("""{"name":"x","cron":"0 3 * * *","timeZone":"Mars/Olympus","export":{"format":"json"}}""", "timeZone")]
    [InlineData("""{"name":"x","every":"P1D","mode":"sometimes","export":{"format":"json"}}""", "mode")]
    [InlineData("""{"name":"x","every":"P1D","keep":-1,"export":{"format":"json"}}""", "keep")]
    [InlineData("""{"name":"   ","every":"P1D","export":{"format":"json"}}""", "name")]
    [InlineData("""{"name":"x","every":"P1D","export":{"format":"docx"}}""", "export.format")]
    [InlineData("""{"name":"x","every":"P1D","export":{"format":"json","options":{"compressionLevel":99,"compressionFormat":"zstd"}}}""", "export.options.compressionLevel")]
    [InlineData("""{"name":"x","every":"P1D","export":{"format":"json","filters":{"sessionIds":["0b6f4c1e-2a7d-4d65-9f0e-5b8a3c2d1e01"]}}}""", "export.filters.sessionIds")]
    public async Task A_bad_schedule_is_refused_with_the_field_and_what_is_allowed(string body, string field)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await Client.PostAsync("/api/v1/schedules", content);
        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"no error for {field}: {errors}");
        Assert.False(string.IsNullOrWhiteSpace(messages[0].GetString()));
        Assert.Equal(0, (await Client.GetFromJsonAsync<JsonElement>("/api/v1/schedules")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Unknown_and_malformed_ids_and_bodies_get_problem_details()
    {
        var unknown = Guid.NewGuid();
        foreach (var (method, path) in new[] { ("GET", $"/api/v1/schedules/{unknown}"), ("DELETE", $"/api/v1/schedules/{unknown}"), ("POST", $"/api/v1/schedules/{unknown}/run"), ("GET", $"/api/v1/schedules/{unknown}/latest/download") })
        {
            using var response = await Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
            await ProblemAsync(response, HttpStatusCode.NotFound);
        }
        using (var patch = await Client.PatchAsJsonAsync($"/api/v1/schedules/{unknown}", new { enabled = false }))
        {
            await ProblemAsync(patch, HttpStatusCode.NotFound);
        }
        using (var malformed = await Client.GetAsync("/api/v1/schedules/nightly"))
        {
            Assert.True((await ProblemAsync(malformed, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("scheduleId", out _));
        }
        using (var notJson = await Client.PostAsync("/api/v1/schedules", new StringContent("{name:", System.Text.Encoding.UTF8, "application/json")))
        {
            await ProblemAsync(notJson, HttpStatusCode.BadRequest);
        }
        var id = (await CreateAsync(Nightly())).GetProperty("id").GetGuid();
        using (var badPatch = await Client.PatchAsJsonAsync($"/api/v1/schedules/{id}", new { every = "PT0S", mode = "partial" }))
        {
            var errors = (await ProblemAsync(badPatch, HttpStatusCode.BadRequest)).GetProperty("errors");
            Assert.True(errors.TryGetProperty("every", out _));
            Assert.True(errors.TryGetProperty("mode", out _));
        }
        using (var noRun = await Client.GetAsync($"/api/v1/schedules/{id}/latest/download"))
        {
            Assert.Contains("no completed run", (await ProblemAsync(noRun, HttpStatusCode.NotFound)).GetProperty("detail").GetString());
        }
        using (var badFilter = await Client.GetAsync("/api/v1/export?scheduleId=nightly"))
        {
            Assert.True((await ProblemAsync(badFilter, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("scheduleId", out _));
        }
    }

    [Fact]
    public async Task Run_now_queues_a_labelled_run_and_latest_download_serves_the_newest()
    {
        var id = (await CreateAsync(Nightly())).GetProperty("id").GetGuid();

        using var first = await Client.PostAsync($"/api/v1/schedules/{id}/run", null);
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var run = await first.Content.ReadFromJsonAsync<JsonElement>();
        var runId = run.GetProperty("jobId").GetGuid();
        Assert.Equal(id, run.GetProperty("scheduleId").GetGuid());
        Assert.Equal(JsonValueKind.Null, run.GetProperty("scheduledFor").ValueKind); // outside the rhythm

        var finished = await Client.WaitForExportAsync(runId);
        Assert.Equal("completed", finished.GetProperty("status").GetString());
        var next = await RunNowAsync(id);
        Assert.Equal("completed", next.GetProperty("status").GetString());
        var nextId = next.GetProperty("jobId").GetGuid();

        var runs = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/export?scheduleId={id}");
        Assert.Equal(2, runs.GetProperty("total").GetInt32());
        Assert.Equal([nextId, runId], runs.GetProperty("items").EnumerateArray().Select(j => j.GetProperty("jobId").GetGuid()));
        var all = await Client.GetFromJsonAsync<JsonElement>("/api/v1/export");
        Assert.Equal(2, all.GetProperty("total").GetInt32());

        var schedule = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/schedules/{id}");
        Assert.Equal(nextId, schedule.GetProperty("lastRun").GetProperty("jobId").GetGuid());
        Assert.Equal(Later, schedule.GetProperty("nextRunAt").GetDateTime().ToUniversalTime()); // run-now leaves the rhythm alone

        var latest = await Client.GetByteArrayAsync($"/api/v1/schedules/{id}/latest/download");
        var direct = await Client.GetByteArrayAsync($"/api/v1/export/{nextId}/download");
        Assert.Equal(direct, latest);
    }

    [Fact]
    public async Task Keep_prunes_the_oldest_runs_with_their_files_and_deleting_with_runs_removes_them_all()
    {
        var id = (await CreateAsync(Nightly(keep: 2))).GetProperty("id").GetGuid();
        var runs = new List<JsonElement>();
        for (var i = 0; i < 3; i++)
        {
            runs.Add(await RunNowAsync(id));
        }
        var oldest = runs[0].GetProperty("jobId").GetGuid();
        var oldestFile = Path.Combine(App.ExportDirectory, runs[0].GetProperty("fileInfo").GetProperty("fileName").GetString()!);
        Assert.True(File.Exists(oldestFile));

        var pruned = await App.Services.GetRequiredService<ScheduleService>().PruneAsync();

        Assert.Equal(1, pruned);
        Assert.False(File.Exists(oldestFile));
        using (var gone = await Client.GetAsync($"/api/v1/export/{oldest}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }
        var kept = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/export?scheduleId={id}");
        Assert.Equal(2, kept.GetProperty("total").GetInt32());

        using var deleted = await Client.DeleteAsync($"/api/v1/schedules/{id}?deleteRuns=true");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(0, (await Client.GetFromJsonAsync<JsonElement>("/api/v1/export")).GetProperty("total").GetInt32());
        Assert.Empty(Directory.GetFiles(App.ExportDirectory));
    }

    [Fact]
    public async Task Deleting_a_schedule_without_its_runs_keeps_them_in_history_unlabelled()
    {
        var id = (await CreateAsync(Nightly())).GetProperty("id").GetGuid();
        var run = await RunNowAsync(id);

        (await Client.DeleteAsync($"/api/v1/schedules/{id}")).EnsureSuccessStatusCode();

        var job = await Client.GetExportAsync(run.GetProperty("jobId").GetGuid());
        Assert.Equal("completed", job.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, job.GetProperty("scheduleId").ValueKind);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync($"/api/v1/export/{run.GetProperty("jobId").GetGuid()}/download")).StatusCode);
    }

    [Fact]
    public async Task A_slot_that_comes_runs_once_by_itself_and_the_next_slot_moves_on()
    {
        var start = DateTime.UtcNow.AddSeconds(2);
        start = new DateTime(start.Ticks - start.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
        var id = (await CreateAsync(new { name = "Soon", every = "PT1H", startAt = start, export = new { format = "json" } })).GetProperty("id").GetGuid();

        JsonElement runs;
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            do
            {
                await Task.Delay(200, timeout.Token);
                runs = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/export?scheduleId={id}", timeout.Token);
            }
            while (runs.GetProperty("total").GetInt32() == 0);
        }
        var run = await Client.WaitForExportAsync(runs.GetProperty("items")[0].GetProperty("jobId").GetGuid());
        Assert.Equal("completed", run.GetProperty("status").GetString());
        Assert.Equal(start, run.GetProperty("scheduledFor").GetDateTime().ToUniversalTime());
        var schedule = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/schedules/{id}");
        Assert.Equal(start.AddHours(1), schedule.GetProperty("nextRunAt").GetDateTime().ToUniversalTime());
        Assert.Equal(1, (await Client.GetFromJsonAsync<JsonElement>($"/api/v1/export?scheduleId={id}")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task The_openapi_document_describes_the_schedule_routes()
    {
        var document = await Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = document.GetProperty("paths");
        Assert.True(paths.GetProperty("/api/v1/schedules").TryGetProperty("post", out _));
        Assert.True(paths.GetProperty("/api/v1/schedules/{scheduleId}").TryGetProperty("patch", out _));
        Assert.True(paths.GetProperty("/api/v1/schedules/{scheduleId}/run").TryGetProperty("post", out _));
        Assert.True(paths.GetProperty("/api/v1/schedules/{scheduleId}/latest/download").TryGetProperty("get", out _));
    }
}
