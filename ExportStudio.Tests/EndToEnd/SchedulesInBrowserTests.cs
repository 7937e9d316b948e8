using System.Net.Http.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static ExportStudio.Tests.EndToEnd.BrowserPages;

namespace ExportStudio.Tests.EndToEnd;

/// <summary>
/// Recurring exports in real Chromium: saved from the export panel's settings, run now from the Schedules
/// page, seen in History labelled by schedule and filtered to it; paused and resumed; both pages and the
/// dialog without an axe violation.
/// </summary>
public sealed class SchedulesInBrowserTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_schedule_saved_from_the_export_panel_runs_now_and_its_run_shows_in_history()
    {
        await using var context = await browser.NewContextAsync();
        var violations = new List<string>();
        var name = $"Nightly {Guid.NewGuid():N}"[..16];

        var export = await context.OpenAsync("/");
        await export.GetByTestId("save-recurring").ClickAsync();
        var dialog = export.GetByTestId("save-recurring-dialog");
        await Expect(dialog).ToBeVisibleAsync();
        violations.AddRange((await Axe.ViolationsAsync(export)).Select(v => $"save dialog: {v}"));
        var nameField = export.GetByLabel("Name", new() { Exact = true });
        await nameField.FillAsync(name);
        await export.GetByTestId("save-schedule").ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(export.GetByText($"Saved “{name}”")).ToBeVisibleAsync();

        var schedules = await context.OpenAsync("/schedules");
        var row = schedules.GetByTestId("schedule-row").Filter(new() { HasText = name });
        await Expect(row.GetByTestId("schedule-rhythm")).ToHaveTextAsync("every day");
        await Expect(row.GetByTestId("schedule-watermark")).ToHaveTextAsync("from the start"); // incremental, never run
        await Expect(row.GetByTestId("schedule-last")).ToHaveTextAsync("not run yet");
        await row.GetByTestId("schedule-run-now").ClickAsync();
        await Expect(row.GetByTestId("schedule-last-status")).ToHaveTextAsync("completed", new() { Timeout = 60_000 });
        await Expect(row.GetByTestId("schedule-watermark")).ToContainTextAsync("change ");
        await NoSnackbarAsync(schedules);
        violations.AddRange((await Axe.ViolationsAsync(schedules)).Select(v => $"/schedules: {v}"));

        await row.GetByTestId("schedule-pause").ClickAsync();
        await Expect(row.GetByTestId("schedule-paused")).ToBeVisibleAsync();
        await row.GetByTestId("schedule-resume").ClickAsync();
        await Expect(row.GetByTestId("schedule-next")).Not.ToHaveTextAsync("paused");

        await row.GetByTestId("schedule-runs").ClickAsync();
        await Expect(schedules.GetByTestId("schedule-filter")).ToContainTextAsync(name);
        var runs = schedules.GetByTestId("history-row");
        await Expect(runs).ToHaveCountAsync(1);
        await Expect(runs.GetByTestId("schedule-label")).ToHaveTextAsync($"↻ {name} · incremental");
        await Expect(runs.GetByTestId("status")).ToHaveTextAsync("completed");
        await NoSnackbarAsync(schedules);
        violations.AddRange((await Axe.ViolationsAsync(schedules)).Select(v => $"/history?schedule=: {v}"));

        using var api = browser.App.CreateClient();
        var list = await api.GetFromJsonAsync<JsonElement>("/api/v1/schedules");
        var saved = list.GetProperty("items").EnumerateArray().Single(s => s.GetProperty("name").GetString() == name);
        Assert.Equal("json", saved.GetProperty("export").GetProperty("format").GetString());
        Assert.Equal("incremental", saved.GetProperty("mode").GetString());

        output.WriteLine(string.Join(Environment.NewLine, violations));
        Assert.Empty(violations);
    }

    /// <summary>Snackbars fade in and out: axe would measure a half-transparent one's contrast mid-fade.</summary>
    private static Task NoSnackbarAsync(IPage page) =>
        Expect(page.Locator(".mud-snackbar")).ToHaveCountAsync(0, new() { Timeout = 20_000 });
}
