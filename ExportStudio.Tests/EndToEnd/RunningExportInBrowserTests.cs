using Microsoft.Playwright;
using Xunit.Abstractions;
using static ExportStudio.Tests.EndToEnd.BrowserPages;

namespace ExportStudio.Tests.EndToEnd;

/// <summary>Exports big enough to watch: progress that tells the truth, found again after a reload, cancelled; axe over the progress panel.</summary>
public sealed class RunningExportInBrowserTests(LargeDataBrowserFixture browser, ITestOutputHelper output) : IClassFixture<LargeDataBrowserFixture>
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_running_bundle_counts_real_sessions_survives_a_reload_and_passes_axe(bool dark)
    {
        await using var context = await browser.NewContextAsync(dark);
        var page = await context.OpenAsync("/");
        await Expect(page.GetByTestId("estimate")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        var sessions = (await page.GetByTestId("estimate").Locator("b").First.TextContentAsync())!;
        foreach (var format in new[] { "jsonl", "csv", "markdown" })
        {
            await page.GetByTestId($"format-{format}").ClickAsync();
        }
        await page.GetByTestId("enable-compression").ClickAsync(); // tar.gz: spooled, so nothing is "written" until it compresses
        await RecordProgressTextsAsync(page);

        await page.GetByTestId("start-export").ClickAsync();
        await Expect(page.GetByTestId("progress-region")).ToBeFocusedAsync(new() { Timeout = 30_000 });
        await ShownAsync(page, "progress-detail", $"of {sessions} sessions");
        await ShownAsync(page, "progress-bytes", "counted once it is being compressed");
        await Expect(page.GetByTestId("export-announcement")).ToHaveTextAsync("Export started.");
        var violations = await Axe.ViolationsAsync(page);

        await page.ReloadAsync();
        await WaitForCircuitAsync(page);
        // Found again after the reload: still running, or (forty sessions are quick once the code is warm)
        // already shown as its result.
        await Expect(page.GetByTestId("progress-panel").Or(page.GetByTestId("result-card"))).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(page.GetByTestId("format-markdown")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mud-chip-selected"));
        if (!dark)
        {
            await page.ScreenshotIfWantedAsync("export-running.png");
        }

        // Forty sessions export in about a second once the code is warm: the run may end between the check
        // above and the click. Either it is cancelled, or it is shown completed — never lost.
        var cancel = page.GetByTestId("cancel");
        if (await cancel.IsVisibleAsync())
        {
            try
            {
                await cancel.ClickAsync(new() { Timeout = 5_000 });
            }
            catch (TimeoutException)
            {
                // The button went with the run's end while the click was on its way.
            }
        }
        await Expect(page.GetByTestId("result-problem").Or(page.GetByTestId("result-card"))).ToBeVisibleAsync(new() { Timeout = 60_000 });
        if (await page.GetByTestId("result-problem").IsVisibleAsync())
        {
            await Expect(page.GetByTestId("result-problem")).ToContainTextAsync("cancelled");
        }
        output.WriteLine(string.Join(Environment.NewLine, violations));
        Assert.Empty(violations);
    }

    /// <summary>
    /// Records every text the progress panel shows. Progress comes every 100 ms, but an expectation polls
    /// the page once a second after its first tries: a writing stage shorter than that went unseen.
    /// </summary>
    private static Task RecordProgressTextsAsync(IPage page) => page.EvaluateAsync("""
        () => {
            window.progressTexts = [];
            const record = () => document.querySelectorAll('[data-testid=progress-detail], [data-testid=progress-bytes]')
                .forEach(e => window.progressTexts.push(e.dataset.testid + ': ' + e.textContent));
            new MutationObserver(record).observe(document.body, { subtree: true, childList: true, characterData: true });
        }
        """);

    private static Task ShownAsync(IPage page, string testId, string text) =>
        page.WaitForFunctionAsync("([prefix, text]) => window.progressTexts.some(t => t.startsWith(prefix) && t.includes(text))",
            new[] { testId + ": ", text }, new() { Timeout = 60_000 });
}
