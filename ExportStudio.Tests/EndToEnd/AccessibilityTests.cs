using Microsoft.Playwright;
using Xunit.Abstractions;
using static ExportStudio.Tests.EndToEnd.BrowserPages;

namespace ExportStudio.Tests.EndToEnd;

/// <summary>
/// axe-core over every page, in both themes, with what a person sees after using the app for a while: a
/// finished export's result card, History with more than a page of rows, the not-found page and the API
/// reference. Zero violations, of any rule axe has. Plus what axe cannot check: visible focus, focus moved
/// to the result, live announcements, and an app bar that fits a phone.
/// </summary>
public sealed class AccessibilityTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    private static readonly SemaphoreSlim HistoryLock = new(1, 1);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task No_page_has_an_axe_violation_in_either_theme(bool dark)
    {
        await FillHistoryAsync();
        await using var context = await browser.NewContextAsync(dark);
        var violations = new List<string>();
        async Task AuditAsync(IPage page, string what)
        {
            violations.AddRange((await Axe.ViolationsAsync(page)).Select(v => $"{what}: {v}"));
        }

        var export = await context.OpenAsync("/");
        await Expect(export.GetByTestId("estimate")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await AuditAsync(export, "/ (form)");
        await export.GetByTestId("enable-compression").ClickAsync();
        await export.GetByTestId("card-zstd").ClickAsync();
        await AuditAsync(export, "/ (compression on)");
        await export.GetByTestId("start-export").ClickAsync();
        await Expect(export.GetByTestId("result-card")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await AuditAsync(export, "/ (result card)");

        var history = await context.OpenAsync("/history");
        await Expect(history.GetByTestId("history-row")).ToHaveCountAsync(20, new() { Timeout = 30_000 });
        await AuditAsync(history, "/history (20 rows)");
        await (await context.OpenAsync("/history?page=2")).WaitForSelectorAsync("[data-testid=history-row]");

        await AuditAsync(await context.OpenAsync("/schedules"), "/schedules");
        await AuditAsync(await context.OpenAsync("/not-found"), "/not-found");

        var reference = await context.NewPageAsync();
        await reference.GotoAsync("/api-reference/");
        await Expect(reference.GetByText("Queue an export job").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await AuditAsync(reference, "/api-reference/");

        output.WriteLine(string.Join(Environment.NewLine, violations));
        Assert.Empty(violations);
    }

    [Fact]
    public async Task Every_control_reached_with_Tab_shows_a_clear_focus_ring()
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.OpenAsync("/");
        await Expect(page.GetByTestId("estimate")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        // The page moves focus to its heading once it is interactive, and Tab goes on from wherever focus
        // is: wait for that move, then start from the app bar's first control, so every Tab below goes
        // forward from the same place whichever came first on a loaded machine.
        try
        {
            await page.WaitForFunctionAsync("() => document.activeElement?.tagName === 'H1'", null, new() { Timeout = 10_000 });
        }
        catch (TimeoutException)
        {
            // Heading not focused (already moved on): the app bar below sets the start all the same.
        }
        await page.Locator("header a, header button").First.FocusAsync();

        var seen = new List<(string What, double Ring)>();
        for (var i = 0; i < 30; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var focused = await page.EvaluateAsync<JsonElement>(FocusRingScript);
            if (!focused[0].GetString()!.StartsWith("body", StringComparison.Ordinal)) // Tab past the last control leaves the page
            {
                seen.Add((focused[0].GetString()!, focused[1].GetDouble()));
            }
        }

        output.WriteLine(string.Join(Environment.NewLine, seen));
        Assert.All(seen, s => Assert.True(s.Ring >= 2, $"{s.What} has no visible focus ring"));
        Assert.Contains(seen, s => s.What.Contains("nav-history"));
        Assert.Contains(seen, s => s.What.Contains("format-csv"));
        Assert.Contains(seen, s => s.What.Contains("include-messages"));
    }

    /// <summary>The focused element's name and the width of the ring drawn on it or on the part of the control that shows.</summary>
    private const string FocusRingScript = """
        () => {
          const el = document.activeElement;
          const carriers = [el, el.closest('.mud-switch-span'), el.closest('.mud-button-root')].filter(Boolean);
          const ring = Math.max(...carriers.map(c => { const s = getComputedStyle(c); return s.outlineStyle === 'none' ? 0 : parseFloat(s.outlineWidth); }));
          const testId = el.closest('[data-testid]')?.getAttribute('data-testid') ?? '';
          return [`${el.tagName.toLowerCase()} ${testId} ${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 30)}`, ring];
        }
        """;

    [Fact]
    public async Task Focus_moves_to_the_result_when_an_export_ends_and_the_result_is_announced()
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.OpenAsync("/");
        await Expect(page.GetByTestId("estimate")).ToBeVisibleAsync(new() { Timeout = 30_000 });

        await page.GetByTestId("start-export").FocusAsync();
        await page.Keyboard.PressAsync("Enter");

        await Expect(page.GetByTestId("result-card")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(page.GetByTestId("result-region")).ToBeFocusedAsync();
        await Expect(page.GetByTestId("export-announcement")).ToContainTextAsync("Export completed: export_");
        Assert.Equal("polite", await page.GetByTestId("export-announcement").GetAttributeAsync("aria-live"));
    }

    [Fact]
    public async Task The_app_bar_fits_a_phone_and_keeps_its_links_named()
    {
        await using var context = await browser.NewContextAsync(width: 360, height: 740);
        var page = await context.OpenAsync("/");

        foreach (var (testId, name) in new[] { ("nav-export", "Export"), ("nav-history", "History"), ("nav-sessions", "Sessions"), ("nav-import", "Import"), ("nav-api", "API"), ("theme-toggle", "Switch to dark theme") })
        {
            var link = page.GetByTestId(testId);
            var box = await link.BoundingBoxAsync();
            Assert.True(box is { X: >= 0 } && box.X + box.Width <= 360, $"{testId} is cut off: {box?.X}+{box?.Width}");
            await Expect(link).ToHaveAccessibleNameAsync(name);
        }
        Assert.True(await page.EvaluateAsync<bool>("() => { const bar = document.querySelector('.mud-appbar .mud-toolbar') ?? document.querySelector('.mud-appbar'); return bar.scrollWidth <= bar.clientWidth; }"));
    }

    /// <summary>More than a page of History: exports of every shape, made once for the class.</summary>
    private async Task FillHistoryAsync()
    {
        await HistoryLock.WaitAsync();
        try
        {
            using var client = browser.App.CreateClient();
            var existing = (await client.GetFromJsonAsync<JsonElement>("/api/v1/export?pageSize=1")).GetProperty("total").GetInt32();
            string[] compressions = ["none", "zstd", "tar.gz"];
            for (var i = existing; i < 22; i++)
            {
                var body = new { formats = i % 4 == 0 ? new[] { "json", "csv" } : ["jsonl"], options = new { compressionFormat = compressions[i % 3] } };
                await client.WaitForExportAsync(await client.CreateExportAsync(body));
            }
        }
        finally
        {
            HistoryLock.Release();
        }
    }
}
