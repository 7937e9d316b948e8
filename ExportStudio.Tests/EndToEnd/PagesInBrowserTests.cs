using System.Globalization;
using Microsoft.Playwright;
using static ExportStudio.Tests.EndToEnd.BrowserPages;

namespace ExportStudio.Tests.EndToEnd;

/// <summary>What a person trips over in a real browser: the reconnect dialog, a reload, the API reference, local time, rows that stay put.</summary>
public sealed class PagesInBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_reconnect_dialog_is_a_styled_card_showing_one_state_at_a_time_in_either_theme(bool dark)
    {
        await using var context = await browser.NewContextAsync(dark);
        var page = await context.OpenAsync("/");
        var dialog = page.Locator("#components-reconnect-modal");

        // What blazor.web.js does when the connection drops, and when it gives up.
        await page.EvaluateAsync("""
            () => {
              const modal = document.getElementById('components-reconnect-modal');
              modal.dispatchEvent(new CustomEvent('components-reconnect-state-changed', { detail: { state: 'show' } }));
              modal.classList.add('components-reconnect-show');
            }
            """);
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog.GetByText("Rejoining the server...")).ToBeVisibleAsync();
        await Expect(dialog.Locator("#components-reconnect-button")).ToBeHiddenAsync();
        await Expect(dialog.Locator("#components-resume-button")).ToBeHiddenAsync();
        var box = await dialog.BoundingBoxAsync();
        Assert.True(box is { Width: < 400, X: > 400 }, $"the dialog is not a centred card: {box?.X}, {box?.Width}");

        await page.EvaluateAsync("() => document.getElementById('components-reconnect-modal').classList.replace('components-reconnect-show', 'components-reconnect-failed')");
        await Expect(dialog.Locator("#components-reconnect-button")).ToBeVisibleAsync();
        await Expect(dialog.GetByText("Rejoining the server...")).ToBeHiddenAsync();
        await page.WaitForTimeoutAsync(2000); // the card's entrance animation fades it in
        Assert.Empty(await Axe.ViolationsAsync(page));
    }

    [Fact]
    public async Task The_form_is_the_same_after_a_reload()
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.OpenAsync("/");
        await page.GetByTestId("format-csv").ClickAsync();
        await page.GetByTestId("enable-compression").ClickAsync();
        await page.GetByTestId("card-tar.zst").ClickAsync();
        await Expect(page.GetByTestId("level-label")).ToHaveTextAsync("Compression Level: 3");

        await page.ReloadAsync();
        await WaitForCircuitAsync(page);

        await Expect(page.GetByTestId("format-csv")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mud-chip-selected"));
        await Expect(page.GetByTestId("card-tar.zst")).ToHaveAttributeAsync("aria-checked", "true");
        await Expect(page.GetByTestId("level-label")).ToHaveTextAsync("Compression Level: 3");
    }

    [Fact]
    public async Task The_API_reference_is_linked_works_offline_and_only_its_own_page_gets_a_nonce()
    {
        await using var context = await browser.NewContextAsync();
        var problems = new List<string>();
        var page = await context.OpenAsync("/", problems);

        var response = await page.RunAndWaitForResponseAsync(() => page.GetByTestId("nav-api").ClickAsync(), r => r.Url.EndsWith("/api-reference/"));
        await Expect(page.GetByText("Queue an export job").First).ToBeVisibleAsync(new() { Timeout = 30_000 });

        var policy = (await response.AllHeadersAsync())["content-security-policy"];
        Assert.Matches("script-src 'self' 'nonce-[A-Za-z0-9_-]{20,}' 'wasm-unsafe-eval';", policy);
        Assert.DoesNotContain("unsafe-inline';", policy.Split("style-src")[0]);
        Assert.DoesNotContain("'unsafe-eval'", policy);
        using var client = browser.App.CreateClient();
        using var home = await client.GetAsync("/");
        Assert.Contains(home.Headers.GetValues("Content-Security-Policy"), value => value.Contains("script-src 'self' 'wasm-unsafe-eval';"));
        using var favicon = await client.GetAsync("/favicon.ico");
        Assert.Equal(HttpStatusCode.OK, favicon.StatusCode);
        Assert.Empty(problems);
    }

    [Fact]
    public async Task History_shows_local_time_with_UTC_on_hover()
    {
        using var client = browser.App.CreateClient();
        var job = await client.WaitForExportAsync(await client.CreateExportAsync(new { format = "json" }));
        var created = DateTime.Parse(job.GetProperty("createdAt").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
        await using var context = await browser.NewContextAsync(timeZone: "Asia/Tokyo");

        var page = await context.OpenAsync("/history");

        var cell = page.Locator($"[data-job='{job.GetProperty("jobId").GetGuid()}'] [data-testid=created]");
        await Expect(cell).ToHaveTextAsync(created.AddHours(9).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
        await Expect(cell).ToHaveAttributeAsync("title", created.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC");
    }

    [Fact]
    public async Task History_rows_stay_the_same_elements_when_the_list_refreshes_so_clicks_land()
    {
        using var client = browser.App.CreateClient();
        await client.WaitForExportAsync(await client.CreateExportAsync(new { format = "json" }));
        await using var context = await browser.NewContextAsync();
        var page = await context.OpenAsync("/history");
        var rows = page.GetByTestId("history-row");
        var before = await rows.CountAsync();
        await page.EvaluateAsync("() => { window.watchedButton = document.querySelector('[data-testid=history-row] [data-testid=delete]'); }");

        // A new job publishes progress: History reloads its rows (twice a second while jobs run).
        await client.WaitForExportAsync(await client.CreateExportAsync(new { format = "csv" }));
        await Expect(rows).ToHaveCountAsync(before + 1, new() { Timeout = 30_000 });

        Assert.True(await page.EvaluateAsync<bool>("() => window.watchedButton.isConnected"), "the row's Delete button was replaced by the refresh");
        await page.GetByTestId("delete").Last.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Dialog)).ToContainTextAsync("will be deleted");
        await page.GetByRole(AriaRole.Button, new() { Name = "Keep it" }).ClickAsync();
    }
}
