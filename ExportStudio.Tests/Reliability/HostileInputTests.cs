using System.Text;
using Microsoft.EntityFrameworkCore;

namespace ExportStudio.Tests.Reliability;

/// <summary>
/// Hostile and malformed input through the API: each gets a 4xx problem with a message that names the
/// problem, nothing crashes, and no row or file is written.
/// </summary>
public sealed class HostileInputTests() : ApiTest(demoSessions: 12, settings: new Dictionary<string, string?> { ["ExportStudio:MaxImportBytes"] = "200000" })
{
    public static TheoryData<string, string, int, string> ExportBodies => new()
    {
        { "zstd level above range", """{"format":"json","options":{"compressionFormat":"zstd","compressionLevel":30}}""", 400, "allowed levels are 1-22" },
        { "tar.gz level above range", """{"format":"json","options":{"compressionFormat":"tar.gz","compressionLevel":10}}""", 400, "allowed levels are 1-9" },
        { "level zero", """{"format":"json","options":{"compressionFormat":"tar.gz","compressionLevel":0}}""", 400, "allowed levels are 1-9" },
        { "negative level", """{"format":"json","options":{"compressionFormat":"zstd","compressionLevel":-5}}""", 400, "allowed levels are 1-22" },
        { "level as text", """{"format":"json","options":{"compressionFormat":"zstd","compressionLevel":"max"}}""", 400, "whole number" },
        { "fractional level", """{"format":"json","options":{"compressionFormat":"zstd","compressionLevel":3.5}}""", 400, "whole number" },
        { "enormous level", """{"format":"json","options":{"compressionFormat":"zstd","compressionLevel":1e40}}""", 400, "whole number" },
        { "unknown format", """{"format":"xml"}""", 400, "Allowed formats: json, jsonl, csv, markdown" },
        { "empty format", """{"format":""}""", 400, "Unknown format ''" },
        { "no format", """{}""", 400, "A format is required" },
        { "unknown compression", """{"format":"csv","options":{"compressionFormat":"rar"}}""", 400, "Allowed: none, zstd, tar.gz, tar.zst, tar" },
        { "duplicate formats", """{"formats":["csv","csv"]}""", 400, "csv is listed 2 times" },
        { "too many formats", """{"formats":["csv","json","jsonl","markdown","json"]}""", 400, "at most 4 fit in one export" },
        { "from after to", """{"format":"json","filters":{"from":"2026-05-01T00:00:00Z","to":"2026-04-01T00:00:00Z"}}""", 400, "'from' must not be later than 'to'" },
        { "date that is not a date", """{"format":"json","filters":{"from":"yesterday"}}""", 400, "$.filters.from" },
        { "path traversal as session id", """{"format":"json","filters":{"sessionIds":["../../etc/passwd"]}}""", 400, "is not a session id" },
        { "unknown session id", """{"format":"json","filters":{"sessionIds":["3f2504e0-4f89-41d3-9a0c-0305e82c3301"]}}""", 400, "No session has the id" },
        { "over-long search", "{\"format\":\"json\",\"filters\":{\"search\":\"" + new string('a', 600) + "\"}}", 400, "at most 500 are allowed" },
        { "boolean as text", """{"format":"json","options":{"includeMessages":"yes"}}""", 400, "$.options.includeMessages" },
        { "malformed json", """{"format":"json",""", 400, "not a valid export request" },
        { "json array", """["json"]""", 400, "not a valid export request" },
        { "json null", "null", 400, "JSON null" },
        { "deeply nested json", new string('[', 2000) + new string(']', 2000), 400, "not a valid export request" },
        { "control characters in format", "{\"format\":\"js\\u0000on\"}", 400, "Unknown format" },
    };

    [Theory]
    [MemberData(nameof(ExportBodies))]
    public async Task A_hostile_export_request_is_refused_with_a_clear_problem_and_writes_nothing(string name, string body, int status, string expected)
    {
        using var response = await Client.PostAsync("/api/v1/export", new StringContent(body, Encoding.UTF8, "application/json"));

        await AssertProblemAsync(response, status, expected, name);
        await using var db = App.CreateDbContext();
        Assert.Equal(0, await db.ExportJobs().CountAsync());
    }

    [Fact]
    public async Task A_huge_export_request_body_is_refused_as_too_large()
    {
        var body = "{\"format\":\"json\",\"filters\":{\"tags\":[" + string.Join(',', Enumerable.Repeat("\"" + new string('t', 100) + "\"", 20_000)) + "]}}";

        using var response = await Client.PostAsync("/api/v1/export", new StringContent(body, Encoding.UTF8, "application/json"));

        await AssertProblemAsync(response, 413, "at most 1,048,576 bytes", "huge body");
    }

    [Fact]
    public async Task An_export_request_that_is_not_json_is_refused_as_unsupported()
    {
        using var response = await Client.PostAsync("/api/v1/export", new StringContent("format=json", Encoding.UTF8, "application/x-www-form-urlencoded"));

        await AssertProblemAsync(response, 415, "Content-Type: application/json", "form body");
    }

    [Theory]
    [InlineData("GET", "/api/v1/export/not-a-guid", 400, "is not a valid export id")]
    [InlineData("GET", "/api/v1/export/..%2F..%2Fetc%2Fpasswd", 400, "is not a valid export id")]
    [InlineData("GET", "/api/v1/export/..%2F..%2Fetc%2Fpasswd/download", 400, "is not a valid export id")]
    [InlineData("GET", "/api/v1/export/3f2504e0-4f89-41d3-9a0c-0305e82c3301", 404, "There is no export with id")]
    [InlineData("GET", "/api/v1/export/3f2504e0-4f89-41d3-9a0c-0305e82c3301/download?decompress=true", 404, "There is no export with id")]
    [InlineData("POST", "/api/v1/export/%20/cancel", 400, "is not a valid export id")]
    [InlineData("PUT", "/api/v1/export", 405, "PUT is not supported")]
    [InlineData("GET", "/api/v1/nothing-here", 404, "There is no API endpoint")]
    [InlineData("DELETE", "/api/v1/export/1%20OR%201=1", 400, "is not a valid export id")]
    [InlineData("GET", "/api/v1/export?page=0", 400, "pages start at 1")]
    [InlineData("GET", "/api/v1/export?pageSize=100000", 400, "from 1 to 200")]
    [InlineData("GET", "/api/v1/sessions?pageSize=-1", 400, "from 1 to 200")]
    public async Task A_hostile_id_or_paging_value_is_refused_with_a_clear_problem(string method, string url, int status, string expected)
    {
        using var response = await Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));

        await AssertProblemAsync(response, status, expected, url);
    }

    public static TheoryData<string, byte[], int, string> ImportBodies => new()
    {
        { "malformed json", "{\"version\":1,\"sessions\":[{\"id\":"u8.ToArray(), 400, "Nothing was imported" },
        { "not an export", "hello, world"u8.ToArray(), 400, "not an ExportStudio export" },
        { "malformed json lines", Encoding.UTF8.GetBytes(Line(Guid.NewGuid()) + "\n" + Line(Guid.NewGuid()) + "\n{\"id\": broken\n"), 400, "Nothing was imported" },
        { "duplicate session ids", Encoding.UTF8.GetBytes(Line(SameId) + "\n" + Line(SameId) + "\n"), 400, "appears more than once" },
        { "unknown role", Encoding.UTF8.GetBytes(Line(Guid.NewGuid(), role: "robot") + "\n"), 400, "robot" },
        { "invalid UTF-16 in content", Encoding.UTF8.GetBytes(Line(Guid.NewGuid(), content: "\\ud800 lone surrogate") + "\n"), 400, "Nothing was imported" },
        { "raw control character in a string", Encoding.UTF8.GetBytes(Line(Guid.NewGuid(), content: "bell\u0007") + "\n"), 400, "Nothing was imported" },
        { "corrupted zstd", CorruptZstd(), 400, "damaged" },
        { "truncated zstd", Truncated(Zstd(Encoding.UTF8.GetBytes(Line(Guid.NewGuid()) + "\n"))), 400, "damaged" },
        { "decompression bomb", Zstd([.. "{\"version\":1,\"sessions\":["u8, .. Enumerable.Repeat((byte)' ', 5_000_000)]), 413, "MaxImportBytes" },
        { "oversized upload", new byte[300_000], 413, "MaxImportBytes" },
    };

    private static readonly Guid SameId = Guid.NewGuid();

    [Theory]
    [MemberData(nameof(ImportBodies))]
    public async Task A_hostile_import_is_refused_with_a_clear_problem_and_nothing_is_written(string name, byte[] body, int status, string expected)
    {
        await using var before = App.CreateDbContext();
        var sessions = await before.Sessions.CountAsync();
        var messages = await before.Messages.CountAsync();

        using var response = await Client.PostAsync("/api/v1/import", new ByteArrayContent(body));

        await AssertProblemAsync(response, status, expected, name);
        await using var after = App.CreateDbContext();
        Assert.Equal(sessions, await after.Sessions.CountAsync());
        Assert.Equal(messages, await after.Messages.CountAsync());
    }

    public static TheoryData<string> GrowingPastTheLimit => ["json lines", "document then blank space"];

    [Theory]
    [MemberData(nameof(GrowingPastTheLimit))]
    public async Task A_valid_upload_that_grows_past_the_limit_while_it_is_read_imports_nothing(string shape)
    {
        await using var before = App.CreateDbContext();
        var sessions = await before.Sessions.CountAsync();
        // Whole, valid sessions from the first byte, which the import reads while the rest still arrives; sent
        // without a length, so only the bytes themselves show the upload is too large. A document's reader
        // is done at its closing brace, long before the blank space after it passes the limit.
        var body = Encoding.UTF8.GetBytes(shape == "json lines"
            ? string.Concat(Enumerable.Range(0, 3000).Select(_ => Line(Guid.NewGuid()) + "\n"))
            : "{\"version\":1,\"sessions\":[" + string.Join(",", Enumerable.Range(0, 3).Select(_ => Line(Guid.NewGuid()))) + "]}" + new string(' ', 300_000));
        Assert.True(body.Length > 200_000);

        using var response = await Client.PostAsync("/api/v1/import", new LengthlessContent(body));

        await AssertProblemAsync(response, 413, "MaxImportBytes", shape);
        await using var after = App.CreateDbContext();
        Assert.Equal(sessions, await after.Sessions.CountAsync());
    }

    /// <summary>A body sent in pieces without a Content-Length, as a client streaming a file of unknown size does.</summary>
    private sealed class LengthlessContent(byte[] body) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            foreach (var piece in body.Chunk(16 << 10))
            {
                await stream.WriteAsync(piece);
                await stream.FlushAsync();
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    public static TheoryData<string, string, string, string> MultipartBodies => new()
    {
        { "boundary that is not the body's", "multipart/form-data; boundary=abc", Part("xyz", Line(Guid.NewGuid())) + "--xyz--\r\n", "does not use the boundary its Content-Type names ('abc')" },
        { "boundary that only starts like the body's", "multipart/form-data; boundary=abcdef", Part("abc", Line(Guid.NewGuid())) + "--abc--\r\n", "does not use the boundary its Content-Type names" },
        { "body cut inside the file", "multipart/form-data; boundary=abc", Part("abc", Line(Guid.NewGuid()))[..^30], "ends inside the file, before the closing boundary '--abc--'" },
        { "no closing boundary", "multipart/form-data; boundary=abc", Part("abc", Line(Guid.NewGuid())), "ends inside the file" },
        { "headers only", "multipart/form-data; boundary=abc", "--abc\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jsonl\"\r\n", "ends after the file part's headers, before its content" },
        { "a header line without a colon", "multipart/form-data; boundary=abc", "--abc\r\nnot a header\r\n\r\nhello\r\n--abc--\r\n", "The multipart body is malformed (Invalid header line: not a header)" },
        { "unterminated quoted boundary", "multipart/form-data; boundary=\"abc", Part("abc", Line(Guid.NewGuid())) + "--abc--\r\n", "has no boundary that can be read from its Content-Type" },
    };

    [Theory]
    [MemberData(nameof(MultipartBodies))]
    public async Task A_malformed_multipart_upload_is_refused_naming_the_problem(string name, string contentType, string body, string expected)
    {
        await using var before = App.CreateDbContext();
        var sessions = await before.Sessions.CountAsync();
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        using var response = await Client.PostAsync("/api/v1/import", content);

        await AssertProblemAsync(response, 400, expected, name);
        await using var after = App.CreateDbContext();
        Assert.Equal(sessions, await after.Sessions.CountAsync());
    }

    [Fact]
    public async Task A_failure_inside_the_server_is_a_problem_without_internals_and_with_the_security_headers()
    {
        await using (var db = App.CreateDbContext())
        {
            // The database breaks under the running app: the next read of job history fails inside the server.
            await db.Database.ExecuteSqlRawAsync("DROP TABLE ExportJobs");
        }

        using var response = await Client.GetAsync("/api/v1/export");

        var text = await response.Content.ReadAsStringAsync();
        await AssertProblemAsync(response, 500, "The server failed while answering GET /api/v1/export", "broken database");
        Assert.Contains("trace id", text);
        foreach (var internals in new[] { "SqliteException", "no such table", "ExportJobs", "   at ", "Microsoft." })
        {
            Assert.DoesNotContain(internals, text);
        }
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
    }

    private static string Part(string boundary, string content) =>
        $"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"export.jsonl\"\r\nContent-Type: application/octet-stream\r\n\r\n{content}\n\r\n";

    private static string Line(Guid id, string role = "user", string content = "hello") =>
        $$"""{"id":"{{id}}","title":"t","createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z","model":"m","tags":[],"metadata":{},"messages":[{"id":"{{Guid.NewGuid()}}","role":"{{role}}","content":"{{content}}","createdAt":"2026-01-01T00:00:00Z","toolCalls":[]}]}""";

    private static byte[] Zstd(byte[] content)
    {
        using var output = new MemoryStream();
        using (var compressor = new ZstdSharp.CompressionStream(output, 3, leaveOpen: true))
        {
            compressor.SetParameter(ZstdSharp.Unsafe.ZSTD_cParameter.ZSTD_c_checksumFlag, 1);
            compressor.Write(content);
        }
        return output.ToArray();
    }

    private static byte[] CorruptZstd()
    {
        var bytes = Zstd(Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 200).Select(_ => Line(Guid.NewGuid()) + "\n"))));
        bytes[bytes.Length / 2] ^= 0x5A;
        return bytes;
    }

    private static byte[] Truncated(byte[] bytes) => bytes[..(bytes.Length - 7)];

    private static async Task AssertProblemAsync(HttpResponseMessage response, int status, string expected, string name)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"{name}: expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(text);
        Assert.Contains(expected, text);
        Assert.True(problem.RootElement.TryGetProperty("title", out _), $"{name}: no title in {text}");
    }
}
