using Microsoft.Playwright;
using Xunit.Abstractions;

namespace ExportStudio.Tests.EndToEnd;

/// <summary>A person's whole path in a real Chromium: choose, export, watch, find it in History, download both ways.</summary>
public sealed class ExportInBrowserTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_zstd_export_at_level_5_runs_live_appears_in_history_and_downloads_as_stored_and_original()
    {
        await using var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = browser.App.Address.ToString(),
            AcceptDownloads = true,
            ViewportSize = new ViewportSize { Width = 1400, Height = 1000 },
        });
        var problems = new List<string>();
        void Watch(IPage page)
        {
            page.Console += (_, message) =>
            {
                if (message.Type == "error")
                {
                    problems.Add(message.Text);
                }
            };
            page.PageError += (_, error) => problems.Add(error);
        }

        // History is open in another tab from the start: its new row must arrive without a reload.
        var history = await context.NewPageAsync();
        Watch(history);
        await history.GotoAsync("/history");
        await WaitForCircuitAsync(history);

        var page = await context.NewPageAsync();
        Watch(page);
        await page.GotoAsync("/");
        await WaitForCircuitAsync(page);
        await Expect(page.GetByTestId("estimate")).ToContainTextAsync("40 sessions", new() { Timeout = 30_000 });

        // Formats: JSON only (chosen by default); a second format would make an archive.
        await Expect(page.GetByTestId("format-json")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mud-chip-selected"));

        await page.GetByTestId("enable-compression").ClickAsync();
        await page.GetByTestId("card-zstd").ClickAsync();
        await Expect(page.GetByTestId("level-label")).ToHaveTextAsync("Compression Level: 3");
        var slider = page.Locator("[data-testid=level-slider] input[type=range], input[type=range][data-testid=level-slider]").First;
        await slider.FocusAsync();
        await slider.PressAsync("Home");
        for (var i = 0; i < 4; i++)
        {
            await slider.PressAsync("ArrowRight");
        }
        await Expect(page.GetByTestId("level-label")).ToHaveTextAsync("Compression Level: 5");
        await Expect(page.GetByTestId("level-hint")).ToContainTextAsync("Balanced speed and size");
        await Expect(page.GetByTestId("recommendation-text")).ToContainTextAsync("Recommended:");

        await page.GetByTestId("start-export").ClickAsync();
        await Expect(page.GetByTestId("result-card")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(page.GetByTestId("result-file")).ToContainTextAsync(".json.zst");
        var view = await page.GetByTestId("result-card").GetByTestId("view").GetAttributeAsync("href");
        Assert.Matches("^/view/[0-9a-f-]{36}$", view);
        await page.ScreenshotIfWantedAsync("export.png");

        // The History tab updated itself.
        var row = history.Locator("[data-testid=history-table] tbody tr").First;
        await Expect(row.GetByTestId("status")).ToHaveTextAsync("completed", new() { Timeout = 30_000 });
        await Expect(row.GetByTestId("compression-badge")).ToContainTextAsync("zstd · 5");
        await Expect(row.GetByTestId("compressed-size")).ToContainTextAsync("% smaller");
        await history.ScreenshotIfWantedAsync("history.png");

        var stored = await DownloadAsync(history, row.GetByTestId("download-zst"));
        var original = await DownloadAsync(history, row.GetByTestId("download-original"));
        Assert.EndsWith(".json.zst", stored.Name);
        Assert.EndsWith(".json", original.Name);

        await ExternalTool.RunAsync("zstd", ["-t", "-q", stored.Path]);
        var decompressed = stored.Path + ".out";
        await ExternalTool.RunAsync("zstd", ["-d", "-q", "-f", stored.Path, "-o", decompressed]);
        Assert.Equal(await File.ReadAllBytesAsync(decompressed), await File.ReadAllBytesAsync(original.Path));
        using var document = JsonDocument.Parse(await File.ReadAllBytesAsync(original.Path));
        Assert.Equal(40, document.RootElement.GetProperty("sessionCount").GetInt32());
        Assert.Equal(5, document.RootElement.GetProperty("options").GetProperty("compressionLevel").GetInt32());

        // View, in the row as on the result card, opens the viewer on this export.
        await Expect(row.GetByTestId("view")).ToHaveAttributeAsync("href", view!);
        await row.GetByTestId("view").ClickAsync();
        await Expect(history.GetByTestId("viewer")).ToHaveAttributeAsync("data-state", "done", new() { Timeout = 60_000 });
        await Expect(history.GetByTestId("viewer-count")).ToContainTextAsync("of 40 sessions");

        output.WriteLine(string.Join(Environment.NewLine, problems));
        Assert.Empty(problems.Where(p => p.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) || p.Contains("Error", StringComparison.Ordinal)));
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    /// <summary>The page is interactive once Blazor's circuit has started (prerendered HTML looks the same but does nothing).</summary>
    private static async Task WaitForCircuitAsync(IPage page) =>
        await page.WaitForSelectorAsync("[data-interactive=true]", new() { Timeout = 30_000 });

    private async Task<(string Name, string Path)> DownloadAsync(IPage page, ILocator link)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => link.ClickAsync());
        var path = System.IO.Path.Combine(browser.DownloadDirectory, download.SuggestedFilename);
        await download.SaveAsAsync(path);
        Assert.Null(await download.FailureAsync());
        return (download.SuggestedFilename, path);
    }
}
