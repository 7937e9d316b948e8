using ExportStudio.Tests.Importing;
using Bunit;
using ExportStudio.Web.Components.Import;
using ExportStudio.Web.Components.Pages;
using ExportStudio.Web.Components.Sessions;
using ExportStudio.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace ExportStudio.Tests.Components;

/// <summary>The Import page's result, the Sessions page's transcript and list, and the safe Markdown they show.</summary>
public sealed class SessionsComponentTests : BunitContext, IAsyncLifetime
{
    private readonly ExportStudioApp _app = new();

    public async Task InitializeAsync()
    {
        this.UseExportStudio(_app);
        using var client = _app.CreateClient();
        await client.ImportAsync(Importing.ImportFixtures.Read("chatgpt/conversations.json"));
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public void The_result_names_the_source_counts_what_was_not_kept_and_links_to_its_sessions()
    {
        var result = new ImportResult("claude", 3, 1, 2, 8, new Dictionary<string, int> { ["image"] = 1, ["reasoning"] = 2 }, ["conversations.json"], "zip");

        var card = Render<ImportResultCard>(p => p.Add(c => c.Result, result).Add(c => c.FileName, "claude-export.zip"));

        Assert.Equal("Imported from Claude", card.Find("h2").TextContent);
        Assert.Equal(("3", "1", "2", "8"), (card.Find("[data-testid=import-imported]").TextContent, card.Find("[data-testid=import-updated]").TextContent,
            card.Find("[data-testid=import-skipped]").TextContent, card.Find("[data-testid=import-messages]").TextContent));
        var dropped = card.FindAll("[data-testid=import-dropped] li").Select(li => li.TextContent).ToList();
        Assert.StartsWith("2 × reasoning", dropped[0]);
        Assert.StartsWith("1 × image", dropped[1]);
        Assert.Equal("/sessions?source=claude", card.Find("[data-testid=import-open-sessions]").GetAttribute("href"));
    }

    [Fact]
    public void A_file_with_nothing_new_says_so()
    {
        var result = new ImportResult("chatgpt", 0, 0, 6, 0, new Dictionary<string, int>(), [], "plain");

        var card = Render<ImportResultCard>(p => p.Add(c => c.Result, result).Add(c => c.FileName, "conversations.json"));

        Assert.Equal("Nothing new in conversations.json: every session in it is here already.", card.Find("[data-testid=import-summary]").TextContent);
    }

    [Fact]
    public async Task A_transcript_shows_roles_rendered_Markdown_and_tool_calls_folded()
    {
        var session = await _app.Services.GetRequiredService<SessionCatalog>().GetTranscriptAsync(Guid.Parse("68e77a51-0c2d-8331-9f44-21b6d0c9e3a2"));

        var transcript = Render<SessionTranscript>(p => p.Add(c => c.Session, session!));

        Assert.Equal("Monthly sales chart", transcript.Find("h2").TextContent);
        Assert.Equal(["user", "assistant", "assistant"], transcript.FindAll("[data-testid=transcript-message]").Select(m => m.GetAttribute("data-role")));
        var call = transcript.Find("details[data-testid=tool-call]");
        Assert.False(call.HasAttribute("open"));
        Assert.Contains("python", call.QuerySelector("summary")!.TextContent);
        Assert.StartsWith("import pandas as pd", call.QuerySelectorAll("pre")[0].TextContent);
    }

    [Fact]
    public void The_sessions_page_lists_the_filtered_sessions_and_opens_one()
    {
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("/sessions/6825abe0-7a41-800e-b3c5-6f0d2a91c4e8?source=chatgpt&search=kyoto");

        var page = Render<SessionsPage>(p => p.Add(c => c.Id, Guid.Parse("6825abe0-7a41-800e-b3c5-6f0d2a91c4e8")));

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=session-row]")));
        Assert.Equal("1 session matches", page.Find("[data-testid=sessions-total]").TextContent);
        Assert.Equal("Best time to visit Kyoto", page.Find("[data-testid=transcript] h2").TextContent);
        Assert.Equal("/?search=kyoto&source=chatgpt", page.Find("[data-testid=sessions-export]").GetAttribute("href"));
    }

    [Theory]
    [InlineData("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;")]
    [InlineData("[click](javascript:alert(1))", "<a href=\"\">click</a>")]
    [InlineData("![tracker](https://example.com/pixel.png)", "<a href=\"https://example.com/pixel.png\">tracker</a>")]
    [InlineData("Run `helm rollback`", "<code>helm rollback</code>")]
    [InlineData("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;")]
    public void Markdown_renders_without_letting_HTML_scripts_or_remote_images_through(string markdown, string expected)
    {
        var html = SafeMarkdown.ToHtml(markdown);
        Assert.Contains(expected, html);
        Assert.DoesNotContain("javascript:", html);
        Assert.DoesNotContain("<img", html);
        Assert.DoesNotContain("<script", html);
    }

    [Fact]
    public void Filters_in_the_address_read_back_as_written_and_select_whole_days()
    {
        var query = SessionQuery.Read("Straße", ["chatgpt", "claude"], ["gpt-4o"], ["work"], "2025-10-01", "2025-10-31");

        var written = query.ToQueryString(page: 2);
        Assert.Equal("?search=Stra%C3%9Fe&source=chatgpt&source=claude&model=gpt-4o&tag=work&from=2025-10-01&to=2025-10-31&page=2", written);
        var filters = query.ToFilters();
        Assert.Equal(new DateTime(2025, 10, 1, 0, 0, 0, DateTimeKind.Utc), filters.From);
        Assert.Equal(new DateTime(2025, 10, 31, 23, 59, 59, DateTimeKind.Utc).AddTicks(9_999_999), filters.To);
        Assert.Null(SessionQuery.Read(null, null, null, null, "31/10/2025", null).From);
    }
}
