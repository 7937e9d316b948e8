using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace ExportStudio.Tests.Api.Exports;

/// <summary>Downloading exports over HTTP: every format and compression as stored and decompressed, the zstd passthrough, ranges, ETags, damaged files and unfinished jobs.</summary>
public sealed class ExportDownloadTests : ApiTest
{
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

        using var response = await Client.GetAsync(job.GetProperty("links").GetProperty("download").GetString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(info.GetProperty("compressedSize").GetInt64(), bytes.Length);
        Assert.Equal(info.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(bytes)));
        Assert.Equal(info.GetProperty("contentType").GetString(), response.Content.Headers.ContentType?.ToString());
        Assert.Empty(response.Content.Headers.ContentEncoding);

        var name = info.GetProperty("fileName").GetString()!;
        var path = Work.Combine(name);
        await File.WriteAllBytesAsync(path, bytes);
        var output = Directory.CreateDirectory(Work.Combine(name + ".d")).FullName;
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
        var stored = await Client.GetByteArrayAsync($"/api/v1/export/{id}/download");
        var path = Work.Combine($"stored-{compression}");
        await File.WriteAllBytesAsync(path, stored);
        var expectedBytes = await DecompressWithToolAsync(compression, path);

        using var response = await Client.GetAsync($"/api/v1/export/{id}/download?decompress=true");

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

    [Theory]
    [InlineData("none")]
    [InlineData("tar")]
    public async Task A_file_without_a_compression_layer_advertises_no_decompressed_link_and_serves_itself(string compression)
    {
        var job = await ExportAsync(new { formats = compression == "tar" ? new[] { "json", "csv" } : new[] { "json" }, options = new { compressionFormat = compression } });
        var id = job.GetProperty("jobId").GetGuid();

        Assert.Equal(JsonValueKind.Null, job.GetProperty("links").GetProperty("downloadDecompressed").ValueKind);
        var stored = await Client.GetByteArrayAsync($"/api/v1/export/{id}/download");
        using var response = await Client.GetAsync($"/api/v1/export/{id}/download?decompress=true");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(job.GetProperty("fileInfo").GetProperty("fileName").GetString(), response.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.Equal(stored, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_client_that_refuses_zstd_with_q_0_gets_the_bytes_decompressed_by_the_server()
    {
        var job = await ExportAsync(new { format = "json", options = new { compressionFormat = "zstd" } });
        var id = job.GetProperty("jobId").GetGuid();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/export/{id}/download?decompress=true");
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip, zstd;q=0");

        using var response = await Client.SendAsync(request);

        Assert.Empty(response.Content.Headers.ContentEncoding);
        Assert.Equal(job.GetProperty("fileInfo").GetProperty("size").GetInt64(), (await response.Content.ReadAsByteArrayAsync()).Length);
    }

    [Fact]
    public async Task A_browser_that_speaks_zstd_gets_the_stored_frame_with_content_encoding_and_the_original_name()
    {
        var job = await ExportAsync(new { format = "jsonl", options = new { compressionFormat = "zstd" } });
        var id = job.GetProperty("jobId").GetGuid();
        var stored = await Client.GetByteArrayAsync($"/api/v1/export/{id}/download");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/export/{id}/download?decompress=true");
        request.Headers.AcceptEncoding.ParseAdd("gzip, deflate, br, zstd");

        using var response = await Client.SendAsync(request);

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
        var whole = await Client.GetAsync(url);
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
        using var partial = await Client.SendAsync(range);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal($"bytes 10-109/{bytes.Length}", partial.Content.Headers.ContentRange?.ToString());
        Assert.Equal(bytes[10..110], await partial.Content.ReadAsByteArrayAsync());

        using var suffix = new HttpRequestMessage(HttpMethod.Get, url);
        suffix.Headers.Range = new RangeHeaderValue(null, 50);
        using var tail = await Client.SendAsync(suffix);
        Assert.Equal(HttpStatusCode.PartialContent, tail.StatusCode);
        Assert.Equal(bytes[^50..], await tail.Content.ReadAsByteArrayAsync());

        using var conditional = new HttpRequestMessage(HttpMethod.Get, url);
        conditional.Headers.IfNoneMatch.Add(whole.Headers.ETag);
        using var notModified = await Client.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }

    [Fact]
    public async Task A_stored_file_that_fails_its_checksum_is_never_served()
    {
        var job = await ExportAsync(new { format = "json", options = new { compressionFormat = "zstd" } });
        var id = job.GetProperty("jobId").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync($"/api/v1/export/{id}/download")).StatusCode);
        var path = Path.Combine(App.ExportDirectory, job.GetProperty("fileInfo").GetProperty("fileName").GetString()!);
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[bytes.Length / 2] ^= 0x01;
        await File.WriteAllBytesAsync(path, bytes);

        foreach (var url in new[] { $"/api/v1/export/{id}/download", $"/api/v1/export/{id}/download?decompress=true" })
        {
            using var response = await Client.GetAsync(url);
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
        await using (var db = App.CreateDbContext())
        {
            db.ExportJobs().Add(running);
            await db.SaveChangesAsync();
        }

        using var conflict = await Client.GetAsync($"/api/v1/export/{running.Id}/download");
        using var missing = await Client.GetAsync($"/api/v1/export/{Guid.NewGuid()}/download");

        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Contains("download it once it has completed", await conflict.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
    }
}
