using System.Formats.Tar;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static ExportStudio.Tests.EndToEnd.Viewer.ViewerTestKit;

namespace ExportStudio.Tests.EndToEnd.Viewer;

/// <summary>
/// Per-session archives in the viewer, in a real Chromium. A zstd one (a plain tar of a frame per session,
/// with a dictionary) is read by ranges: the head for the manifest and dictionary, then exactly the opened
/// session's frame, decompressed in the browser. A tar.gz one is a solid stream, read as it arrives. What
/// is shown is compared with the database; no request asks the server to decompress.
/// </summary>
public sealed class ViewerPerSessionTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_per_session_zstd_archive_is_listed_from_its_manifest_and_each_session_fetched_alone_by_its_range()
    {
        using var client = browser.App.CreateClient();
        await ImportAsync(client, [HtmlHostileSessions.Default]);
        // Markdown beside JSON: the viewer must pick each session's JSON frame, not the first entry listed.
        var jobId = (await ExportAsync(client, new
        {
            formats = new[] { "json", "markdown" },
            options = new { compressionFormat = "zstd", layout = "per-session", dictionary = true },
        })).GetProperty("jobId").GetGuid();
        var manifest = await ManifestAsync(client, jobId);
        // The archive must really use a dictionary, or this would not test decoding with one.
        Assert.Equal(JsonValueKind.Object, manifest.GetProperty("dictionary").ValueKind);
        var sessions = await SessionsAsync(browser.DatabasePath);
        Assert.InRange(sessions.Count, 2, 50); // one page of the list, so every title is on screen

        await using var context = await NewContextAsync();
        var requests = RecordRequestsWithHeaders(context);
        var page = await context.NewPageAsync();
        await OpenViewerAsync(page, jobId);
        await Assertions.Expect(page.GetByTestId("viewer")).ToHaveAttributeAsync("data-layer", "zstd + tar");
        await Assertions.Expect(page.GetByTestId("viewer-count")).ToHaveTextAsync($"Showing 1–{sessions.Count} of {sessions.Count} sessions");
        Assert.Equal(Titles(sessions), (await page.Locator("[data-testid=session-row] .viewer-row-title").AllInnerTextsAsync()).Order(StringComparer.Ordinal));
        // Listing took only the head of the file: no session frame was fetched yet.
        var download = $"/api/v1/export/{jobId}/download";
        var listing = Snapshot(requests).Where(r => r.Url.EndsWith(download, StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(listing);
        Assert.All(listing, r => Assert.StartsWith("bytes=", r.Range));
        Assert.Equal("bytes=0-262143", listing[0].Range);

        foreach (var session in new[] { sessions[0], sessions.Single(s => s.Id == HtmlHostileSessions.Default.Id) })
        {
            var before = Snapshot(requests).Count;
            await OpenSessionAsync(page, session);
            await AssertTranscriptAsync(page, session);
            var entry = manifest.GetProperty("entries").EnumerateArray()
                .Single(e => e.GetProperty("sessionId").GetGuid() == session.Id && e.GetProperty("format").GetString() == "json");
            var (offset, size) = (entry.GetProperty("offset").GetInt64(), entry.GetProperty("storedSize").GetInt64());
            var opened = Snapshot(requests).Skip(before).Where(r => r.Url.EndsWith(download, StringComparison.Ordinal)).ToList();
            Assert.Equal([$"bytes={offset}-{offset + size - 1}"], opened.Select(r => r.Range));
        }

        Assert.DoesNotContain(Snapshot(requests), r => r.Url.Contains("decompress", StringComparison.OrdinalIgnoreCase));
        Assert.All(Snapshot(requests).Where(r => r.Url.Contains(download, StringComparison.Ordinal)), r => Assert.NotNull(r.Range));
        output.WriteLine(string.Join('\n', Snapshot(requests).Where(r => r.Url.Contains("/api/", StringComparison.Ordinal)).Select(r => $"{r.Url} {r.Range}")));
    }

    [Theory]
    [InlineData("tar.gz", "json", "gzip + tar")]
    [InlineData("tar.zst", "jsonl", "zstd + tar")]
    public async Task A_per_session_solid_archive_is_listed_and_opened_as_it_streams(string compression, string format, string layer)
    {
        using var client = browser.App.CreateClient();
        await ImportAsync(client, [HtmlHostileSessions.Default]);
        var jobId = (await ExportAsync(client, new
        {
            formats = new[] { format },
            options = new { compressionFormat = compression, layout = "per-session" },
        })).GetProperty("jobId").GetGuid();
        var sessions = await SessionsAsync(browser.DatabasePath);
        Assert.InRange(sessions.Count, 2, 50);

        await using var context = await NewContextAsync();
        var requests = RecordRequestsWithHeaders(context);
        var page = await context.NewPageAsync();
        await OpenViewerAsync(page, jobId);
        await Assertions.Expect(page.GetByTestId("viewer")).ToHaveAttributeAsync("data-layer", layer);
        await Assertions.Expect(page.GetByTestId("viewer-count")).ToHaveTextAsync($"Showing 1–{sessions.Count} of {sessions.Count} sessions");
        Assert.Equal(Titles(sessions), (await page.Locator("[data-testid=session-row] .viewer-row-title").AllInnerTextsAsync()).Order(StringComparer.Ordinal));
        await Assertions.Expect(page.GetByTestId("archive-entry").Filter(new() { HasText = "manifest.json" })).ToContainTextAsync("the list of sessions");

        var session = sessions.Single(s => s.Id == HtmlHostileSessions.Default.Id);
        await OpenSessionAsync(page, session);
        await AssertTranscriptAsync(page, session);

        Assert.DoesNotContain(Snapshot(requests), r => r.Url.Contains("decompress", StringComparison.OrdinalIgnoreCase));
        Assert.Single(Snapshot(requests), r => r.Url.EndsWith($"/api/v1/export/{jobId}/download", StringComparison.Ordinal));
    }

    /// <summary>
    /// A manifest and dictionary larger than the first request (here a head of 600 bytes): the reader fetches
    /// exactly the rest of the manifest, then of the dictionary, each by one more Range request, and a session
    /// still opens from its own frame.
    /// </summary>
    [Fact]
    public async Task A_manifest_longer_than_the_head_is_completed_by_further_ranges()
    {
        using var client = browser.App.CreateClient();
        var jobId = (await ExportAsync(client, new
        {
            formats = new[] { "json" },
            options = new { compressionFormat = "zstd", layout = "per-session", dictionary = true },
        })).GetProperty("jobId").GetGuid();
        var manifest = await ManifestAsync(client, jobId);
        var dictionary = manifest.GetProperty("dictionary");
        var dictionaryEnd = dictionary.GetProperty("offset").GetInt64() + dictionary.GetProperty("size").GetInt64();
        var last = manifest.GetProperty("entries").EnumerateArray().Last();
        var sessions = await SessionsAsync(browser.DatabasePath);

        await using var context = await NewContextAsync();
        var requests = RecordRequestsWithHeaders(context);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        var result = await page.EvaluateAsync<JsonElement>("""
            async (url) => {
              const { FramedArchiveReader } = await import('/js/viewer/framed-archive.js');
              const reader = new FramedArchiveReader({ url, headBytes: 600 });
              const listed = await new Promise((resolve, reject) => {
                const entries = [];
                reader.start({ layer() {}, entry() {}, header() {}, progress() {}, sessions: (batch) => entries.push(...batch), done: () => resolve(entries), error: reject });
              });
              const session = await reader.read(listed[listed.length - 1]);
              return { count: listed.length, id: session.id, messages: session.messages.length };
            }
            """, $"/api/v1/export/{jobId}/download");

        Assert.Equal(sessions.Count, result.GetProperty("count").GetInt32());
        Assert.Equal(last.GetProperty("sessionId").GetGuid(), result.GetProperty("id").GetGuid());
        Assert.Equal(sessions.Single(s => s.Id == result.GetProperty("id").GetGuid()).Messages.Count, result.GetProperty("messages").GetInt32());
        var manifestEnd = 512 + (await ManifestLengthAsync(client, jobId));
        var (offset, size) = (last.GetProperty("offset").GetInt64(), last.GetProperty("storedSize").GetInt64());
        Assert.Equal(
            ["bytes=0-599", $"bytes=600-{manifestEnd - 1}", $"bytes={manifestEnd}-{dictionaryEnd - 1}", $"bytes={offset}-{offset + size - 1}"],
            Snapshot(requests).Where(r => r.Url.EndsWith($"/api/v1/export/{jobId}/download", StringComparison.Ordinal)).Select(r => r.Range));
    }

    /// <summary>The length of manifest.json, from its tar header.</summary>
    private static async Task<long> ManifestLengthAsync(HttpClient client, Guid jobId)
    {
        await using var stored = new MemoryStream(await client.GetByteArrayAsync($"/api/v1/export/{jobId}/download"));
        await using var tar = new TarReader(stored);
        return (await tar.GetNextEntryAsync())!.Length;
    }

    private static IEnumerable<string> Titles(IEnumerable<ChatSession> sessions) =>
        sessions.Select(s => string.IsNullOrEmpty(s.Title) ? "(untitled)" : s.Title).Order(StringComparer.Ordinal);

    /// <summary>The archive's manifest.json, read here from the stored file (its first tar entry).</summary>
    private static async Task<JsonElement> ManifestAsync(HttpClient client, Guid jobId)
    {
        await using var stored = new MemoryStream(await client.GetByteArrayAsync($"/api/v1/export/{jobId}/download"));
        await using var tar = new TarReader(stored);
        var first = (await tar.GetNextEntryAsync())!;
        Assert.Equal("manifest.json", first.Name);
        using var json = await JsonDocument.ParseAsync(first.DataStream!);
        return json.RootElement.Clone();
    }

    private sealed record Recorded(string Url, string? Range);

    /// <summary>
    /// Every request of the context (its pages and workers) with its Range header. The headers the page set
    /// are on the request as Playwright reports it, so the handler needs no round trip to the browser.
    /// </summary>
    private static List<Recorded> RecordRequestsWithHeaders(IBrowserContext context)
    {
        var requests = new List<Recorded>();
        context.Request += (_, request) =>
        {
            lock (requests)
            {
                requests.Add(new Recorded(request.Url, request.Headers.TryGetValue("range", out var range) ? range : null));
            }
        };
        return requests;
    }

    private static List<Recorded> Snapshot(List<Recorded> requests)
    {
        lock (requests)
        {
            return [.. requests];
        }
    }

    private Task<IBrowserContext> NewContextAsync() => browser.Browser.NewContextAsync(new BrowserNewContextOptions
    {
        BaseURL = browser.App.Address.ToString(),
        ViewportSize = new ViewportSize { Width = 1400, Height = 1000 },
    });

    private static async Task OpenViewerAsync(IPage page, Guid jobId)
    {
        await page.GotoAsync($"/view/{jobId}");
        await Assertions.Expect(page.GetByTestId("viewer")).ToHaveAttributeAsync("data-state", "done", new() { Timeout = 60_000 });
    }
}
