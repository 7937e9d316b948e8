using Bunit;
using ExportStudio.Web.Components.Export;
using ExportStudio.Web.Components.Pages;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace ExportStudio.Tests.Components;

/// <summary>A running export belongs to the page and to History: it is found again, cancelled, or stopped and deleted.</summary>
public sealed class RunningExportTests : BunitContext, IClassFixture<FortyMegabyteDatabase>, IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly ExportStudioApp _app = new();
    private readonly FortyMegabyteDatabase _data;

    public RunningExportTests(FortyMegabyteDatabase data) => _data = data;

    private ExportJobService Jobs => _app.Services.GetRequiredService<ExportJobService>();

    public Task InitializeAsync()
    {
        File.Copy(_data.Path, _app.DatabasePath);
        this.UseExportStudio(_app);
        return Task.CompletedTask;
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        await _app.DisposeAsync();
    }

    /// <summary>zstd at level 19 over 40 MB runs for many seconds: long enough to be caught running.</summary>
    private async Task<Guid> StartSlowExportAsync()
    {
        var created = await Jobs.CreateAsync(new ExportRequest { Formats = [ExportFormat.Json], Options = new ExportOptions { CompressionFormat = CompressionFormat.Zstd, CompressionLevel = 19 } });
        await Jobs.WaitUntilAsync(created.Job!.Id, j => j.Status == ExportJobStatus.Running, Patience);
        return created.Job.Id;
    }

    [Fact]
    public async Task Coming_back_to_the_export_page_shows_the_running_export_again()
    {
        var jobId = await StartSlowExportAsync();
        JSInterop.Setup<string?>("exportStudioBrowser.load", ExportFormState.StorageKey).SetResult(new ExportFormState { Formats = ["json"], JobId = jobId }.ToJson());

        var page = Render<ExportPage>();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=progress-panel]")), Patience);
        Assert.True(page.Find("[data-testid=start-export]").HasAttribute("disabled"));
        page.WaitForAssertion(() => Assert.Contains("sessions", page.Find("[data-testid=progress-detail]").TextContent), Patience);
        // Found and clicked on the renderer's thread: progress re-renders the panel many times a second.
        await page.InvokeAsync(() => page.Find("[data-testid=cancel]").Click());
        page.WaitForAssertion(() => Assert.Contains("cancelled", page.Find("[data-testid=result-problem]").TextContent), Patience);
    }

    [Fact]
    public async Task History_cancels_a_running_export()
    {
        var jobId = await StartSlowExportAsync();
        var history = Render<HistoryPage>();

        history.WaitForAssertion(() => history.Find($"[data-job='{jobId}'] [data-testid=cancel-job]"), Patience);
        await history.InvokeAsync(() => history.Find($"[data-job='{jobId}'] [data-testid=cancel-job]").Click());

        Assert.Equal(ExportJobStatus.Cancelled, (await Jobs.WaitUntilFinishedAsync(jobId, Patience)).Status);
        history.WaitForAssertion(() => Assert.Equal("cancelled", history.Find($"[data-job='{jobId}'] [data-testid=status]").TextContent.Trim()), Patience);
    }

    [Fact]
    public async Task Deleting_a_running_export_says_it_stops_it_first_and_that_it_goes_once_stopped()
    {
        var dialogs = Render<MudDialogProvider>();
        var snackbar = Render<MudSnackbarProvider>();
        var jobId = await StartSlowExportAsync();
        var history = Render<HistoryPage>();

        history.WaitForAssertion(() => history.Find($"[data-job='{jobId}'] [data-testid=delete]"), Patience);
        // The click's handler waits for the dialog's answer: answer it before awaiting the click.
        var clicked = history.Find($"[data-job='{jobId}'] [data-testid=delete]").ClickAsync(new());

        dialogs.WaitForAssertion(() => Assert.Contains("still running. Deleting it stops it first", dialogs.Markup), Patience);
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Stop and delete").Click();
        await clicked.WaitAsync(Patience);

        snackbar.WaitForAssertion(() => Assert.Contains("Stopping the export; it leaves History as soon as it has stopped", snackbar.Markup), Patience);
        using var waited = new CancellationTokenSource(Patience);
        while (await Jobs.GetAsync(jobId) is not null)
        {
            await Task.Delay(50, waited.Token);
        }
        history.WaitForAssertion(() => Assert.Empty(history.FindAll($"[data-job='{jobId}']")), Patience);
    }
}
