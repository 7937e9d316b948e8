using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using ZstdSharp;

namespace ExportStudio.Tests.Api.Schedules;

/// <summary>
/// An incremental schedule's chain of runs, with sessions created, appended to, replaced and deleted
/// between them: each run holds exactly what changed and lists what went, and replaying the runs in order
/// into an empty instance (import, replicate mode) gives back the source's sessions.
/// </summary>
public sealed class IncrementalChainTests() : ApiTest(demoSessions: 12)
{
    private static readonly Guid NewSession = Guid.Parse("6a1d2c3b-4e5f-4a6b-8c7d-9e0f1a2b3c01");

    [Theory]
    [InlineData("json", "none")]
    [InlineData("jsonl", "zstd")]
    public async Task Three_runs_hold_what_changed_list_deletions_and_replay_into_a_copy_of_the_source(string format, string compression)
    {
        var scheduleId = await CreateScheduleAsync(format, compression);
        List<Guid> demo;
        await using (var db = App.CreateDbContext())
        {
            demo = await db.Sessions.OrderBy(s => s.CreatedAt).Select(s => s.Id).ToListAsync();
        }

        var first = await RunAsync(scheduleId, format, compression);
        Assert.Null(first.Increment.From);
        Assert.Equal(demo.Order(), first.SessionIds.Order());
        Assert.Empty(first.Increment.Deleted);

        // Between the first and second run: one session created, one appended to, one deleted.
        (await Client.PutAsJsonAsync($"/api/v1/sessions/{NewSession}", new { title = "Born between runs", messages = new[] { new { role = "user", content = "Hello" } } })).EnsureSuccessStatusCode();
        (await Client.PostAsJsonAsync($"/api/v1/sessions/{demo[0]}/messages", new { messages = new[] { new { role = "assistant", content = "A late reply" } } })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/api/v1/sessions/{demo[1]}")).StatusCode);

        var second = await RunAsync(scheduleId, format, compression);
        Assert.Equal(first.Increment.To, second.Increment.From);
        Assert.True(second.Increment.To > first.Increment.To);
        Assert.Equal(new[] { NewSession, demo[0] }.Order(), second.SessionIds.Order());
        Assert.Equal([demo[1]], second.Increment.Deleted);

        // Between the second and third: one replaced whole, the new one deleted again.
        (await Client.PutAsJsonAsync($"/api/v1/sessions/{demo[2]}", new { title = "Rewritten", messages = new[] { new { role = "user", content = "Only this now" } } })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/api/v1/sessions/{NewSession}")).StatusCode);

        var third = await RunAsync(scheduleId, format, compression);
        Assert.Equal(second.Increment.To, third.Increment.From);
        Assert.Equal([demo[2]], third.SessionIds);
        Assert.Equal([NewSession], third.Increment.Deleted);

        // A run with nothing changed is an empty increment, not a failure, and the watermark still moves.
        var fourth = await RunAsync(scheduleId, format, compression);
        Assert.Empty(fourth.SessionIds);
        Assert.Empty(fourth.Increment.Deleted);
        Assert.Equal(third.Increment.To, fourth.Increment.From);

        await using var replica = new ExportStudioApp(demoSessions: 0);
        using var replicaClient = replica.CreateClient();
        var deleted = 0;
        foreach (var run in new[] { first, second, third, fourth })
        {
            using var content = new ByteArrayContent(run.Stored);
            content.Headers.ContentType = new("application/octet-stream");
            using var imported = await replicaClient.PostAsync("/api/v1/import?mode=replicate", content);
            Assert.True(imported.IsSuccessStatusCode, await imported.Content.ReadAsStringAsync());
            deleted += (await imported.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("deleted").GetInt32();
        }
        Assert.Equal(2, deleted); // demo[1] by the second run; the session born in the second run by the third
        await AssertSameSessionsAsync(App, Client, replica, replicaClient);
    }

    [Fact]
    public async Task Merge_mode_keeps_what_an_increment_lists_as_deleted_and_an_unknown_mode_is_refused()
    {
        var scheduleId = await CreateScheduleAsync("json", "none");
        var first = await RunAsync(scheduleId, "json", "none");
        Guid gone;
        await using (var db = App.CreateDbContext())
        {
            gone = await db.Sessions.Select(s => s.Id).FirstAsync();
        }
        (await Client.DeleteAsync($"/api/v1/sessions/{gone}")).EnsureSuccessStatusCode();
        var second = await RunAsync(scheduleId, "json", "none");
        Assert.Equal([gone], second.Increment.Deleted);

        await using var replica = new ExportStudioApp(demoSessions: 0);
        using var replicaClient = replica.CreateClient();
        foreach (var run in new[] { first, second })
        {
            (await replicaClient.PostAsync("/api/v1/import", new ByteArrayContent(run.Stored))).EnsureSuccessStatusCode();
        }
        await using (var db = replica.CreateDbContext())
        {
            Assert.True(await db.Sessions.AnyAsync(s => s.Id == gone));
        }

        using var refused = await replicaClient.PostAsync("/api/v1/import?mode=mirror", new ByteArrayContent(second.Stored));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var detail = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!;
        Assert.Contains("mirror", detail);
        Assert.Contains("replicate", detail);
    }

    [Fact]
    public async Task Changing_what_a_schedule_exports_starts_its_chain_again()
    {
        var scheduleId = await CreateScheduleAsync("json", "none");
        await RunAsync(scheduleId, "json", "none");
        (await Client.PatchAsJsonAsync($"/api/v1/schedules/{scheduleId}", new { export = new { format = "jsonl" } })).EnsureSuccessStatusCode();

        var restarted = await RunAsync(scheduleId, "jsonl", "none");

        Assert.Null(restarted.Increment.From);
        Assert.Equal(12, restarted.SessionIds.Count);
    }

    [Fact]
    public async Task A_bundle_run_carries_its_increment_in_increment_json_and_a_lone_incremental_csv_is_refused()
    {
        using var refused = await Client.PostAsJsonAsync("/api/v1/schedules", new { name = "CSV", every = "P1D", mode = "incremental", export = new { format = "csv", options = new { compressionFormat = "zstd" } } });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var message = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("export.options.compressionFormat")[0].GetString()!;
        Assert.Contains("tar.zst", message);

        using var created = await Client.PostAsJsonAsync("/api/v1/schedules", new
        {
            name = "CSV bundle", every = "P1D", startAt = DateTime.UtcNow.AddDays(2), mode = "incremental",
            export = new { formats = new[] { "csv", "markdown" }, options = new { compressionFormat = "tar.zst" } },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var scheduleId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using var run = await Client.PostAsync($"/api/v1/schedules/{scheduleId}/run", null);
        var job = await Client.WaitForExportAsync((await run.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetGuid());
        var archive = Work.Combine("run.tar.zst");
        await File.WriteAllBytesAsync(archive, await Client.GetByteArrayAsync($"/api/v1/export/{job.GetProperty("jobId").GetGuid()}/download"));

        var listing = await ExternalTool.RunAsync("tar", ["--zstd", "-tf", archive]);
        Assert.Contains("increment.json", listing.StandardOutput.Split('\n'));
        var extracted = await ExternalTool.RunAsync("tar", ["--zstd", "-xOf", archive, "increment.json"]);
        var increment = JsonNode.Parse(extracted.StandardOutput)!["increment"]!;
        Assert.Null((long?)increment["fromSequence"]);
        Assert.Equal(job.GetProperty("increment").GetProperty("toSequence").GetInt64(), (long)increment["toSequence"]!);
        Assert.Empty(increment["deletedSessionIds"]!.AsArray());
    }

    [Fact]
    public async Task A_per_session_run_carries_its_increment_once_in_increment_json_listed_by_the_manifest()
    {
        using var created = await Client.PostAsJsonAsync("/api/v1/schedules", new
        {
            name = "Per session", every = "P1D", startAt = DateTime.UtcNow.AddDays(2), mode = "incremental", keep = 0,
            export = new { format = "csv", options = new { compressionFormat = "zstd", layout = "per-session" } },
        });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var scheduleId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Guid gone;
        await using (var db = App.CreateDbContext())
        {
            gone = await db.Sessions.OrderBy(s => s.CreatedAt).Select(s => s.Id).FirstAsync();
        }

        await RunPerSessionAsync(scheduleId, "first.tar");
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/api/v1/sessions/{gone}")).StatusCode);
        var (job, archive) = await RunPerSessionAsync(scheduleId, "second.tar");

        var directory = Directory.CreateDirectory(Work.Combine("second")).FullName;
        await ExternalTool.RunAsync("tar", ["-xf", archive, "-C", directory]);
        var increment = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(directory, "increment.json")))!["increment"]!;
        Assert.Equal([gone], increment["deletedSessionIds"]!.AsArray().Select(i => Guid.Parse((string)i!)));
        Assert.Equal(job.GetProperty("increment").GetProperty("toSequence").GetInt64(), (long)increment["toSequence"]!);
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(directory, "manifest.json")))!;
        var listed = manifest["files"]!.AsArray().Single()!;
        Assert.Equal("increment.json", (string)listed["path"]!);
        var bytes = await File.ReadAllBytesAsync(archive);
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(directory, "increment.json")), bytes.AsSpan((int)(long)listed["offset"]!, (int)(long)listed["size"]!).ToArray());
    }

    private async Task<(JsonElement Job, string File)> RunPerSessionAsync(Guid scheduleId, string name)
    {
        using var run = await Client.PostAsync($"/api/v1/schedules/{scheduleId}/run", null);
        var job = await Client.WaitForExportAsync((await run.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetGuid());
        Assert.True(job.GetProperty("status").GetString() == "completed", job.ToString());
        var archive = Work.Combine(name);
        await File.WriteAllBytesAsync(archive, await Client.GetByteArrayAsync($"/api/v1/export/{job.GetProperty("jobId").GetGuid()}/download"));
        return (job, archive);
    }

    private async Task<Guid> CreateScheduleAsync(string format, string compression)
    {
        using var response = await Client.PostAsJsonAsync("/api/v1/schedules", new
        {
            name = "Replica feed",
            every = "P1D",
            startAt = DateTime.UtcNow.AddDays(2),
            mode = "incremental",
            keep = 0,
            export = new { format, options = new { compressionFormat = compression } },
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private sealed record Increment(long? From, long To, List<Guid> Deleted);

    private sealed record Run(byte[] Stored, Increment Increment, List<Guid> SessionIds);

    /// <summary>Runs the schedule now, checks the job resource agrees with the file, and reads the file's increment and session ids.</summary>
    private async Task<Run> RunAsync(Guid scheduleId, string format, string compression)
    {
        using var response = await Client.PostAsync($"/api/v1/schedules/{scheduleId}/run", null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var job = await Client.WaitForExportAsync((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetGuid());
        Assert.True(job.GetProperty("status").GetString() == "completed", job.ToString());
        var stored = await Client.GetByteArrayAsync($"/api/v1/export/{job.GetProperty("jobId").GetGuid()}/download");
        var text = Encoding.UTF8.GetString(compression == "zstd" ? new Decompressor().Unwrap(stored).ToArray() : stored);

        JsonNode increment;
        List<Guid> ids;
        if (format == "json")
        {
            var document = JsonNode.Parse(text)!;
            increment = document["increment"]!;
            ids = document["sessions"]!.AsArray().Select(s => Guid.Parse((string)s!["id"]!)).ToList();
            Assert.Equal(ids.Count, (int)document["sessionCount"]!);
        }
        else
        {
            var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            increment = JsonNode.Parse(lines[0])!["increment"]!;
            ids = lines.Skip(1).Select(l => Guid.Parse((string)JsonNode.Parse(l)!["id"]!)).ToList();
        }
        var read = new Increment(
            (long?)increment["fromSequence"],
            (long)increment["toSequence"]!,
            increment["deletedSessionIds"]!.AsArray().Select(i => Guid.Parse((string)i!)).ToList());

        var resource = job.GetProperty("increment");
        Assert.Equal(read.From, resource.GetProperty("fromSequence").ValueKind == JsonValueKind.Null ? null : resource.GetProperty("fromSequence").GetInt64());
        Assert.Equal(read.To, resource.GetProperty("toSequence").GetInt64());
        Assert.Equal(read.Deleted.Count, resource.GetProperty("deletedSessions").GetInt32());
        Assert.Equal(ids.Count, job.GetProperty("sessionCount").GetInt32());
        return new Run(stored, read, ids);
    }

    private static async Task AssertSameSessionsAsync(ExportStudioApp source, HttpClient sourceClient, ExportStudioApp replica, HttpClient replicaClient)
    {
        List<Guid> expected, actual;
        await using (var db = source.CreateDbContext())
        {
            expected = await db.Sessions.Select(s => s.Id).OrderBy(i => i).ToListAsync();
        }
        await using (var db = replica.CreateDbContext())
        {
            actual = await db.Sessions.Select(s => s.Id).OrderBy(i => i).ToListAsync();
        }
        Assert.Equal(expected, actual);
        foreach (var id in expected)
        {
            var original = JsonNode.Parse(await sourceClient.GetStringAsync($"/api/v1/sessions/{id}"));
            var copy = JsonNode.Parse(await replicaClient.GetStringAsync($"/api/v1/sessions/{id}"));
            Assert.True(JsonNode.DeepEquals(original, copy), $"session {id} differs:\n{original}\n{copy}");
        }
    }
}
