using Bunit;
using ExportStudio.Web.Components.History;
using ExportStudio.Web.Components.Pages;
using ExportStudio.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace ExportStudio.Tests.Components;

/// <summary>History rows that can be told apart, and the page that keeps its place.</summary>
public sealed class HistoryTests : BunitContext, IAsyncLifetime
{
    private readonly ExportStudioApp _app = new(demoSessions: 30);

    public Task InitializeAsync()
    {
        this.UseExportStudio(_app);
        return Task.CompletedTask;
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public void A_row_shows_its_sessions_filters_file_and_local_time_with_UTC_on_hover()
    {
        var created = new DateTime(2026, 1, 15, 14, 3, 5, DateTimeKind.Utc);
        var job = Completed(created, TimeSpan.FromMilliseconds(420));
        job.Filters = new ExportFilters { From = new DateTime(2026, 1, 1), To = new DateTime(2026, 1, 31, 23, 59, 59), Models = ["gpt-4o"], Search = "refund" };
        var tokyo = new BrowserClock(TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo"));

        var table = Render<HistoryTable>(p => p.Add(c => c.Jobs, [job]).AddCascadingValue(tokyo));

        var time = table.Find("[data-testid=created]");
        Assert.Equal("2026-01-15 23:03", time.TextContent);
        Assert.Equal("2026-01-15 14:03:05 UTC", time.GetAttribute("title"));
        Assert.Equal("120 sessions · 1,800 messages", table.Find("[data-testid=sessions]").TextContent);
        Assert.Equal("2026-01-01 – 2026-01-31 · model: gpt-4o · “refund”", table.Find("[data-testid=filter-summary]").TextContent);
        Assert.Equal(job.FileName, table.Find("[data-testid=file-name]").TextContent);
        Assert.Equal("420 ms", table.Find("[data-testid=duration]").TextContent);
        Assert.Equal("Actions", table.Find("thead th:last-child").TextContent.Trim());
    }

    [Theory]
    [InlineData(12, "12 ms")]
    [InlineData(420, "420 ms")]
    [InlineData(1_234, "1.23 s")]
    [InlineData(12_345, "12.3 s")]
    [InlineData(125_000, "2 min 05 s")]
    [InlineData(3_720_000, "1 h 02 min")]
    public void Durations_keep_a_useful_precision(int milliseconds, string text) =>
        Assert.Equal(text, HistoryText.Duration(TimeSpan.FromMilliseconds(milliseconds)));

    [Fact]
    public void Queued_and_running_rows_offer_Cancel_and_finished_ones_do_not()
    {
        var now = DateTime.UtcNow;
        var rows = new[] { ExportJobStatus.Queued, ExportJobStatus.Running, ExportJobStatus.Completed, ExportJobStatus.Cancelled }
            .Select(status => new ExportJob { Id = Guid.NewGuid(), Status = status, Formats = [ExportFormat.Json], CreatedAt = now }).ToList();
        ExportJob? cancelled = null;

        var table = Render<HistoryTable>(p => p.Add(c => c.Jobs, rows).Add(c => c.Cancel, j => cancelled = j));

        var withCancel = table.FindAll("[data-testid=history-row]").Where(r => r.QuerySelector("[data-testid=cancel-job]") is not null).Select(r => r.GetAttribute("data-job")).ToList();
        Assert.Equal([rows[0].Id.ToString(), rows[1].Id.ToString()], withCancel);
        table.FindAll("[data-testid=cancel-job]")[1].Click();
        Assert.Equal(rows[1].Id, cancelled?.Id);
    }

    [Fact]
    public void The_empty_history_links_to_the_export_page()
    {
        var table = Render<HistoryTable>(p => p.Add(c => c.Jobs, []));

        var link = table.Find("[data-testid=history-empty] a");
        Assert.Equal("/", link.GetAttribute("href"));
        Assert.Contains("Start one on the Export page", link.TextContent);
    }

    [Fact]
    public async Task The_page_number_is_in_the_address_so_a_reload_keeps_it()
    {
        var jobs = _app.Services.GetRequiredService<ExportJobService>();
        for (var i = 0; i < 23; i++)
        {
            await jobs.WaitUntilFinishedAsync((await jobs.CreateAsync(new ExportRequest { Formats = [ExportFormat.Json] })).Job!.Id);
        }
        var navigation = Services.GetRequiredService<NavigationManager>();

        var first = Render<HistoryPage>();
        first.WaitForAssertion(() => Assert.Equal(20, first.FindAll("[data-testid=history-row]").Count));
        first.Find("[data-testid=history-pages] button[aria-label='Page 2']").Click();
        Assert.EndsWith("/history?page=2", navigation.Uri);

        first.WaitForAssertion(() => Assert.Equal(3, first.FindAll("[data-testid=history-row]").Count));
        var reloaded = Render<HistoryPage>(); // the address still says page 2
        reloaded.WaitForAssertion(() => Assert.Equal(3, reloaded.FindAll("[data-testid=history-row]").Count));
    }

    private static ExportJob Completed(DateTime created, TimeSpan duration)
    {
        var id = Guid.NewGuid();
        return new ExportJob
        {
            Id = id, Status = ExportJobStatus.Completed, Formats = [ExportFormat.Json], CreatedAt = created, StartedAt = created, CompletedAt = created + duration,
            SessionCount = 120, MessageCount = 1800, OriginalBytes = 1000, StoredBytes = 100, Options = new ExportOptions { CompressionFormat = CompressionFormat.Zstd },
            FileName = ExportFiles.FileName(id, [ExportFormat.Json], CompressionFormat.Zstd),
        };
    }
}
