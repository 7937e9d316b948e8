using Bunit;
using ExportStudio.Web.Components.Export;
using ExportStudio.Web.Components.Pages;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace ExportStudio.Tests.Components;

/// <summary>The export panel as a person uses it: estimates, the recommendation, the switches, the dates, the saved form.</summary>
public sealed class ExportPanelTests : BunitContext, IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
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

    private static string SwitchInput(string testId) => $"input[data-testid={testId}], [data-testid={testId}] input";

    [Fact]
    public void Unticking_the_last_two_formats_within_the_debounce_never_leaves_the_estimate_spinning()
    {
        var page = Render<ExportPage>();
        page.WaitForAssertion(() => page.Find("[data-testid=estimate]"), Patience);

        page.Find("[data-testid=format-csv]").Click();
        page.Find("[data-testid=format-csv]").Click();
        page.Find("[data-testid=format-json]").Click(); // the last one: nothing left to estimate

        page.WaitForAssertion(() => Assert.Contains("Choose at least one format", page.Find("[data-testid=estimate-pending]").TextContent), Patience);
        Thread.Sleep(EstimateScheduler.Delay * 3); // the cancelled estimates' time has passed; none may come back
        Assert.DoesNotContain("Estimating", page.Find("[data-testid=recommendation]").TextContent);
        Assert.Equal("false", page.Find("[data-testid=recommendation]").GetAttribute("aria-busy"));
    }

    [Fact]
    public void A_new_estimate_is_marked_as_updating_while_the_old_one_is_still_shown()
    {
        var box = Render<RecommendationBox>(p => p.Add(c => c.Estimate, LargeEstimate).Add(c => c.Busy, true));

        Assert.NotNull(box.Find("[data-testid=estimate]"));
        Assert.Contains("Updating the estimate", box.Find("[data-testid=estimate-updating]").TextContent);
        Assert.Equal("true", box.Find("[data-testid=recommendation]").GetAttribute("aria-busy"));
    }

    [Fact]
    public void A_recommendation_that_needs_compression_says_how_to_turn_it_on_and_Use_this_applies_it()
    {
        CompressionFormat? applied = null;
        var recommendation = CompressionRecommender.Recommend(LargeEstimate, new ClientEnvironment(IsWindows: false, AcceptsZstd: true), bundle: false);
        var box = Render<RecommendationBox>(p => p.Add(c => c.Estimate, LargeEstimate).Add(c => c.Recommendation, recommendation)
            .Add(c => c.ChosenFormat, CompressionFormat.None).Add(c => c.CompressionEnabled, false).Add(c => c.Apply, f => applied = f));

        var text = box.Find("[data-testid=recommendation-text]").TextContent;
        Assert.Contains("Recommended: zstd", text);
        Assert.Contains("Compression is off: turn on Enable Compression and choose zstd", text);
        box.Find("[data-testid=use-recommendation]").Click();
        Assert.Equal(CompressionFormat.Zstd, applied);

        var form = new ExportForm();
        form.Apply(CompressionFormat.Zstd);
        Assert.Equal((true, CompressionFormat.Zstd, 3), (form.CompressionEnabled, form.EffectiveCompression, form.Level));
        form.Apply(CompressionFormat.None);
        Assert.Equal((false, CompressionFormat.None), (form.CompressionEnabled, form.EffectiveCompression));
    }

    [Fact]
    public void Use_this_on_the_page_applies_the_recommendation_to_the_form()
    {
        var page = Render<ExportPage>();
        page.Find(SwitchInput("enable-compression")).Change(true);

        // 30 demo sessions are well under a megabyte: the advice is no compression.
        page.WaitForAssertion(() => page.Find("[data-testid=use-recommendation]"), Patience);
        page.Find("[data-testid=use-recommendation]").Click();

        page.WaitForAssertion(() => Assert.False(page.FindComponents<MudSwitch<bool>>().Single(s => s.Instance.Label == "Enable Compression").Instance.Value));
        page.WaitForAssertion(() => Assert.Contains("Your current choice", page.Find("[data-testid=recommendation-in-use]").TextContent), Patience);
    }

    [Fact]
    public void The_speed_claim_is_the_same_however_the_sample_timings_jitter()
    {
        static ExportEstimate Timed(double gzipSeconds) => new(500, 9000, 50_000_000,
            [new CodecEstimate(CompressionFormat.TarGz, 6, 5_000_000, 90, TimeSpan.FromSeconds(gzipSeconds)),
             new CodecEstimate(CompressionFormat.Zstd, 3, 4_000_000, 92, TimeSpan.FromSeconds(1))]);
        var linux = new ClientEnvironment(IsWindows: false, AcceptsZstd: false);

        var reasons = new[] { 1.2, 1.5, 1.9 }.Select(ratio => CompressionRecommender.Recommend(Timed(ratio), linux, bundle: false).Reason).Distinct().ToList();

        var reason = Assert.Single(reasons);
        Assert.DoesNotContain("×", reason);
        Assert.Contains("compresses faster", reason);
    }

    [Fact]
    public void The_tool_calls_switch_shows_off_while_messages_are_off()
    {
        var form = new ExportForm();
        var include = Render<IncludeOptions>(p => p.Add(c => c.Form, form));

        include.Find(SwitchInput("include-messages")).Change(false);

        var toolCalls = include.FindComponents<MudSwitch<bool>>().Single(s => s.Instance.Label == "Tool calls");
        Assert.True(toolCalls.Instance.Disabled);
        Assert.False(toolCalls.Instance.Value);
    }

    [Fact]
    public async Task The_date_range_opens_on_the_month_of_the_newest_session_and_takes_typed_dates()
    {
        var newest = (await _app.Services.GetRequiredService<SessionCatalog>().GetCreatedRangeAsync())!.Last;

        var filters = Render<ExportFiltersPanel>(p => p.Add(c => c.Form, new ExportForm()));

        filters.WaitForAssertion(() =>
        {
            var picker = filters.FindComponent<MudDateRangePicker>().Instance;
            Assert.Equal(new DateTime(newest.Year, newest.Month, 1), picker.PickerMonth);
            Assert.True(picker.Editable);
            Assert.Equal("yyyy-MM-dd", picker.DateFormat);
        });
        Assert.Equal("Open the calendar", filters.Find("[data-testid=date-range] ~ .mud-input-adornment button, .mud-input-adornment button").GetAttribute("aria-label"));
    }

    [Fact]
    public void An_export_of_nothing_is_refused_with_a_clear_message_instead_of_a_green_success()
    {
        var page = Render<ExportPage>();
        page.Find("[data-testid=search] input, input[data-testid=search]").Input("no session has this text 1f0c");
        page.WaitForAssertion(() => page.Find("[data-testid=estimate-empty]"), Patience);

        page.Find("[data-testid=start-export]").Click();

        page.WaitForAssertion(() => Assert.Contains(ExportJobService.NothingSelected, page.Find("[data-testid=validation-errors]").TextContent), Patience);
        Assert.Empty(page.FindAll("[data-testid=result-card]"));
    }

    [Fact]
    public void The_form_comes_back_as_it_was_after_a_reload_or_a_new_circuit()
    {
        var saved = new ExportFormState { Formats = ["csv", "markdown"], IncludeMetadata = false, Search = "refund", CompressionEnabled = true, Card = "zstd", Level = 7 };
        JSInterop.Setup<string?>("exportStudioBrowser.load", ExportFormState.StorageKey).SetResult(saved.ToJson());

        var page = Render<ExportPage>();

        page.WaitForAssertion(() => Assert.Contains("Compression Level: 7", page.Find("[data-testid=level-label]").TextContent));
        Assert.NotNull(page.Find("[data-testid=card-tar\\.zst]")); // two formats: the zstd card is tar.zst
        Assert.Contains("mud-chip-selected", page.Find("[data-testid=format-csv]").ClassName);
        Assert.DoesNotContain("mud-chip-selected", page.Find("[data-testid=format-json]").ClassName);
        Assert.Equal("refund", page.FindComponents<MudTextField<string>>().Single(t => t.Instance.Label!.StartsWith("Text")).Instance.Value);
    }

    [Fact]
    public void Every_change_of_the_form_is_kept_in_the_browser()
    {
        var page = Render<ExportPage>();
        page.WaitForAssertion(() => JSInterop.VerifyInvoke("exportStudioBrowser.load"));

        page.Find("[data-testid=format-csv]").Click();

        page.WaitForAssertion(() =>
        {
            var saved = ExportFormState.FromJson(JSInterop.Invocations["exportStudioBrowser.save"].Last().Arguments[1] as string);
            Assert.Equal(["csv", "json"], saved!.Formats.Order());
        });
    }

    private static readonly ExportEstimate LargeEstimate = new(120, 900, 50_000_000,
        [new CodecEstimate(CompressionFormat.None, null, 50_000_000, 0, TimeSpan.Zero),
         new CodecEstimate(CompressionFormat.TarGz, 6, 5_000_000, 90, TimeSpan.FromSeconds(1)),
         new CodecEstimate(CompressionFormat.Zstd, 3, 4_000_000, 92, TimeSpan.FromSeconds(0.2))]);
}
