using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using ExportStudio.Core.Exports;
using ExportStudio.Core.Formats;
using ExportStudio.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace ExportStudio.Tests.Api;

/// <summary>The export resource over HTTP against the real app: create, follow, download every way, cancel, delete.</summary>
public sealed class ExportApiTests : IAsyncLifetime
{
    private readonly ExportStudioApp _app = new(demoSessions: 30);
    private readonly TempDirectory _work = new();
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _client = _app.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
        _work.Dispose();
    }

    private async Task<JsonElement> ExportAsync(object body) =>
        await _client.WaitForExportAsync(await _client.CreateExportAsync(body));

    [Fact]
    public async Task Creating_an_export_answers_202_with_its_location_and_the_job_resource()
    {
        using var response = await _client.PostAsJsonAsync("/api/v1/export", new { format = "csv", options = new { compressionFormat = "zstd", compressionLevel = 7 } });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var job = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = job.GetProperty("jobId").GetGuid();
        Assert.Equal($"/api/v1/export/{id}", response.Headers.Location?.ToString());
        Assert.Equal("queued", job.GetProperty("status").GetString());
        Assert.Equal("csv", job.GetProperty("format").GetString());
        Assert.Equal("zstd", job.GetProperty("compressionFormat").GetString());
        Assert.Equal(7, job.GetProperty("options").GetProperty("compressionLevel").GetInt32());
        Assert.EndsWith("Z", job.GetProperty("createdAt").GetString());

        var done = await _client.WaitForExportAsync(id);
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal(100, done.GetProperty("progress").GetProperty("percent").GetDouble());
        var file = done.GetProperty("fileInfo");
        Assert.Equal($"export_{id}.csv.zst", file.GetProperty("fileName").GetString());
        Assert.Equal("application/zstd", file.GetProperty("contentType").GetString());
        Assert.True(file.GetProperty("compressionSavingsPercent").GetDouble() > 50);
        Assert.Equal(30, done.GetProperty("sessionCount").GetInt32());
    }

    public static TheoryData<string[], string> Combinations()
    {
        var data = new TheoryData<string[], string>();
        foreach (var format in new[] { "json", "jsonl", "csv", "markdown" })
        {
            foreach (var compression in new[] { "none", "zstd", "tar.gz", "tar.zst", "tar" })
            {
                data.Add([format], compression);
            }
        }
        foreach (var compression in new[] { "tar", "tar.gz", "tar.zst" })
        {
            data.Add(["json", "csv", "markdown"], compression);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public async Task Every_format_and_compression_downloads_as_a_file_the_standard_tools_open(string[] formats, string compression)
    {
        var job = await ExportAsync(new { formats, options = new { compressionFormat = compression } });
        Assert.Equal("completed", job.GetProperty("status").GetString());
        var info = job.GetProperty("fileInfo");

        using var response = await _client.GetAsync(job.GetProperty("links").GetProperty("download").GetString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(info.GetProperty("compressedSize").GetInt64(), bytes.Length);
        Assert.Equal(info.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(bytes)));
        Assert.Equal(info.GetProperty("contentType").GetString(), response.Content.Headers.ContentType?.ToString());
        Assert.Empty(response.Content.Headers.ContentEncoding);

        var name = info.GetProperty("fileName").GetString()!;
        var path = _work.Combine(name);
        await File.WriteAllBytesAsync(path, bytes);
        var output = Directory.CreateDirectory(_work.Combine(name + ".d")).FullName;
        var id = job.GetProperty("jobId").GetGuid();
        switch (compression)
        {
            case "none":
                File.Copy(path, Path.Combine(output, name));
                break;
            case "zstd":
                await ExternalTool.RunAsync("zstd", ["-t", "-q", path]);
                await ExternalTool.RunAsync("zstd", ["-d", "-q", path, "-o", Path.Combine(output, name[..^4])]);
                break;
            case "tar.gz":
                await ExternalTool.RunAsync("gzip", ["-t", path]);
                await ExternalTool.RunAsync("tar", ["-xzf", path, "-C", output]);
                break;
            case "tar.zst":
                await ExternalTool.RunAsync("tar", ["--zstd", "-xf", path, "-C", output]);
                break;
            case "tar":
                await ExternalTool.RunAsync("tar", ["-xf", path, "-C", output]);
                break;
        }

        var extracted = Directory.GetFiles(output).Select(f => Path.GetFileName(f)!).Order().ToList();
        var expected = formats.Select(f => $"export_{id}.{(ExportFormatFacts.TryParseWireName(f, out var format) ? format.GetFileExtension() : f)}").Order().ToList();
        Assert.Equal(expected, extracted);
        foreach (var file in Directory.GetFiles(output))
        {
            var content = await File.ReadAllBytesAsync(file);
            switch (Path.GetExtension(file))
            {
                case ".json":
                    Assert.Equal(30, JsonDocument.Parse(content).RootElement.GetProperty("sessions").GetArrayLength());
                    break;
                case ".jsonl":
                    Assert.Equal(30, System.Text.Encoding.UTF8.GetString(content).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
                    break;
                default:
                    Assert.NotEmpty(content);
                    break;
            }
        }
    }

    [Theory]
    [InlineData("zstd", "application/json", ".json")]
    [InlineData("tar.gz", "application/x-tar", ".json.tar")]
    [InlineData("tar.zst", "application/x-tar", ".tar")]
    public async Task Decompress_true_streams_exactly_the_bytes_inside_the_compression_layer(string compression, string contentType, string suffix)
    {
        var job = await ExportAsync(new { format = "json", options = new { compressionFormat = compression } });
        var id = job.GetProperty("jobId").GetGuid();
        var stored = await _client.GetByteArrayAsync($"/api/v1/export/{id}/download");
        var path = _work.Combine($"stored-{compression}");
        await File.WriteAllBytesAsync(path, stored);
        var expectedBytes = await DecompressWithToolAsync(compression, path);

        using var response = await _client.GetAsync($"/api/v1/export/{id}/download?decompress=true");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(response.Content.Headers.ContentEncoding);
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
        Assert.EndsWith(suffix, response.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.Equal(expectedBytes, await response.Content.ReadAsByteArrayAsync());
    }

    private async Task<byte[]> DecompressWithToolAsync(string compression, string path)
    {
        var output = path + ".out";
        if (compression == "tar.gz")
        {
            await ExternalTool.RunAsync("bash", ["-c", $"gzip -d -c '{path}' > '{output}'"]);
        }
        else
        {
            await ExternalTool.RunAsync("zstd", ["-d", "-q", "-f", path, "-o", output]);
        }
        return await File.ReadAllBytesAsync(output);
    }

    [Fact]
    public async Task A_browser_that_speaks_zstd_gets_the_stored_frame_with_content_encoding_and_the_original_name()
    {
        var job = await ExportAsync(new { format = "jsonl", options = new { compressionFormat = "zstd" } });
        var id = job.GetProperty("jobId").GetGuid();
        var stored = await _client.GetByteArrayAsync($"/api/v1/export/{id}/download");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/export/{id}/download?decompress=true");
        request.Headers.AcceptEncoding.ParseAdd("gzip, deflate, br, zstd");

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["zstd"], response.Content.Headers.ContentEncoding);
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"export_{id}.jsonl", response.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.Equal(stored, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Stored_downloads_support_ranges_etags_and_both_file_name_forms()
    {
        var job = await ExportAsync(new { format = "json", options = new { compressionFormat = "tar.gz" } });
        var id = job.GetProperty("jobId").GetGuid();
        var url = $"/api/v1/export/{id}/download";
        var whole = await _client.GetAsync(url);
        var bytes = await whole.Content.ReadAsByteArrayAsync();

        Assert.Equal("bytes", string.Join(",", whole.Headers.AcceptRanges));
        Assert.Equal($"\"{job.GetProperty("fileInfo").GetProperty("sha256").GetString()}\"", whole.Headers.ETag?.Tag);
        Assert.False(whole.Headers.ETag!.IsWeak);
        Assert.NotNull(whole.Content.Headers.LastModified);
        var disposition = whole.Content.Headers.ContentDisposition!;
        Assert.Equal("attachment", disposition.DispositionType);
        Assert.Equal($"export_{id}.json.tar.gz", disposition.FileName?.Trim('"'));
        Assert.Equal($"export_{id}.json.tar.gz", disposition.FileNameStar);
        Assert.Equal("nosniff", whole.Headers.GetValues("X-Content-Type-Options").Single());

        using var range = new HttpRequestMessage(HttpMethod.Get, url);
        range.Headers.Range = new RangeHeaderValue(10, 109);
        using var partial = await _client.SendAsync(range);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal($"bytes 10-109/{bytes.Length}", partial.Content.Headers.ContentRange?.ToString());
        Assert.Equal(bytes[10..110], await partial.Content.ReadAsByteArrayAsync());

        using var suffix = new HttpRequestMessage(HttpMethod.Get, url);
        suffix.Headers.Range = new RangeHeaderValue(null, 50);
        using var tail = await _client.SendAsync(suffix);
        Assert.Equal(HttpStatusCode.PartialContent, tail.StatusCode);
        Assert.Equal(bytes[^50..], await tail.Content.ReadAsByteArrayAsync());

        using var conditional = new HttpRequestMessage(HttpMethod.Get, url);
        conditional.Headers.IfNoneMatch.Add(whole.Headers.ETag);
        using var notModified = await _client.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }

    [Fact]
    public async Task A_stored_file_that_fails_its_checksum_is_never_served()
    {
        var job = await ExportAsync(new { format = "json", options = new { compressionFormat = "zstd" } });
        var id = job.GetProperty("jobId").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync($"/api/v1/export/{id}/download")).StatusCode);
        var path = Path.Combine(_app.ExportDirectory, job.GetProperty("fileInfo").GetProperty("fileName").GetString()!);
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[bytes.Length / 2] ^= 0x01;
        await File.WriteAllBytesAsync(path, bytes);

        foreach (var url in new[] { $"/api/v1/export/{id}/download", $"/api/v1/export/{id}/download?decompress=true" })
        {
            using var response = await _client.GetAsync(url);
            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("no longer matches its SHA-256 checksum", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task A_job_that_has_not_completed_answers_409_and_an_unknown_one_404()
    {
        var running = new ExportJob
        {
            Id = Guid.NewGuid(), Status = ExportJobStatus.Running, Stage = ExportStage.Exporting, Percent = 40, Formats = [ExportFormat.Json],
            CreatedAt = DateTime.UtcNow, StartedAt = DateTime.UtcNow, ClaimedBy = "another instance",
        };
        await using (var db = _app.CreateDbContext())
        {
            db.ExportJobs.Add(running);
            await db.SaveChangesAsync();
        }

        using var conflict = await _client.GetAsync($"/api/v1/export/{running.Id}/download");
        using var missing = await _client.GetAsync($"/api/v1/export/{Guid.NewGuid()}/download");

        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Contains("download it once it has completed", await conflict.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Deleting_an_export_removes_its_file_and_cancelling_a_finished_one_is_a_conflict()
    {
        var job = await ExportAsync(new { format = "markdown", options = new { compressionFormat = "tar.gz" } });
        var id = job.GetProperty("jobId").GetGuid();
        var path = Path.Combine(_app.ExportDirectory, job.GetProperty("fileInfo").GetProperty("fileName").GetString()!);
        Assert.True(File.Exists(path));

        using var cancel = await _client.PostAsync($"/api/v1/export/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.Conflict, cancel.StatusCode);
        Assert.Contains("already completed", await cancel.Content.ReadAsStringAsync());

        using var delete = await _client.DeleteAsync($"/api/v1/export/{id}");
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.False(File.Exists(path));
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/v1/export/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.DeleteAsync($"/api/v1/export/{id}")).StatusCode);
    }

    [Fact]
    public async Task History_is_newest_first_and_paged()
    {
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await ExportAsync(new { format = "csv", filters = new { search = "kyoto" } })).GetProperty("jobId").GetGuid());
        }

        var first = await _client.GetFromJsonAsync<JsonElement>("/api/v1/export?page=1&pageSize=2");
        var second = await _client.GetFromJsonAsync<JsonElement>("/api/v1/export?page=2&pageSize=2");

        Assert.Equal(3, first.GetProperty("total").GetInt32());
        Assert.Equal([ids[2], ids[1]], first.GetProperty("items").EnumerateArray().Select(j => j.GetProperty("jobId").GetGuid()));
        Assert.Equal([ids[0]], second.GetProperty("items").EnumerateArray().Select(j => j.GetProperty("jobId").GetGuid()));
    }

    [Fact]
    public async Task Validation_problems_list_every_bad_field()
    {
        using var response = await _client.PostAsJsonAsync("/api/v1/export", new
        {
            format = "xml",
            filters = new { from = "2026-05-01T00:00:00Z", to = "2026-01-01T00:00:00Z", sessionIds = new[] { "nope" } },
            options = new { compressionFormat = "zstd", compressionLevel = 40 },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors");
        Assert.Contains("Unknown format 'xml'", errors.GetProperty("format")[0].GetString());
        Assert.Contains("allowed levels are 1-22", errors.GetProperty("options.compressionLevel")[0].GetString());
        Assert.Contains("'from' must not be later than 'to'", errors.GetProperty("filters.from")[0].GetString());
        Assert.Contains("is not a session id", errors.GetProperty("filters.sessionIds[0]")[0].GetString());
        await using var db = _app.CreateDbContext();
        Assert.Equal(0, await db.ExportJobs.CountAsync());
    }

    [Fact]
    public async Task Sessions_and_facets_feed_the_pickers()
    {
        var page = await _client.GetFromJsonAsync<JsonElement>("/api/v1/sessions?search=kyoto&pageSize=5");
        var facets = await _client.GetFromJsonAsync<JsonElement>("/api/v1/sessions/facets");

        Assert.True(page.GetProperty("total").GetInt32() > 0);
        Assert.All(page.GetProperty("items").EnumerateArray(), s => Assert.True(s.GetProperty("messageCount").GetInt32() >= 0));
        Assert.NotEmpty(facets.GetProperty("models").EnumerateArray());
        Assert.NotEmpty(facets.GetProperty("tags").EnumerateArray());
    }

    [Fact]
    public async Task The_openapi_document_describes_every_endpoint()
    {
        var document = await _client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = document.GetProperty("paths");

        string[][] expected =
        [
            ["/api/v1/export", "post"], ["/api/v1/export", "get"], ["/api/v1/export/{jobId}", "get"], ["/api/v1/export/{jobId}", "delete"],
            ["/api/v1/export/{jobId}/download", "get"], ["/api/v1/export/{jobId}/cancel", "post"], ["/api/v1/import", "post"],
            ["/api/v1/sessions", "get"], ["/api/v1/sessions/facets", "get"],
        ];
        foreach (var pair in expected)
        {
            Assert.True(paths.TryGetProperty(pair[0], out var path) && path.TryGetProperty(pair[1], out _), $"{pair[1].ToUpperInvariant()} {pair[0]} is not in the OpenAPI document");
        }
        var schemas = document.GetProperty("components").GetProperty("schemas");
        Assert.True(schemas.TryGetProperty("CreateExportBody", out _));
        Assert.True(schemas.TryGetProperty("ExportJobResource", out _));
    }
}
