using Microsoft.Playwright;
using static ExportStudio.Tests.EndToEnd.Viewer.ViewerTestKit;

namespace ExportStudio.Tests.EndToEnd.Viewer;

/// <summary>
/// The HTML transcript as a person gets it: exported through the API, saved to disk and opened from there in
/// Chromium (no server, so no policy of ours): every session and message is there, and nothing in it runs.
/// </summary>
public sealed class HtmlExportInBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task The_html_export_opened_from_disk_shows_every_session_and_message_and_runs_nothing()
    {
        using var client = browser.App.CreateClient();
        await ImportAsync(client, [HtmlHostileSessions.Default]);
        var jobId = (await ExportAsync(client, new { format = "html", options = new { compressionFormat = "zstd" } })).GetProperty("jobId").GetGuid();
        var stored = Path.Combine(browser.DownloadDirectory, $"export_{jobId}.html.zst");
        await File.WriteAllBytesAsync(stored, await client.GetByteArrayAsync($"/api/v1/export/{jobId}/download"));
        var file = Path.Combine(browser.DownloadDirectory, $"export_{jobId}.html");
        await ExternalTool.RunAsync("zstd", ["-d", "-q", "-f", stored, "-o", file]);
        var sessions = await SessionsAsync(browser.DatabasePath);

        foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
        {
            await using var context = await browser.Browser.NewContextAsync(new() { ColorScheme = scheme, ViewportSize = new ViewportSize { Width = 1200, Height = 900 } });
            var page = await context.NewPageAsync();
            var dialogs = new List<string>();
            var errors = new List<string>();
            page.Dialog += async (_, dialog) => { dialogs.Add(dialog.Message); await dialog.DismissAsync(); };
            page.PageError += (_, error) => errors.Add(error);
            await page.GotoAsync(new Uri(file).AbsoluteUri);

            await Assertions.Expect(page.Locator("main > section.session")).ToHaveCountAsync(sessions.Count);
            await Assertions.Expect(page.Locator("nav#contents li a")).ToHaveCountAsync(sessions.Count);
            var titles = await page.Locator("main > section.session > h2").AllInnerTextsAsync();
            Assert.Equal(sessions.Select(s => s.Title.Trim()), titles.Select(t => t.Trim()));
            for (var i = 0; i < sessions.Count; i++)
            {
                var texts = await page.Locator("main > section.session").Nth(i).Locator(".msg .text").AllInnerTextsAsync();
                Assert.Equal(sessions[i].Messages.Select(m => Expected(m.Content, markdown: false)), texts.Select(Rendered));
            }

            // Hostile content is inert: nothing ran, nothing became markup, no link leaves the file.
            Assert.Empty(dialogs);
            Assert.Empty(errors);
            Assert.Null(await page.EvaluateAsync<string?>("() => window.__pwned ?? null"));
            Assert.Equal(0, await page.Locator("script, img, iframe, svg, object, embed, form, b, i").CountAsync());
            var links = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))");
            Assert.All(links, href => Assert.StartsWith("#", href));
            Assert.DoesNotContain(links, href => href.Contains("javascript", StringComparison.OrdinalIgnoreCase));
            var hostile = page.Locator($"#s-{HtmlHostileSessions.Default.Id}");
            await Assertions.Expect(hostile.Locator("h2")).ToHaveTextAsync(HtmlHostileSessions.HostileTitle);
            await Assertions.Expect(hostile.Locator(".msg .text").First).ToHaveTextAsync(HtmlHostileSessions.Attacks[0]);

            // The table of contents leads to its section, and the page works in both colour schemes.
            await page.Locator("nav#contents li a").Last.ClickAsync();
            Assert.EndsWith($"#s-{sessions[^1].Id}", page.Url);
            var violations = await Axe.ViolationsAsync(page);
            Assert.True(violations.Count == 0, $"axe, {scheme}:\n" + string.Join('\n', violations));
            if (scheme == ColorScheme.Light && BrowserPages.ScreenshotsWanted)
            {
                await page.Locator($"#s-{HtmlHostileSessions.Default.Id} details").First.Locator("summary").ClickAsync();
                await page.EvaluateAsync("id => document.getElementById(id).scrollIntoView()", $"s-{HtmlHostileSessions.Default.Id}");
                await page.ScreenshotAsync(new() { Path = BrowserPages.ScreenshotPath("html-export.png") });
            }
        }
    }
}
