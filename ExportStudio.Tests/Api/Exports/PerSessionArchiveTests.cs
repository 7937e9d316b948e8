using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ExportStudio.Core.Exporting.Planning;

namespace ExportStudio.Tests.Api.Exports;

/// <summary>
/// Per-session archives end to end: made through the API, opened with the real tar and zstd tools and
/// compared session by session with the database, their manifest's offsets checked against the bytes,
/// one session fetched with a Range request, and imported back into an empty app.
/// </summary>
public sealed class PerSessionArchiveTests : IAsyncLifetime
{
    private const int Sessions = 40;
    private readonly ExportStudioApp _source = new(demoSessions: Sessions);
    private readonly ExportStudioApp _target = new(demoSessions: 0);
    private readonly TempDirectory _work = new();
    private HttpClient _client = null!;
    private HttpClient _targetClient = null!;

    public Task InitializeAsync()
    {
        _client = _source.CreateClient();
        _targetClient = _target.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        _targetClient.Dispose();
        await _source.DisposeAsync();
        await _target.DisposeAsync();
        _work.Dispose();
    }

    [Theory]
    [InlineData("tar", false)]
    [InlineData("tar.gz", false)]
    [InlineData("tar.zst", false)]
    [InlineData("zstd", false)]
    [InlineData("zstd", true)]
    public async Task Every_session_opens_with_the_standard_tools_and_matches_the_database(string compression, bool dictionary)
    {
        var (job, file) = await ExportAsync(compression, dictionary, "json", "jsonl");
        var directory = Directory.CreateDirectory(Path.Combine(_work.Path, "out")).FullName;

        string[] tarArguments = compression switch
        {
            "tar.gz" => ["-xzf", file, "-C", directory],
            "tar.zst" => ["--zstd", "-xf", file, "-C", directory],
            _ => ["-xf", file, "-C", directory],
        };
        await ExternalTool.RunAsync("tar", tarArguments);
        var manifest = ReadManifest(Path.Combine(directory, "manifest.json"));
        var zstdEntries = compression == "zstd";
        Assert.Equal(zstdEntries ? "zstd" : "none", manifest.GetProperty("entryCompression").GetString());
        Assert.Equal(dictionary, File.Exists(Path.Combine(directory, "dictionary.zdict")));
        Assert.Equal(dictionary, manifest.GetProperty("dictionary").ValueKind == JsonValueKind.Object);
        Assert.Equal(dictionary, job.GetProperty("options").GetProperty("dictionary").GetBoolean());
        Assert.Equal("per-session", job.GetProperty("options").GetProperty("layout").GetString());

        var entries = manifest.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(Sessions * 2, entries.Count);
        await using var db = _source.CreateDbContext();
        var sessions = await db.Sessions.AsNoTracking().Include(s => s.Messages).ToDictionaryAsync(s => s.Id);
        foreach (var entry in entries)
        {
            var path = Path.Combine(directory, entry.GetProperty("path").GetString()!);
            if (zstdEntries)
            {
                Assert.EndsWith(".zst", path);
                string[] arguments = dictionary
                    ? ["-q", "-d", "-D", Path.Combine(directory, "dictionary.zdict"), path]
                    : ["-q", "-d", path];
                await ExternalTool.RunAsync("zstd", arguments);
                path = path[..^".zst".Length];
            }
            var bytes = await File.ReadAllBytesAsync(path);
            Assert.Equal(entry.GetProperty("originalSize").GetInt64(), bytes.Length);
            Assert.Equal(entry.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(bytes)));

            var id = entry.GetProperty("sessionId").GetGuid();
            var session = entry.GetProperty("format").GetString() == "json"
                ? JsonDocument.Parse(bytes).RootElement.GetProperty("sessions").EnumerateArray().Single()
                : JsonDocument.Parse(bytes).RootElement;
            AssertSameSession(sessions[id], session);
            Assert.Equal(sessions[id].Title, entry.GetProperty("title").GetString());
        }
        Assert.Equal(sessions.Keys.Order(), entries.Select(e => e.GetProperty("sessionId").GetGuid()).Distinct().Order());
    }

    [Theory]
    [InlineData("tar", false)]
    [InlineData("tar.gz", false)]
    [InlineData("tar.zst", false)]
    [InlineData("zstd", true)]
    public async Task The_manifests_offsets_point_at_each_entrys_bytes(string compression, bool dictionary)
    {
        var (_, file) = await ExportAsync(compression, dictionary, "json");
        var tar = compression switch
        {
            "tar.gz" => await DecompressWithAsync("gzip", file),
            "tar.zst" => await DecompressWithAsync("zstd", file),
            _ => await File.ReadAllBytesAsync(file),
        };
        var manifest = ReadManifestFromTar(tar);
        Assert.Equal(compression is "tar.gz" or "tar.zst" ? "tar" : "file", manifest.GetProperty("offsetsIn").GetString());

        foreach (var entry in manifest.GetProperty("entries").EnumerateArray())
        {
            var offset = entry.GetProperty("offset").GetInt64();
            var size = entry.GetProperty("storedSize").GetInt64();
            // The tar header right before the data names this entry.
            var name = System.Text.Encoding.UTF8.GetString(tar.AsSpan((int)offset - 512, 100)).TrimEnd('\0');
            Assert.Equal(entry.GetProperty("path").GetString(), name);
            var data = tar.AsSpan((int)offset, (int)size).ToArray();
            if (compression == "zstd")
            {
                Assert.Equal([0x28, 0xB5, 0x2F, 0xFD], data[..4]);
            }
            else
            {
                Assert.Equal(entry.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(data)));
            }
        }
        if (dictionary)
        {
            var zdict = manifest.GetProperty("dictionary");
            var data = tar.AsSpan((int)zdict.GetProperty("offset").GetInt64(), (int)zdict.GetProperty("size").GetInt64());
            Assert.Equal(zdict.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(data)));
        }
    }

    [Fact]
    public async Task One_session_is_fetched_with_a_range_request_and_opens_with_zstd_and_the_dictionary()
    {
        var (job, file) = await ExportAsync("zstd", true, "json");
        var jobId = job.GetProperty("jobId").GetGuid();
        var manifest = ReadManifestFromTar(await File.ReadAllBytesAsync(file));
        var zdict = manifest.GetProperty("dictionary");
        var entry = manifest.GetProperty("entries")[7];

        var dictionaryPath = Path.Combine(_work.Path, "dictionary.zdict");
        await File.WriteAllBytesAsync(dictionaryPath, await FetchRangeAsync(jobId, zdict.GetProperty("offset").GetInt64(), zdict.GetProperty("size").GetInt64()));
        var framePath = Path.Combine(_work.Path, "one.json.zst");
        await File.WriteAllBytesAsync(framePath, await FetchRangeAsync(jobId, entry.GetProperty("offset").GetInt64(), entry.GetProperty("storedSize").GetInt64()));

        await ExternalTool.RunAsync("zstd", ["-q", "-d", "-D", dictionaryPath, framePath]);
        var bytes = await File.ReadAllBytesAsync(Path.Combine(_work.Path, "one.json"));
        Assert.Equal(entry.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(bytes)));
        await using var db = _source.CreateDbContext();
        var id = entry.GetProperty("sessionId").GetGuid();
        var session = await db.Sessions.AsNoTracking().Include(s => s.Messages).SingleAsync(s => s.Id == id);
        AssertSameSession(session, JsonDocument.Parse(bytes).RootElement.GetProperty("sessions")[0]);

        // Without the dictionary the standard tool refuses the frame, naming what it lacks.
        var without = await ExternalTool.RunAsync("zstd", ["-q", "-d", "-c", framePath], allowFailure: true);
        Assert.NotEqual(0, without.ExitCode);
        Assert.Contains("ictionary", without.StandardError);
    }

    [Theory]
    [InlineData("zstd", true)]
    [InlineData("zstd", false)]
    [InlineData("tar.zst", false)]
    [InlineData("tar.gz", false)]
    public async Task A_per_session_archive_imports_into_an_empty_app_with_every_session(string compression, bool dictionary)
    {
        var (_, file) = await ExportAsync(compression, dictionary, "json", "jsonl");

        using var response = await _targetClient.PostAsync("/api/v1/import", new ByteArrayContent(await File.ReadAllBytesAsync(file)));
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.True(response.StatusCode == HttpStatusCode.OK, result.ToString());
        Assert.Equal(Sessions, result.GetProperty("imported").GetInt32());
        await using var source = _source.CreateDbContext();
        await using var target = _target.CreateDbContext();
        var expected = await source.Sessions.AsNoTracking().Include(s => s.Messages).OrderBy(s => s.Id).ToListAsync();
        var actual = await target.Sessions.AsNoTracking().Include(s => s.Messages).OrderBy(s => s.Id).ToListAsync();
        Assert.Equal(expected.Select(s => (s.Id, s.Title, s.Messages.Count)), actual.Select(s => (s.Id, s.Title, s.Messages.Count)));
        Assert.Equal(
            expected.SelectMany(s => s.Messages.OrderBy(m => m.Order).Select(m => (m.Id, m.Content))),
            actual.SelectMany(s => s.Messages.OrderBy(m => m.Order).Select(m => (m.Id, m.Content))));
    }

    [Fact]
    public async Task An_archive_whose_dictionary_is_missing_is_refused_naming_the_dictionary_and_nothing_is_imported()
    {
        var (_, file) = await ExportAsync("zstd", true, "json");
        var directory = Directory.CreateDirectory(Path.Combine(_work.Path, "unpacked")).FullName;
        await ExternalTool.RunAsync("tar", ["-xf", file, "-C", directory]);
        File.Delete(Path.Combine(directory, "dictionary.zdict"));
        var repacked = Path.Combine(_work.Path, "without-dictionary.tar");
        await ExternalTool.RunAsync("tar", ["-cf", repacked, "-C", directory, "manifest.json", "sessions"]);

        using var response = await _targetClient.PostAsync("/api/v1/import", new ByteArrayContent(await File.ReadAllBytesAsync(repacked)));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("dictionary", detail);
        Assert.Contains("Nothing was imported", detail);
        await using var db = _target.CreateDbContext();
        Assert.Equal(0, await db.Sessions.CountAsync());
    }

    [Fact]
    public async Task One_frame_of_a_dictionary_archive_uploaded_alone_is_refused_with_what_to_do()
    {
        var (_, file) = await ExportAsync("zstd", true, "json");
        var tar = await File.ReadAllBytesAsync(file);
        var entry = ReadManifestFromTar(tar).GetProperty("entries")[0];
        var frame = tar.AsSpan((int)entry.GetProperty("offset").GetInt64(), (int)entry.GetProperty("storedSize").GetInt64()).ToArray();

        using var response = await _targetClient.PostAsync("/api/v1/import", new ByteArrayContent(frame));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("dictionary.zdict", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Every_format_is_written_per_session_csv_markdown_and_html_too()
    {
        var (_, file) = await ExportAsync("tar.gz", false, "csv", "markdown", "html");

        var listing = (await ExternalTool.RunAsync("tar", ["-tzf", file])).StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("manifest.json", listing[0]);
        foreach (var extension in new[] { "csv", "md", "html" })
        {
            Assert.Equal(Sessions, listing.Count(l => l.StartsWith("sessions/", StringComparison.Ordinal) && l.EndsWith($".{extension}", StringComparison.Ordinal)));
        }
    }

    [Fact]
    public async Task The_decompressed_download_is_a_tar_of_plain_sessions_that_opens_without_a_dictionary()
    {
        var (job, _) = await ExportAsync("zstd", true, "json");
        var links = job.GetProperty("links");
        Assert.EndsWith("download?decompress=true", links.GetProperty("downloadDecompressed").GetString());

        using var response = await _client.GetAsync(links.GetProperty("downloadDecompressed").GetString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-tar", response.Content.Headers.ContentType?.MediaType);
        var tar = Path.Combine(_work.Path, "decompressed.tar");
        await File.WriteAllBytesAsync(tar, await response.Content.ReadAsByteArrayAsync());
        var directory = Directory.CreateDirectory(Path.Combine(_work.Path, "plain")).FullName;
        await ExternalTool.RunAsync("tar", ["-xf", tar, "-C", directory]);

        Assert.False(File.Exists(Path.Combine(directory, "dictionary.zdict")));
        var manifest = ReadManifest(Path.Combine(directory, "manifest.json"));
        Assert.Equal("none", manifest.GetProperty("entryCompression").GetString());
        var bytes = await File.ReadAllBytesAsync(tar);
        foreach (var entry in manifest.GetProperty("entries").EnumerateArray())
        {
            var onDisk = await File.ReadAllBytesAsync(Path.Combine(directory, entry.GetProperty("path").GetString()!));
            var atOffset = bytes.AsSpan((int)entry.GetProperty("offset").GetInt64(), (int)entry.GetProperty("storedSize").GetInt64());
            Assert.Equal(entry.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(onDisk)));
            Assert.True(atOffset.SequenceEqual(onDisk));
        }
    }

    [Fact]
    public async Task Training_a_dictionary_stops_at_once_when_the_export_is_cancelled()
    {
        using var samples = new Core.Compression.Archives.DictionarySamples();
        for (var i = 0; i < 64; i++)
        {
            samples.Add(System.Text.Encoding.UTF8.GetBytes($"{{\"id\":{i},\"title\":\"session {i}\",\"messages\":[\"{new string('x', i * 10)}\"]}}"));
        }
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Core.Compression.Archives.ZstdDictionaryTrainer.TrainAsync(samples, Core.Compression.Archives.ZstdDictionaryTrainer.PlanFor(1 << 20), 3, cancelled.Token));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_estimate_of_a_per_session_archive_is_near_what_the_export_makes(bool dictionary)
    {
        var estimator = _source.Services.GetRequiredService<ExportEstimator>();
        var request = new ExportRequest
        {
            Formats = [ExportFormat.Json],
            Options = new ExportOptions { CompressionFormat = CompressionFormat.Zstd, Layout = ArchiveLayout.PerSession, Dictionary = dictionary },
        };

        var estimate = (await estimator.EstimateAsync(request)).PerSession!;
        var (job, _) = await ExportAsync("zstd", dictionary, "json");

        var actual = job.GetProperty("fileInfo").GetProperty("compressedSize").GetInt64();
        var estimated = dictionary ? estimate.WithDictionaryBytes!.Value : estimate.WithoutDictionaryBytes;
        Assert.InRange(estimated, actual * 0.6, actual * 1.4);
        Assert.True(estimate.MeanSessionBytes > 0);
    }

    private async Task<(JsonElement Job, string File)> ExportAsync(string compression, bool dictionary, params string[] formats)
    {
        var job = await _client.WaitForExportAsync(await _client.CreateExportAsync(new
        {
            formats,
            options = new { compressionFormat = compression, layout = "per-session", dictionary },
        }));
        Assert.True(job.GetProperty("status").GetString() == "completed", job.ToString());
        var path = Path.Combine(_work.Path, job.GetProperty("fileInfo").GetProperty("fileName").GetString()!);
        await File.WriteAllBytesAsync(path, await _client.GetByteArrayAsync($"/api/v1/export/{job.GetProperty("jobId").GetGuid()}/download"));
        return (job, path);
    }

    private async Task<byte[]> FetchRangeAsync(Guid jobId, long offset, long size)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/export/{jobId}/download");
        request.Headers.Range = new RangeHeaderValue(offset, offset + size - 1);
        using var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(size, bytes.Length);
        return bytes;
    }

    private async Task<byte[]> DecompressWithAsync(string tool, string file)
    {
        var output = Path.Combine(_work.Path, "decompressed.tar");
        await ExternalTool.RunAsync(tool == "gzip" ? "sh" : "zstd",
            tool == "gzip" ? ["-c", $"gzip -dc '{file}' > '{output}'"] : ["-q", "-d", "-f", file, "-o", output]);
        return await File.ReadAllBytesAsync(output);
    }

    private static JsonElement ReadManifest(string path) => JsonDocument.Parse(File.ReadAllBytes(path)).RootElement.Clone();

    /// <summary>The manifest is the first entry: its tar header, then its bytes.</summary>
    private static JsonElement ReadManifestFromTar(byte[] tar)
    {
        Assert.Equal("manifest.json", System.Text.Encoding.ASCII.GetString(tar, 0, 13));
        var size = Convert.ToInt64(System.Text.Encoding.ASCII.GetString(tar, 124, 11), 8);
        return JsonDocument.Parse(tar.AsMemory(512, (int)size)).RootElement.Clone();
    }

    private static void AssertSameSession(Core.Data.ChatSession expected, JsonElement actual)
    {
        Assert.Equal(expected.Id, actual.GetProperty("id").GetGuid());
        Assert.Equal(expected.Title, actual.GetProperty("title").GetString());
        Assert.Equal(expected.Model, actual.GetProperty("model").GetString());
        var messages = actual.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(expected.Messages.OrderBy(m => m.Order).Select(m => (m.Id, m.Content)),
            messages.Select(m => (m.GetProperty("id").GetGuid(), m.GetProperty("content").GetString()!)));
    }
}
