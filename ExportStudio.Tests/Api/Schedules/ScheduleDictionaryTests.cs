using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ExportStudio.Core.Compression.Archives;

namespace ExportStudio.Tests.Api.Schedules;

/// <summary>
/// Schedules that keep their zstd dictionary across runs, over HTTP: reused while it fits, retrained when the
/// sessions change under it, used for a small single-document run too, downloadable, and named honestly by
/// the job resource. Files are opened with the real tar and zstd tools and the downloaded dictionary.
/// </summary>
public sealed class ScheduleDictionaryTests() : ApiTest(demoSessions: 40)
{
    private static readonly DateTime Later = DateTime.UtcNow.AddDays(2).Date;
    private static readonly object PerSession = new { format = "json", options = new { compressionFormat = "zstd", layout = "per-session" } };

    [Fact]
    public async Task A_schedules_second_run_reuses_the_first_runs_dictionary_without_training_it_again()
    {
        var scheduleId = await CreateScheduleAsync(PerSession);

        var first = await RunNowAsync(scheduleId);
        var second = await RunNowAsync(scheduleId);

        var trained = first.GetProperty("dictionary");
        Assert.True(trained.GetProperty("trained").GetBoolean());
        var reused = second.GetProperty("dictionary");
        Assert.False(reused.GetProperty("trained").GetBoolean());
        Assert.Equal(trained.GetProperty("id").GetUInt32(), reused.GetProperty("id").GetUInt32());
        Assert.Equal(trained.GetProperty("href").GetString(), reused.GetProperty("href").GetString());
        Assert.True(second.GetProperty("options").GetProperty("dictionary").GetBoolean());

        // Every frame of the second run names the first run's dictionary, and opens with the downloaded one.
        var dictionary = await DownloadDictionaryAsync(reused);
        var directory = await UnpackAsync(second, "second");
        var manifest = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(directory, "manifest.json"))).RootElement;
        Assert.Equal(reused.GetProperty("id").GetUInt32(), manifest.GetProperty("dictionary").GetProperty("id").GetUInt32());
        foreach (var entry in manifest.GetProperty("entries").EnumerateArray())
        {
            var frame = Path.Combine(directory, entry.GetProperty("path").GetString()!);
            Assert.Equal(reused.GetProperty("id").GetUInt32(), ZstdDictionary.FrameDictionaryId(await File.ReadAllBytesAsync(frame)));
        }
        var one = Path.Combine(directory, manifest.GetProperty("entries")[3].GetProperty("path").GetString()!);
        await ExternalTool.RunAsync("zstd", ["-q", "-d", "-D", dictionary, one, "-o", one[..^4]]);
        Assert.Equal(manifest.GetProperty("entries")[3].GetProperty("sha256").GetString(),
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(one[..^4]))));
    }

    [Fact]
    public async Task Sessions_unlike_those_the_dictionary_learned_from_make_the_next_run_train_a_fresh_one()
    {
        var scheduleId = await CreateScheduleAsync(PerSession);
        var firstJob = await RunNowAsync(scheduleId);
        var first = firstJob.GetProperty("dictionary");

        // The sessions are replaced by ones in another (made-up) language with other titles: the kept
        // dictionary has nothing of them but the JSON around them.
        await using (var db = App.CreateDbContext())
        {
            foreach (var id in await db.Sessions.Select(s => s.Id).ToListAsync())
            {
                Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/api/v1/sessions/{id}")).StatusCode);
            }
        }
        var random = new Random(19);
        for (var i = 0; i < 40; i++)
        {
            var messages = Enumerable.Range(0, 8).Select(m => new { role = m % 2 == 0 ? "user" : "assistant", content = Words(random, 60) }).ToArray();
            (await Client.PutAsJsonAsync($"/api/v1/sessions/{Guid.NewGuid()}", new { title = Words(random, 4), messages })).EnsureSuccessStatusCode();
        }

        var second = (await RunNowAsync(scheduleId)).GetProperty("dictionary");

        Assert.True(second.GetProperty("trained").GetBoolean(), $"the second run kept dictionary {first}: {second}");
        Assert.NotEqual(first.GetProperty("id").GetUInt32(), second.GetProperty("id").GetUInt32());
        Assert.NotEqual(first.GetProperty("href").GetString(), second.GetProperty("href").GetString());
        // The first run's file still names the old dictionary, so it stays downloadable.
        using var old = await Client.GetAsync(first.GetProperty("href").GetString());
        Assert.Equal(HttpStatusCode.OK, old.StatusCode);
        // And the fresh one is the schedule's now: the third run uses it.
        var third = (await RunNowAsync(scheduleId)).GetProperty("dictionary");
        Assert.False(third.GetProperty("trained").GetBoolean());
        Assert.Equal(second.GetProperty("id").GetUInt32(), third.GetProperty("id").GetUInt32());

        // Housekeeping keeps the old dictionary while a run names it, and lets it go once none does.
        var schedules = App.Services.GetRequiredService<ScheduleService>();
        await schedules.PruneAsync();
        using (var kept = await Client.GetAsync(first.GetProperty("href").GetString()))
        {
            Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
        }
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/api/v1/export/{firstJob.GetProperty("jobId").GetGuid()}")).StatusCode);
        await schedules.PruneAsync();
        using (var gone = await Client.GetAsync(first.GetProperty("href").GetString()))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }
        using var current = await Client.GetAsync(second.GetProperty("href").GetString());
        Assert.Equal(HttpStatusCode.OK, current.StatusCode);
    }

    [Fact]
    public async Task A_small_single_document_run_is_one_frame_with_the_dictionary_that_zstd_opens_as_original_serves_it_and_import_reads()
    {
        List<Guid> ids;
        await using (var db = App.CreateDbContext())
        {
            ids = await db.Sessions.OrderBy(s => s.Id).Select(s => s.Id).Take(12).ToListAsync();
        }
        var scheduleId = await CreateScheduleAsync(new { format = "json", filters = new { sessionIds = ids }, options = new { compressionFormat = "zstd", dictionary = true } });

        var job = await RunNowAsync(scheduleId);
        var jobId = job.GetProperty("jobId").GetGuid();
        var used = job.GetProperty("dictionary");
        Assert.True(used.GetProperty("trained").GetBoolean());
        Assert.True(job.GetProperty("options").GetProperty("dictionary").GetBoolean());

        var stored = await Client.GetByteArrayAsync($"/api/v1/export/{jobId}/download");
        Assert.Equal(used.GetProperty("id").GetUInt32(), ZstdDictionary.FrameDictionaryId(stored));
        using var originalResponse = await Client.GetAsync($"/api/v1/export/{jobId}/download?decompress=true");
        Assert.Equal(HttpStatusCode.OK, originalResponse.StatusCode);
        Assert.Empty(originalResponse.Content.Headers.ContentEncoding);
        var original = await originalResponse.Content.ReadAsByteArrayAsync();
        Assert.True(original.Length < 256 << 10, $"the document is {original.Length} bytes");
        Assert.Equal(12, JsonDocument.Parse(original).RootElement.GetProperty("sessions").GetArrayLength());
        // Even a browser that speaks zstd gets it decompressed: it has no way to the dictionary.
        using (var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/export/{jobId}/download?decompress=true"))
        {
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("zstd"));
            using var response = await Client.SendAsync(request);
            Assert.Empty(response.Content.Headers.ContentEncoding);
            Assert.Equal(original, await response.Content.ReadAsByteArrayAsync());
        }

        var dictionary = await DownloadDictionaryAsync(used);
        var file = Work.Combine("run.json.zst");
        await File.WriteAllBytesAsync(file, stored);
        await ExternalTool.RunAsync("zstd", ["-q", "-d", "-D", dictionary, file, "-o", Work.Combine("run.json")]);
        Assert.Equal(original, await File.ReadAllBytesAsync(Work.Combine("run.json")));

        // A second run of the schedule compresses with the kept dictionary.
        var again = (await RunNowAsync(scheduleId)).GetProperty("dictionary");
        Assert.False(again.GetProperty("trained").GetBoolean());
        Assert.Equal(used.GetProperty("id").GetUInt32(), again.GetProperty("id").GetUInt32());

        // Import reads the frame here, where the dictionary is kept; an app without it names the one it lacks.
        using (var imported = await Client.PostAsync("/api/v1/import", new ByteArrayContent(stored)))
        {
            var result = await imported.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(imported.StatusCode == HttpStatusCode.OK, result.ToString());
            Assert.Equal(12, result.GetProperty("imported").GetInt32() + result.GetProperty("updated").GetInt32() + result.GetProperty("skipped").GetInt32());
        }
        await using var elsewhere = new ExportStudioApp();
        using var otherClient = elsewhere.CreateClient();
        using var refused = await otherClient.PostAsync("/api/v1/import", new ByteArrayContent(stored));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var detail = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!;
        Assert.Contains($"dictionary {used.GetProperty("id").GetUInt32()}", detail);
    }

    [Fact]
    public async Task An_unknown_dictionary_is_a_404_problem_and_a_malformed_id_a_400()
    {
        var unknown = Guid.NewGuid();
        using var missing = await Client.GetAsync($"/api/v1/dictionaries/{unknown}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType!.MediaType);
        Assert.Contains(unknown.ToString(), (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());

        using var malformed = await Client.GetAsync("/api/v1/dictionaries/not-an-id");
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.True((await malformed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("dictionaryId", out _));
    }

    [Fact]
    public async Task The_job_resource_says_whether_a_dictionary_was_used_not_only_that_one_was_asked_for()
    {
        List<Guid> few;
        await using (var db = App.CreateDbContext())
        {
            few = await db.Sessions.Select(s => s.Id).Take(3).ToListAsync();
        }
        var tooFew = await ExportAsync(new { format = "json", filters = new { sessionIds = few }, options = new { compressionFormat = "zstd", layout = "per-session", dictionary = true } });
        Assert.Equal("completed", tooFew.GetProperty("status").GetString());
        Assert.False(tooFew.GetProperty("options").GetProperty("dictionary").GetBoolean());
        Assert.Equal(JsonValueKind.Null, tooFew.GetProperty("dictionary").ValueKind);
        var tooFewManifest = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(await UnpackAsync(tooFew, "few"), "manifest.json"))).RootElement;
        Assert.Equal(JsonValueKind.Null, tooFewManifest.GetProperty("dictionary").ValueKind);

        var enough = await ExportAsync(PerSession);
        Assert.True(enough.GetProperty("options").GetProperty("dictionary").GetBoolean());
        var used = enough.GetProperty("dictionary");
        var manifest = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(await UnpackAsync(enough, "enough"), "manifest.json"))).RootElement;
        Assert.Equal(manifest.GetProperty("dictionary").GetProperty("id").GetUInt32(), used.GetProperty("id").GetUInt32());
        Assert.True(used.GetProperty("trained").GetBoolean());
        // An export made by hand carries its dictionary inside the archive; the app keeps none for it.
        Assert.Equal(JsonValueKind.Null, used.GetProperty("href").ValueKind);
    }

    private async Task<Guid> CreateScheduleAsync(object export)
    {
        using var response = await Client.PostAsJsonAsync("/api/v1/schedules", new { name = "Similar exports", every = "P1D", startAt = Later, mode = "full", keep = 10, export });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"create answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private async Task<JsonElement> RunNowAsync(Guid scheduleId)
    {
        using var response = await Client.PostAsync($"/api/v1/schedules/{scheduleId}/run", null);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"run answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var job = await Client.WaitForExportAsync((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetGuid());
        Assert.True(job.GetProperty("status").GetString() == "completed", job.ToString());
        return job;
    }

    /// <summary>The dictionary from the job's href, saved under its own file name; returns the path.</summary>
    private async Task<string> DownloadDictionaryAsync(JsonElement dictionary)
    {
        using var response = await Client.GetAsync(dictionary.GetProperty("href").GetString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType!.MediaType);
        var name = response.Content.Headers.ContentDisposition!.FileName!.Trim('"');
        Assert.Equal($"dictionary-{dictionary.GetProperty("id").GetUInt32()}.zdict", name);
        var path = Work.Combine(name);
        await File.WriteAllBytesAsync(path, await response.Content.ReadAsByteArrayAsync());
        return path;
    }

    /// <summary>The job's per-session archive unpacked with tar; returns the directory.</summary>
    private async Task<string> UnpackAsync(JsonElement job, string name)
    {
        var file = Work.Combine($"{name}.tar");
        await File.WriteAllBytesAsync(file, await Client.GetByteArrayAsync($"/api/v1/export/{job.GetProperty("jobId").GetGuid()}/download"));
        var directory = Directory.CreateDirectory(Work.Combine(name)).FullName;
        await ExternalTool.RunAsync("tar", ["-xf", file, "-C", directory]);
        return directory;
    }

    private static string Words(Random random, int count)
    {
        const string consonants = "bdfgklmnprstvzq", vowels = "aeiouy";
        return string.Join(' ', Enumerable.Range(0, count).Select(_ =>
            new string(Enumerable.Range(0, random.Next(3, 10)).Select(i => i % 2 == 0 ? consonants[random.Next(consonants.Length)] : vowels[random.Next(vowels.Length)]).ToArray())));
    }
}
