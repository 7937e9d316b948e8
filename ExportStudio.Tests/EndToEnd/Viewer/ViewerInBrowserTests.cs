using System.Security.Cryptography;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static ExportStudio.Tests.EndToEnd.Viewer.ViewerTestKit;

namespace ExportStudio.Tests.EndToEnd.Viewer;

/// <summary>
/// The viewer and the in-browser Original in a real Chromium: the browser fetches the file as stored and
/// decompresses it itself; what it shows is compared with the database, and no request asks the server to
/// decompress.
/// </summary>
public sealed class ViewerInBrowserTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    [Theory]
    [InlineData("json", "zstd")]
    [InlineData("json", "tar.gz")]
    [InlineData("csv+jsonl+markdown", "tar.zst")]
    public async Task The_viewer_lists_every_session_and_shows_them_as_the_database_holds_them(string formats, string compression)
    {
        using var client = browser.App.CreateClient();
        await ImportAsync(client, [HtmlHostileSessions.Default]);
        var jobId = (await ExportAsync(client, new { formats = formats.Split('+'), options = new { compressionFormat = compression } })).GetProperty("jobId").GetGuid();
        var sessions = await SessionsAsync(browser.DatabasePath);
        await using var context = await NewContextAsync();
        var requests = RecordRequests(context);
        var page = await context.NewPageAsync();
        var dialogs = new List<string>();
        page.Dialog += async (_, dialog) => { dialogs.Add(dialog.Message); await dialog.DismissAsync(); };

        await OpenViewerAsync(page, jobId);
        await Expect(page.GetByTestId("viewer-count")).ToHaveTextAsync($"Showing 1–{Math.Min(50, sessions.Count)} of {sessions.Count} sessions");
        await Expect(page.GetByTestId("session-row")).ToHaveCountAsync(Math.Min(50, sessions.Count));
        if (compression == "tar.zst")
        {
            var entries = page.GetByTestId("archive-entry");
            await Expect(entries).ToHaveCountAsync(3);
            await Expect(entries.Filter(new() { HasText = ".jsonl" })).ToContainTextAsync("listed below");
            await Expect(entries.Filter(new() { HasText = ".csv" })).ToContainTextAsync("not a session document");
        }

        // The first, the last, and the one whose text is an attack.
        foreach (var session in new[] { sessions[0], sessions[^1], sessions.Single(s => s.Id == HtmlHostileSessions.Default.Id) })
        {
            await OpenSessionAsync(page, session);
            await AssertTranscriptAsync(page, session);
        }

        // Nothing from the content ran: no dialog, no script's mark, no markup, links only to web addresses.
        Assert.Empty(dialogs);
        Assert.Null(await page.EvaluateAsync<string?>("() => window.__pwned ?? null"));
        Assert.Equal(0, await page.Locator("[data-testid=viewer] :is(script, img, iframe, svg, object, embed, b, i)").CountAsync());
        var links = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('[data-testid=transcript] a')].map(a => a.href)");
        Assert.Equal(["https://example.org/a?b=1&c=2"], links);

        Assert.DoesNotContain(requests, r => r.Contains("decompress", StringComparison.OrdinalIgnoreCase));
        Assert.Single(requests, r => r.Contains($"/api/v1/export/{jobId}/download", StringComparison.Ordinal));
        output.WriteLine(string.Join('\n', requests.Where(r => r.Contains("/api/", StringComparison.Ordinal))));
    }

    [Fact]
    public async Task The_viewer_page_passes_axe_in_both_themes_and_works_from_the_keyboard()
    {
        using var client = browser.App.CreateClient();
        await ImportAsync(client, [HtmlHostileSessions.Default]);
        var jobId = (await ExportAsync(client, new { format = "json", options = new { compressionFormat = "zstd" } })).GetProperty("jobId").GetGuid();
        var session = (await SessionsAsync(browser.DatabasePath)).Single(s => s.Id == HtmlHostileSessions.Default.Id);

        foreach (var theme in new[] { "light", "dark" })
        {
            await using var context = await NewContextAsync();
            await context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = "exportstudio-theme", Value = theme, Url = browser.App.Address.ToString() }]);
            var page = await context.NewPageAsync();
            await OpenViewerAsync(page, jobId);
            Assert.Equal(1, await page.Locator("h1").CountAsync());

            // Keyboard only: the search box by its label, the first row, Enter; focus lands on the transcript.
            await page.GetByLabel("Search titles, models, tags and ids").FocusAsync();
            await page.Keyboard.TypeAsync(session.Id.ToString());
            await Expect(page.GetByTestId("session-row")).ToHaveCountAsync(1);
            await page.Keyboard.PressAsync("Tab");
            await page.Keyboard.PressAsync("Enter");
            await Expect(page.GetByTestId("transcript-title")).ToBeFocusedAsync();
            await page.Locator("[data-testid=transcript] details summary").First.FocusAsync();
            await page.Keyboard.PressAsync("Enter");
            if (theme == "light")
            {
                await page.ScreenshotIfWantedAsync("viewer.png");
            }

            Assert.Equal(1, await page.Locator("main").CountAsync());
            var violations = await Axe.ViolationsAsync(page);
            Assert.True(violations.Count == 0, $"axe, {theme} theme:\n" + string.Join('\n', violations));
        }
    }

    [Fact]
    public async Task Original_in_a_browser_without_zstd_is_decompressed_by_the_browser_and_saved_byte_for_byte()
    {
        using var client = browser.App.CreateClient();
        var jobId = (await ExportAsync(client, new { format = "json", options = new { compressionFormat = "zstd", compressionLevel = 5 } })).GetProperty("jobId").GetGuid();
        var stored = Path.Combine(browser.DownloadDirectory, $"{jobId}.json.zst");
        await File.WriteAllBytesAsync(stored, await client.GetByteArrayAsync($"/api/v1/export/{jobId}/download"));
        await ExternalTool.RunAsync("zstd", ["-d", "-q", "-f", stored, "-o", stored + ".json"]);
        var expected = await File.ReadAllBytesAsync(stored + ".json");

        // A browser that does not list zstd in Accept-Encoding, first without the save dialog (a Blob download)…
        await using var context = await NewContextAsync(new Dictionary<string, string> { ["Accept-Encoding"] = "gzip, deflate, br" });
        var requests = RecordRequests(context);
        var page = await context.NewPageAsync();
        await page.AddInitScriptAsync("delete Window.prototype.showSaveFilePicker; delete window.showSaveFilePicker;");
        var original = await OpenOriginalAsync(page, jobId);
        var download = await page.RunAndWaitForDownloadAsync(() => original.ClickAsync());
        var saved = Path.Combine(browser.DownloadDirectory, "blob-" + download.SuggestedFilename);
        await download.SaveAsAsync(saved);
        Assert.Equal($"export_{jobId}.json", download.SuggestedFilename);
        Assert.Equal(expected, await File.ReadAllBytesAsync(saved));
        await Expect(page.GetByTestId("original-status")).ToContainTextAsync("decompressed in your browser", new() { Timeout = 30_000 });

        // …then where the browser offers a file to write to (here one in the origin's private file system,
        // the same writable stream a save dialog gives).
        var picker = await context.NewPageAsync();
        await picker.AddInitScriptAsync("window.showSaveFilePicker = async ({ suggestedName }) => (await navigator.storage.getDirectory()).getFileHandle(suggestedName, { create: true });");
        await (await OpenOriginalAsync(picker, jobId)).ClickAsync();
        await Expect(picker.GetByTestId("original-status")).ToContainTextAsync("saved", new() { Timeout = 30_000 });
        var written = await picker.EvaluateAsync<string>("""
            async (name) => {
              const file = await (await (await navigator.storage.getDirectory()).getFileHandle(name)).getFile();
              return [...new Uint8Array(await crypto.subtle.digest('SHA-256', await file.arrayBuffer()))].map(b => b.toString(16).padStart(2, '0')).join('');
            }
            """, $"export_{jobId}.json");
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(expected)), written);

        Assert.DoesNotContain(requests, r => r.Contains("decompress=true", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(2, requests.Count(r => r.EndsWith($"/api/v1/export/{jobId}/download", StringComparison.Ordinal)));
    }

    private Task<IBrowserContext> NewContextAsync(Dictionary<string, string>? headers = null) => browser.Browser.NewContextAsync(new BrowserNewContextOptions
    {
        BaseURL = browser.App.Address.ToString(),
        AcceptDownloads = true,
        ViewportSize = new ViewportSize { Width = 1400, Height = 1000 },
        ExtraHTTPHeaders = headers,
    });

    private static async Task OpenViewerAsync(IPage page, Guid jobId)
    {
        await page.GotoAsync($"/view/{jobId}");
        await Expect(page.GetByTestId("viewer")).ToHaveAttributeAsync("data-state", "done", new() { Timeout = 60_000 });
    }

    private static async Task<ILocator> OpenOriginalAsync(IPage page, Guid jobId)
    {
        await page.GotoAsync("/history");
        await page.WaitForFunctionAsync("() => document.documentElement.dataset.originalInBrowser === 'ready'");
        var link = page.Locator($"a[data-testid=download-original][href*='{jobId}']");
        await Expect(link).ToHaveAttributeAsync("data-decompress-in-browser", "zstd");
        return link;
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
