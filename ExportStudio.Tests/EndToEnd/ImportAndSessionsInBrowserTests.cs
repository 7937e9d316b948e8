using Microsoft.Playwright;
using Xunit.Abstractions;
using static ExportStudio.Tests.EndToEnd.BrowserPages;

namespace ExportStudio.Tests.EndToEnd;

/// <summary>
/// A ChatGPT export brought in through the Import page in real Chromium, then read on the Sessions page:
/// the result, the link to the imported sessions, one opened as a transcript with its tool call folded,
/// keyboard use, a deletion confirmed, "Export these" — and axe over both pages in both themes.
/// </summary>
public sealed class ImportAndSessionsInBrowserTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Importing", "Fixtures", name);

    [Fact]
    public async Task A_file_imported_on_the_Import_page_is_read_on_the_Sessions_page()
    {
        await using var context = await browser.NewContextAsync();
        var problems = new List<string>();
        var violations = new List<string>();
        async Task AuditAsync(IPage page, string what) => violations.AddRange((await Axe.ViolationsAsync(page)).Select(v => $"light {what}: {v}"));

        var import = await context.OpenAsync("/import", problems);
        await Expect(import.Locator("h1")).ToHaveTextAsync("Import");
        await AuditAsync(import, "/import (empty)");

        // The file is chosen through the zone's file input, as a drop or the file chooser gives it.
        await import.GetByTestId("import-file").SetInputFilesAsync(Fixture("chatgpt/chatgpt-export.zip"));
        var result = import.GetByTestId("import-result");
        await Expect(result).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(result.Locator("h2")).ToHaveTextAsync("Imported from ChatGPT");
        await Expect(import.GetByTestId("import-imported")).ToHaveTextAsync("6");
        await Expect(import.GetByTestId("import-messages")).ToHaveTextAsync("21");
        await Expect(import.GetByTestId("import-dropped")).ToContainTextAsync("image");
        await AuditAsync(import, "/import (result)");
        await import.ScreenshotIfWantedAsync("import.png");

        await import.GetByTestId("import-open-sessions").ClickAsync();
        await Expect(import).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/sessions\\?source=chatgpt$"));
        var sessions = import;
        await WaitForCircuitAsync(sessions);
        await Expect(sessions.GetByTestId("session-row")).ToHaveCountAsync(6, new() { Timeout = 30_000 });
        await Expect(sessions.GetByTestId("sessions-total")).ToHaveTextAsync("6 sessions match");

        // Keyboard: Tab to the session's link and open it with Enter.
        var kyoto = sessions.GetByTestId("session-open").Filter(new() { HasText = "Best time to visit Kyoto" });
        // Pressed on the link itself: a focus followed by a page-wide key press was lost once when the list
        // rendered again in between (the Enter went to the page, and nothing opened).
        await kyoto.PressAsync("Enter");
        var transcript = sessions.GetByTestId("transcript");
        await Expect(transcript.Locator("h2")).ToHaveTextAsync("Best time to visit Kyoto", new() { Timeout = 30_000 });
        await Expect(sessions).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/sessions/6825abe0-7a41-800e-b3c5-6f0d2a91c4e8\\?source=chatgpt$"));
        var messages = transcript.GetByTestId("transcript-message");
        await Expect(messages).ToHaveCountAsync(3);
        await Expect(messages.Nth(0)).ToHaveAttributeAsync("data-role", "user");
        await Expect(messages.Nth(2)).ToContainTextAsync("Kyoto's autumn colours usually peak from mid-November to early December.");

        // The browsing call is folded until opened, from the keyboard too.
        var call = transcript.GetByTestId("tool-call");
        await Expect(call).ToHaveCountAsync(1);
        await Expect(call.Locator("pre").First).Not.ToBeVisibleAsync();
        await call.Locator("summary").FocusAsync();
        await sessions.Keyboard.PressAsync("Enter");
        await Expect(call.Locator("pre").First).ToHaveTextAsync("search(\"best time autumn leaves Kyoto\")");
        await AuditAsync(sessions, "/sessions/{id} (transcript, tool call open)");
        await sessions.ScreenshotIfWantedAsync("sessions.png");

        // Markdown is rendered: the rollback answer's inline code is code, not backticks.
        await sessions.GetByTestId("session-open").Filter(new() { HasText = "Rollback plan for staging deploy" }).ClickAsync();
        await Expect(transcript.Locator("h2")).ToHaveTextAsync("Rollback plan for staging deploy", new() { Timeout = 30_000 });
        await Expect(transcript.Locator(".markdown-text code").First).ToHaveTextAsync("helm history staging-api -n staging");

        // Delete asks first; keeping it changes nothing, confirming removes it.
        await sessions.GetByTestId("transcript-delete").ClickAsync();
        await sessions.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Keep it" }).ClickAsync();
        await Expect(sessions.GetByTestId("session-row")).ToHaveCountAsync(6);
        await sessions.GetByTestId("transcript-delete").ClickAsync();
        await sessions.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        await Expect(sessions.GetByTestId("session-row")).ToHaveCountAsync(5, new() { Timeout = 30_000 });
        await Expect(sessions).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/sessions\\?source=chatgpt$"));
        // The confirmation's message fades in: audited once it is fully there (half-faded text has no contrast).
        await sessions.WaitForFunctionAsync("() => [...document.querySelectorAll('.mud-snackbar')].every(s => getComputedStyle(s).opacity === '1')");
        await AuditAsync(sessions, "/sessions (filtered list, deletion confirmed)");

        // "Export these" carries the filter to the export panel.
        await sessions.GetByTestId("sessions-export").ClickAsync();
        await Expect(sessions.GetByTestId("estimate")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(sessions.GetByTestId("sources")).ToHaveValueAsync("ChatGPT");
        await Expect(sessions).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/$"));

        output.WriteLine(string.Join(Environment.NewLine, violations.Concat(problems)));
        Assert.Empty(violations);
        Assert.Empty(problems);
    }

    [Fact]
    public async Task Both_pages_pass_axe_in_the_dark_theme_and_a_file_none_reads_is_refused_with_the_APIs_words()
    {
        await using var context = await browser.NewContextAsync(dark: true);
        var violations = new List<string>();
        async Task AuditAsync(IPage page, string what) => violations.AddRange((await Axe.ViolationsAsync(page)).Select(v => $"dark {what}: {v}"));

        var import = await context.OpenAsync("/import");
        await AuditAsync(import, "/import (empty)");
        var unknown = Path.Combine(browser.DownloadDirectory, "questions.json");
        await File.WriteAllTextAsync(unknown, """[{"question": "2+2?", "answer": "4"}]""");
        await import.GetByTestId("import-file").SetInputFilesAsync(unknown);
        var error = import.GetByTestId("import-error");
        await Expect(error).ToContainTextAsync("ExportStudio reads:", new() { Timeout = 60_000 });
        await Expect(error).ToContainTextAsync("chatgpt");
        await AuditAsync(import, "/import (refused)");

        await import.GetByTestId("import-file").SetInputFilesAsync(Fixture("claude/conversations.json"));
        await Expect(import.GetByTestId("import-result")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(import.GetByTestId("import-imported")).ToHaveTextAsync("3");
        await AuditAsync(import, "/import (result)");

        var sessions = await context.OpenAsync("/sessions/92b39893-492e-4fe3-8567-d07e0c5fb268");
        await Expect(sessions.GetByTestId("transcript").Locator("h2")).ToHaveTextAsync("ملخص الاجتماع", new() { Timeout = 30_000 });
        await AuditAsync(sessions, "/sessions/{id} (right to left)");
        var all = await context.OpenAsync("/sessions");
        await Expect(all.GetByTestId("session-row").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await AuditAsync(all, "/sessions (all, paged)");

        output.WriteLine(string.Join(Environment.NewLine, violations));
        Assert.Empty(violations);
    }

    [Theory]
    [InlineData("/import", "import-file")]
    [InlineData("/sessions", "session-open")]
    public async Task Every_control_reached_with_Tab_shows_a_clear_focus_ring(string path, string mustReach)
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.OpenAsync(path);
        await Expect(page.Locator("h1")).ToBeVisibleAsync();
        if (path == "/sessions")
        {
            await Expect(page.GetByTestId("session-row").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        }

        var seen = new List<(string What, double Ring)>();
        for (var i = 0; i < 25; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var focused = await page.EvaluateAsync<JsonElement>(FocusRingScript);
            // The heading takes focus when the page has been navigated to (on a loaded machine that can land
            // after the first Tab); it is not a Tab stop, so it is not one of the controls counted here.
            if (!focused[0].GetString()!.StartsWith("body", StringComparison.Ordinal) && !focused[0].GetString()!.StartsWith("h1", StringComparison.Ordinal))
            {
                seen.Add((focused[0].GetString()!, focused[1].GetDouble()));
            }
        }

        output.WriteLine(string.Join(Environment.NewLine, seen));
        Assert.All(seen, s => Assert.True(s.Ring >= 2, $"{s.What} has no visible focus ring"));
        Assert.Contains(seen, s => s.What.Contains(mustReach));
    }

    /// <summary>The focused element and the widest ring drawn on it or on the part that shows (the drop zone for its invisible file input).</summary>
    private const string FocusRingScript = """
        () => {
          const el = document.activeElement;
          const carriers = [el, el.closest('.mud-button-root'), el.closest('.import-drop-zone')].filter(Boolean);
          const ring = Math.max(...carriers.map(c => { const s = getComputedStyle(c); return s.outlineStyle === 'none' ? 0 : parseFloat(s.outlineWidth); }));
          const testId = el.closest('[data-testid]')?.getAttribute('data-testid') ?? '';
          return [`${el.tagName.toLowerCase()} ${testId} ${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 30)}`, ring];
        }
        """;
}
