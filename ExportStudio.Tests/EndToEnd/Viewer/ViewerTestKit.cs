using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace ExportStudio.Tests.EndToEnd.Viewer;

/// <summary>What the viewer's browser tests share: exports made through the API, the database read directly, requests recorded.</summary>
internal static partial class ViewerTestKit
{
    /// <summary>Imports sessions through the API (a second import of the same ids is skipped, so it can run per test).</summary>
    public static async Task ImportAsync(HttpClient client, IReadOnlyList<ChatSession> sessions)
    {
        using var content = new ByteArrayContent(await SampleDocuments.WriteAsync(ExportFormat.Json, new ExportOptions(), sessions));
        content.Headers.ContentType = new("application/json");
        using var response = await client.PostAsync("/api/v1/import", content);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Runs an export through the API and returns its completed job.</summary>
    public static async Task<JsonElement> ExportAsync(HttpClient client, object body)
    {
        var id = await client.CreateExportAsync(body);
        var job = await client.WaitForExportAsync(id);
        Assert.Equal("completed", job.GetProperty("status").GetString());
        return job;
    }

    /// <summary>Every session with its messages and tool calls, in export order, as the database holds them.</summary>
    public static async Task<List<ChatSession>> SessionsAsync(string databasePath)
    {
        var options = new DbContextOptionsBuilder<ExportStudioDbContext>().UseExportStudioSqlite(databasePath).Options;
        await using var db = new ExportStudioDbContext(options);
        var sessions = await db.Sessions.AsNoTracking().Include(s => s.Messages).ThenInclude(m => m.ToolCalls)
            .OrderBy(s => s.CreatedAt).ThenBy(s => s.Id).ToListAsync();
        sessions.ForEach(s => s.Messages.Sort((a, b) => a.Order.CompareTo(b.Order)));
        return sessions;
    }

    /// <summary>Every request the context makes (its pages and their workers), for asserting what was asked of the server.</summary>
    public static List<string> RecordRequests(IBrowserContext context)
    {
        var requests = new List<string>();
        context.Request += (_, request) =>
        {
            lock (requests)
            {
                requests.Add(request.Url);
            }
        };
        return requests;
    }

    /// <summary>Finds the session by its id in the viewer's search and opens it; its title shows in the transcript.</summary>
    public static async Task OpenSessionAsync(IPage page, ChatSession session)
    {
        await page.GetByTestId("viewer-search").FillAsync(session.Id.ToString());
        await Assertions.Expect(page.GetByTestId("session-row")).ToHaveCountAsync(1);
        await page.GetByTestId("session-row").ClickAsync();
        await Assertions.Expect(page.GetByTestId("transcript-title")).ToHaveTextAsync(session.Title);
    }

    /// <summary>The transcript's first hundred messages against the database: role, text as rendered, tool calls.</summary>
    public static async Task AssertTranscriptAsync(IPage page, ChatSession session)
    {
        var messages = page.GetByTestId("message");
        await Assertions.Expect(messages).ToHaveCountAsync(Math.Min(100, session.Messages.Count));
        for (var i = 0; i < Math.Min(100, session.Messages.Count); i++)
        {
            var (expected, shown) = (session.Messages[i], messages.Nth(i));
            Assert.StartsWith($"{i + 1}. {expected.Role.ToWireName()}", await shown.Locator("h3").InnerTextAsync(), StringComparison.OrdinalIgnoreCase);
            Assert.Equal(Expected(expected.Content, markdown: true), Rendered(await shown.GetByTestId("message-text").InnerTextAsync()));
            Assert.Equal(expected.ToolCalls.Count, await shown.Locator("details").CountAsync());
        }
    }

    /// <summary>
    /// The words a reader should see of a stored message, compared through <see cref="Rendered"/>: the lines
    /// that open and close fences dropped; where the text is rendered as Markdown (the viewer) also list
    /// markers, and a web link's address in favour of its label; then the marks of emphasis, code, headings
    /// and quotes dropped and whitespace collapsed.
    /// </summary>
    public static string Expected(string text, bool markdown)
    {
        var lines = new List<string>();
        string? fence = null;
        foreach (var line in text.Split(["\r\n", "\r", "\n"], StringSplitOptions.None))
        {
            var marker = FenceLine().Match(line);
            if (fence is null && marker.Success)
            {
                fence = marker.Groups[1].Value;
                continue;
            }
            if (fence is not null && marker.Success && marker.Groups[1].Value[0] == fence[0] && marker.Groups[1].Value.Length >= fence.Length && line.Trim().Trim(fence[0]).Length == 0)
            {
                fence = null;
                continue;
            }
            lines.Add(fence is null && markdown ? SafeLink().Replace(ListMarker().Replace(line, ""), "$1") : line);
        }
        return Rendered(string.Join(" ", lines));
    }

    /// <summary>The text a page shows, with the marks <see cref="Expected"/> drops dropped and whitespace collapsed.</summary>
    public static string Rendered(string text) => Whitespace().Replace(Marks().Replace(text, ""), " ").Trim();

    [GeneratedRegex(@"^ {0,3}(`{3,}|~{3,})")]
    private static partial Regex FenceLine();

    [GeneratedRegex(@"^\s*([-*+]|\d{1,9}[.)])\s+")]
    private static partial Regex ListMarker();

    [GeneratedRegex(@"\[([^\]\n]+)\]\((?:https?|mailto):[^()\s]+\)")]
    private static partial Regex SafeLink();

    [GeneratedRegex(@"[*`#>_~]")]
    private static partial Regex Marks();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
