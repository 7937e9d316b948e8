using Bunit;
using ExportStudio.Web.Components.Export;
using ExportStudio.Web.Components.History;
using ExportStudio.Web.Components.Pages;
using MudBlazor;

namespace ExportStudio.Tests.Components;

/// <summary>The export panel and history components, rendered with bUnit over the real Core services and database.</summary>
public sealed class ComponentTests : BunitContext, IAsyncLifetime
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

    private static string SwitchInput(string testId) => $"input[data-testid={testId}], [data-testid={testId}] input";

    [Fact]
    public void The_level_slider_follows_the_chosen_format_and_resets_to_its_default()
    {
        var form = new ExportForm();
        var options = Render<CompressionOptions>(p => p.Add(c => c.Form, form));

        options.Find(SwitchInput("enable-compression")).Change(true);
        var slider = options.FindComponent<MudSlider<int>>();
        Assert.Equal((1, 9, 6), (slider.Instance.Min, slider.Instance.Max, slider.Instance.Value));
        Assert.Contains("Compression Level: 6", options.Find("[data-testid=level-label]").TextContent);

        options.Find("[data-testid=card-zstd]").Click();
        slider = options.FindComponent<MudSlider<int>>();
        Assert.Equal((1, 22, 3), (slider.Instance.Min, slider.Instance.Max, slider.Instance.Value));
        Assert.Contains("Compression Level: 3", options.Find("[data-testid=level-label]").TextContent);
        Assert.Equal(CompressionFormat.Zstd, form.ToRequest().Options.CompressionFormat);
        Assert.Equal(3, form.ToRequest().Options.CompressionLevel);
    }

    [Fact]
    public void Several_formats_offer_tar_zst_and_a_plain_tar_without_compression()
    {
        var form = new ExportForm();
        form.SetFormats([ExportFormat.Json, ExportFormat.Csv]);
        var options = Render<CompressionOptions>(p => p.Add(c => c.Form, form));

        Assert.NotNull(options.Find("[data-testid=plain-tar-note]"));
        options.Find(SwitchInput("enable-compression")).Change(true);
        Assert.NotNull(options.Find("[data-testid=card-tar\\.zst]"));
        Assert.Empty(options.FindAll("[data-testid=card-zstd]"));
        options.Find("[data-testid=card-tar\\.zst]").Click();
        Assert.Equal(CompressionFormat.TarZst, form.EffectiveCompression);
    }

    [Theory]
    [InlineData(CompressionFormat.TarGz, 1, "Fast compression, larger file")]
    [InlineData(CompressionFormat.TarGz, 6, "Balanced speed and size")]
    [InlineData(CompressionFormat.TarGz, 7, "Maximum compression, slower")]
    [InlineData(CompressionFormat.TarGz, 9, "Maximum compression, slower")]
    [InlineData(CompressionFormat.Zstd, 3, "Fast compression, larger file")]
    [InlineData(CompressionFormat.Zstd, 4, "Balanced speed and size")]
    [InlineData(CompressionFormat.Zstd, 9, "Balanced speed and size")]
    [InlineData(CompressionFormat.Zstd, 10, "Strong compression, slow")]
    [InlineData(CompressionFormat.TarZst, 19, "Strong compression, slow")]
    [InlineData(CompressionFormat.Zstd, 20, "Ultra compression: much slower, and needs much more memory")]
    [InlineData(CompressionFormat.TarZst, 22, "Ultra compression: much slower, and needs much more memory")]
    public void The_level_hint_speaks_on_the_formats_own_scale(CompressionFormat format, int level, string hint)
    {
        var slider = Render<LevelSlider>(p => p.Add(c => c.Range, format.GetLevelRange()!).Add(c => c.Format, format).Add(c => c.Value, level));

        Assert.StartsWith(hint, slider.Find("[data-testid=level-hint]").TextContent.Trim());
    }

    [Fact]
    public void The_recommendation_box_shows_the_estimate_and_the_reason()
    {
        var estimate = new ExportEstimate(120, 900, 50_000_000,
            [new CodecEstimate(CompressionFormat.None, null, 50_000_000, 0, TimeSpan.Zero),
             new CodecEstimate(CompressionFormat.TarGz, 6, 5_000_000, 90, TimeSpan.FromSeconds(1)),
             new CodecEstimate(CompressionFormat.Zstd, 3, 4_000_000, 92, TimeSpan.FromSeconds(0.2))]);
        var windows = CompressionRecommender.Recommend(estimate, new ClientEnvironment(IsWindows: true, AcceptsZstd: false), bundle: false);
        var linux = CompressionRecommender.Recommend(estimate, new ClientEnvironment(IsWindows: false, AcceptsZstd: true), bundle: false);

        var box = Render<RecommendationBox>(p => p.Add(c => c.Estimate, estimate).Add(c => c.Recommendation, linux).Add(c => c.ChosenFormat, CompressionFormat.Zstd));

        Assert.Equal(CompressionFormat.TarGz, windows.Format);
        Assert.Contains("Windows", windows.Reason);
        Assert.Equal(CompressionFormat.Zstd, linux.Format);
        Assert.Contains("120 sessions", box.Find("[data-testid=estimate]").TextContent);
        Assert.Contains("with zstd", box.Find("[data-testid=estimate]").TextContent);
        Assert.Contains("Recommended: zstd", box.Find("[data-testid=recommendation-text]").TextContent);
        Assert.Contains("browser decodes zstd", box.Find("[data-testid=recommendation-text]").TextContent);
    }

    [Fact]
    public void Per_session_with_a_dictionary_is_recommended_for_small_sessions_with_the_sizes_and_Use_this_applies_it()
    {
        var estimate = new ExportEstimate(4000, 30_000, 20_000_000,
            [new CodecEstimate(CompressionFormat.TarGz, 6, 4_000_000, 80, TimeSpan.FromSeconds(1)),
             new CodecEstimate(CompressionFormat.Zstd, 3, 3_000_000, 85, TimeSpan.FromSeconds(0.2))],
            new PerSessionEstimate(3, 5_000, WithoutDictionaryBytes: 9_000_000, WithDictionaryBytes: 5_000_000, DictionaryBytes: 300_000));
        var linux = new ClientEnvironment(IsWindows: false, AcceptsZstd: true);

        var perSession = CompressionRecommender.Recommend(estimate, linux, bundle: false, ArchiveLayout.PerSession);
        var document = CompressionRecommender.Recommend(estimate, linux, bundle: false, ArchiveLayout.Document);
        var noGain = CompressionRecommender.Recommend(estimate with { PerSession = estimate.PerSession! with { WithDictionaryBytes = 8_900_000 } }, linux, false, ArchiveLayout.PerSession);

        Assert.Equal((CompressionFormat.Zstd, ArchiveLayout.PerSession, true), (perSession.Format, perSession.Layout, perSession.Dictionary));
        Assert.Contains("4.8 MB instead of 8.6 MB", perSession.Reason);
        Assert.Contains("zstd -D dictionary.zdict -d", perSession.Reason);
        Assert.Equal((ArchiveLayout.Document, false), (document.Layout, document.Dictionary));
        Assert.Contains("Need sessions one at a time?", document.Reason);
        Assert.False(noGain.Dictionary);
        Assert.Contains("would save little", noGain.Reason);

        var box = Render<RecommendationBox>(p => p.Add(c => c.Estimate, estimate).Add(c => c.Recommendation, perSession)
            .Add(c => c.ChosenFormat, CompressionFormat.Zstd).Add(c => c.ChosenLayout, ArchiveLayout.PerSession).Add(c => c.ChosenDictionary, false).Add(c => c.CompressionEnabled, true));
        Assert.Contains("Recommended: per-session zstd with a dictionary", box.Find("[data-testid=recommendation-text]").TextContent);
        box.Find("[data-testid=use-recommendation]");

        var form = new ExportForm();
        form.SetLayout(ArchiveLayout.PerSession);
        form.Dictionary = false;
        form.Apply(perSession);
        var request = form.ToRequest();
        Assert.Equal((CompressionFormat.Zstd, ArchiveLayout.PerSession, (bool?)true), (request.Options.CompressionFormat, request.Options.Layout, request.Options.Dictionary));
        Assert.Empty(request.Validate(int.MaxValue));
    }

    [Fact]
    public void The_panel_offers_the_layout_and_the_dictionary_toggle_only_where_it_applies()
    {
        var form = new ExportForm();
        var panel = Render<CompressionOptions>(p => p.Add(c => c.Form, form));
        Assert.Empty(panel.FindAll("[data-testid=dictionary]"));

        form.SetLayout(ArchiveLayout.PerSession);
        form.Apply(CompressionFormat.Zstd);
        panel.Render();
        Assert.Single(panel.FindAll("[data-testid=dictionary]"));
        Assert.Equal(CompressionFormat.Zstd, form.EffectiveCompression);

        form.Apply(CompressionFormat.TarGz);
        panel.Render();
        Assert.Empty(panel.FindAll("[data-testid=dictionary]"));
        Assert.Contains("A shared dictionary needs zstd", panel.Find("[data-testid=per-session-note]").TextContent);
        Assert.Null(form.ToRequest().Options.Dictionary);
    }

    [Fact]
    public void Small_exports_are_recommended_uncompressed()
    {
        var estimate = new ExportEstimate(3, 10, 40_000, [new CodecEstimate(CompressionFormat.Zstd, 3, 8_000, 80, TimeSpan.Zero)]);

        var recommendation = CompressionRecommender.Recommend(estimate, ClientEnvironment.Unknown, bundle: false);

        Assert.Equal(CompressionFormat.None, recommendation.Format);
        Assert.Contains("small exports", recommendation.Reason);
    }

    [Fact]
    public async Task The_export_page_shows_validation_problems_in_the_page()
    {
        var page = Render<ExportPage>();

        page.Find("[data-testid=format-json]").Click(); // deselect the only format
        await page.Find("[data-testid=start-export]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains("Choose at least one format", page.Find("[data-testid=validation-errors]").TextContent), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void The_export_page_estimates_the_selection_from_a_real_sample()
    {
        var page = Render<ExportPage>();

        page.WaitForAssertion(() => Assert.Contains("30 sessions", page.Find("[data-testid=estimate]").TextContent), TimeSpan.FromSeconds(20));
        Assert.Contains("Recommended:", page.Find("[data-testid=recommendation-text]").TextContent);
    }

    [Theory]
    [InlineData(CompressionFormat.Zstd, new[] { "download-zst", "download-original" })]
    [InlineData(CompressionFormat.TarZst, new[] { "download-zst", "download-original" })]
    [InlineData(CompressionFormat.TarGz, new[] { "download" })]
    [InlineData(CompressionFormat.None, new[] { "download" })]
    [InlineData(CompressionFormat.Tar, new[] { "download" })]
    public void History_rows_offer_the_downloads_their_format_allows(CompressionFormat compression, string[] buttons)
    {
        var id = Guid.NewGuid();
        var job = new ExportJob
        {
            Id = id, Status = ExportJobStatus.Completed, Formats = [ExportFormat.Json], Options = new ExportOptions { CompressionFormat = compression },
            FileName = ExportFiles.FileName(id, [ExportFormat.Json], compression), OriginalBytes = 1000, StoredBytes = 100, CreatedAt = DateTime.UtcNow,
        };

        var table = Render<HistoryTable>(p => p.Add(c => c.Jobs, [job]));

        var found = table.FindAll("a[data-testid^=download]").Select(a => a.GetAttribute("data-testid")).ToArray();
        Assert.Equal(buttons, found);
        Assert.All(table.FindAll("a[data-testid^=download]"), a => Assert.StartsWith($"/api/v1/export/{id}/download", a.GetAttribute("href")));
        if (compression is CompressionFormat.Zstd or CompressionFormat.TarGz)
        {
            Assert.Contains("(90% smaller)", table.Find("[data-testid=compressed-size]").TextContent);
        }
    }
}
