using ExportStudio.Tests.Importing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExportStudio.Tests.Sessions;

/// <summary>The Sessions page's data: a page of sessions by the export filters (sources included), one session whole, a deletion.</summary>
public sealed class SessionBrowsingTests : IAsyncLifetime
{
    private readonly ExportStudioApp _app = new(demoSessions: 5);

    public async Task InitializeAsync()
    {
        using var client = _app.CreateClient();
        await client.ImportAsync(Importing.ImportFixtures.Read("chatgpt/conversations.json"));
        await client.ImportAsync(Importing.ImportFixtures.Read("claude/conversations.json"));
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private SessionCatalog Catalog => _app.Services.GetRequiredService<SessionCatalog>();

    [Fact]
    public async Task Sessions_filter_by_source_and_page_with_the_total()
    {
        var claude = await Catalog.ListAsync(new ExportFilters { Sources = ["claude"] }, 1, 2);
        Assert.Equal(3, claude.Total);
        Assert.Equal(2, claude.Items.Count);
        Assert.All(claude.Items, s => Assert.Equal("claude", s.Source));

        var both = await Catalog.ListAsync(new ExportFilters { Sources = ["claude", "chatgpt"], Search = "lisbon" }, 1, 20);
        Assert.Equal("Planning a 3-day trip to Lisbon", Assert.Single(both.Items).Title);

        var all = await Catalog.ListAsync(ExportFilters.None, 1, 200);
        Assert.Equal(14, all.Total);
        Assert.Equal(5, all.Items.Count(s => s.Source is null));
    }

    [Fact]
    public async Task A_session_reads_whole_in_order_and_deletes_with_its_messages_and_tool_calls()
    {
        var id = Guid.Parse("68e77a51-0c2d-8331-9f44-21b6d0c9e3a2");
        var session = await Catalog.GetTranscriptAsync(id);
        Assert.Equal([0, 1, 2], session!.Messages.Select(m => m.Order));
        Assert.Equal("python", Assert.Single(session.Messages[1].ToolCalls).Name);

        var deletion = _app.Services.GetRequiredService<SessionStore>();
        Assert.True(await deletion.DeleteAsync(id));
        Assert.False(await deletion.DeleteAsync(id));

        Assert.Null(await Catalog.GetTranscriptAsync(id));
        await using var db = _app.CreateDbContext();
        var messageIds = session.Messages.Select(m => m.Id).ToList();
        Assert.Equal(0, await db.Set<ChatMessage>().CountAsync(m => messageIds.Contains(m.Id)));
        Assert.Equal(0, await db.Set<ToolCall>().CountAsync(c => messageIds.Contains(c.MessageId)));
        Assert.Equal(13, await db.Sessions.CountAsync());
        Assert.True(await db.SessionDeletions.AnyAsync(d => d.SessionId == id)); // remembered for incremental exports
    }
}
