using System.Net.Http.Headers;
using ExportStudio.Tests.Importing;
using Microsoft.EntityFrameworkCore;

namespace ExportStudio.Tests.Api.Imports;

/// <summary>Importing export files back: every container, detected by content; all or nothing; existing sessions skipped.</summary>
public sealed class ImportApiTests : IAsyncLifetime
{
    private readonly ExportStudioApp _source = new(demoSessions: 25);
    private readonly ExportStudioApp _target = new(demoSessions: 0);
    private HttpClient _sourceClient = null!;
    private HttpClient _targetClient = null!;

    public Task InitializeAsync()
    {
        _sourceClient = _source.CreateClient();
        _targetClient = _target.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _sourceClient.Dispose();
        _targetClient.Dispose();
        await _source.DisposeAsync();
        await _target.DisposeAsync();
    }

    private async Task<byte[]> ExportFromSourceAsync(object body)
    {
        var job = await _sourceClient.WaitForExportAsync(await _sourceClient.CreateExportAsync(body));
        return await _sourceClient.GetByteArrayAsync($"/api/v1/export/{job.GetProperty("jobId").GetGuid()}/download");
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> ImportAsync(byte[] file, bool multipart)
    {
        HttpContent content;
        if (multipart)
        {
            var form = new MultipartFormDataContent();
            var part = new ByteArrayContent(file);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            // A misleading name on purpose: the format is detected by content.
            form.Add(part, "file", "export.txt");
            content = form;
        }
        else
        {
            content = new ByteArrayContent(file);
        }
        using var response = await _targetClient.PostAsync("/api/v1/import", content);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    [Theory]
    [InlineData("json", "none", "plain", false)]
    [InlineData("jsonl", "none", "plain", true)]
    [InlineData("json", "zstd", "zstd", true)]
    [InlineData("jsonl", "tar.gz", "tar.gz", false)]
    [InlineData("json", "tar.zst", "tar.zst", true)]
    [InlineData("jsonl", "tar", "tar", false)]
    public async Task Every_container_imports_and_a_second_import_skips_what_exists(string format, string compression, string detected, bool multipart)
    {
        var file = await ExportFromSourceAsync(new { format, options = new { compressionFormat = compression } });

        var (status, first) = await ImportAsync(file, multipart);
        var (_, second) = await ImportAsync(file, multipart);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(detected, first.GetProperty("detectedFormat").GetString());
        Assert.Equal(25, first.GetProperty("imported").GetInt32());
        Assert.Equal(0, first.GetProperty("skipped").GetInt32());
        Assert.Equal(0, second.GetProperty("imported").GetInt32());
        Assert.Equal(25, second.GetProperty("skipped").GetInt32());
        await using var db = _target.CreateDbContext();
        Assert.Equal(25, await db.Sessions.CountAsync());
    }

    /// <summary>A zip is read from its end: an upload read as it arrives is waited for, then opened in place.</summary>
    [Theory]
    [InlineData("chatgpt/chatgpt-export.zip", "chatgpt", false)]
    [InlineData("chatgpt/chatgpt-export-2026-sharded.zip", "chatgpt", true)]
    [InlineData("claude/claude-export.zip", "claude", true)]
    [InlineData("claude/claude-export-2026.zip", "claude", false)]
    public async Task A_chat_apps_zip_export_imports_through_the_api(string fixture, string source, bool multipart)
    {
        var (status, result) = await ImportAsync(ImportFixtures.Read(fixture), multipart);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(source, result.GetProperty("source").GetString());
        Assert.Equal("zip", result.GetProperty("detectedFormat").GetString());
        var imported = result.GetProperty("imported").GetInt32();
        Assert.True(imported > 0);
        await using var db = _target.CreateDbContext();
        Assert.Equal(imported, await db.Sessions.CountAsync());
    }

    [Fact]
    public async Task A_raw_upload_with_curls_default_form_content_type_still_imports()
    {
        var file = await ExportFromSourceAsync(new { format = "jsonl", options = new { compressionFormat = "zstd" } });
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");

        using var response = await _targetClient.PostAsync("/api/v1/import", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(25, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("imported").GetInt32());
    }

    [Fact]
    public async Task A_gzip_compressed_json_file_imports()
    {
        var json = await ExportFromSourceAsync(new { format = "json" });
        using var gzipped = new MemoryStream();
        await using (var gzip = new System.IO.Compression.GZipStream(gzipped, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            await gzip.WriteAsync(json);
        }

        var (status, result) = await ImportAsync(gzipped.ToArray(), multipart: false);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("gzip", result.GetProperty("detectedFormat").GetString());
        Assert.Equal(25, result.GetProperty("imported").GetInt32());
    }

    [Fact]
    public async Task A_bundle_imports_its_json_once_counts_its_sessions_once_and_ignores_csv_and_markdown()
    {
        var bundle = await ExportFromSourceAsync(new { formats = new[] { "json", "jsonl", "csv", "markdown" }, options = new { compressionFormat = "tar.zst" } });

        var (status, result) = await ImportAsync(bundle, multipart: true);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(25, result.GetProperty("imported").GetInt32());
        // The jsonl entry repeats the json entry's sessions: the same sessions, neither skipped nor counted twice.
        Assert.Equal(0, result.GetProperty("skipped").GetInt32());
        await using var db = _target.CreateDbContext();
        Assert.Equal(await db.Messages.CountAsync(), result.GetProperty("messages").GetInt32());
        Assert.Equal(2, result.GetProperty("entries").GetArrayLength());
    }

    [Fact]
    public async Task Exporting_importing_and_exporting_again_gives_the_same_sessions_and_messages()
    {
        var exported = await ExportFromSourceAsync(new { format = "json", options = new { compressionFormat = "zstd" } });
        Assert.Equal(HttpStatusCode.OK, (await ImportAsync(exported, multipart: true)).Status);

        var again = await _targetClient.WaitForExportAsync(await _targetClient.CreateExportAsync(new { format = "json" }));
        var roundTripped = await _targetClient.GetByteArrayAsync($"/api/v1/export/{again.GetProperty("jobId").GetGuid()}/download");
        var original = await _sourceClient.WaitForExportAsync(await _sourceClient.CreateExportAsync(new { format = "json" }));
        var source = await _sourceClient.GetByteArrayAsync($"/api/v1/export/{original.GetProperty("jobId").GetGuid()}/download");

        // Everything but the header (export time, generator) is identical, session for session.
        using var a = JsonDocument.Parse(source);
        using var b = JsonDocument.Parse(roundTripped);
        Assert.Equal(a.RootElement.GetProperty("sessions").GetRawText(), b.RootElement.GetProperty("sessions").GetRawText());
        Assert.Equal(a.RootElement.GetProperty("messageCount").GetInt32(), b.RootElement.GetProperty("messageCount").GetInt32());
    }

    [Fact]
    public async Task A_file_with_a_bad_session_part_way_imports_nothing()
    {
        var lines = (await ExportFromSourceAsync(new { format = "jsonl" })).AsSpan().ToArray();
        var text = System.Text.Encoding.UTF8.GetString(lines).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        text[20] = text[20].Replace("\"role\":\"user\"", "\"role\":\"robot\"").Replace("\"role\":\"assistant\"", "\"role\":\"robot\"");

        var (status, problem) = await ImportAsync(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', text)), multipart: false);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("robot", problem.GetProperty("detail").GetString());
        Assert.Contains("Nothing was imported", problem.GetProperty("detail").GetString());
        await using var db = _target.CreateDbContext();
        Assert.Equal(0, await db.Sessions.CountAsync());
    }

    [Fact]
    public async Task A_corrupted_compressed_upload_is_refused_and_nothing_is_written()
    {
        var file = await ExportFromSourceAsync(new { format = "json", options = new { compressionFormat = "tar.gz" } });
        file[file.Length / 2] ^= 0x10;

        var (status, problem) = await ImportAsync(file, multipart: false);

        // Depending on where the flipped bit lands, the gzip CRC or the JSON parser notices first.
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Nothing was imported", problem.GetProperty("detail").GetString());
        await using var db = _target.CreateDbContext();
        Assert.Equal(0, await db.Sessions.CountAsync());
    }
}
