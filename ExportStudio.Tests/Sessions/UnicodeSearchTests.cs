using Bunit;
using ExportStudio.Web.Components.Export;
using ExportStudio.Web.Components.Pages;
using Microsoft.EntityFrameworkCore;

namespace ExportStudio.Tests.Sessions;

/// <summary>
/// Searching text in any script: case-insensitive for accented Latin, Turkish, German, Greek and CJK, and the
/// same sessions found by the API, the export panel, the session picker and the export itself.
/// </summary>
public sealed class UnicodeSearchTests : BunitContext, IAsyncLifetime
{
    private readonly ExportStudioApp _app = new(demoSessions: 0);
    private HttpClient _client = null!;
    private IRenderedComponent<MudBlazor.MudPopoverProvider> _popovers = null!;

    /// <summary>Session title → the text of its one message.</summary>
    private static readonly (string Title, string Message)[] Sessions =
    [
        ("Émile Zola notes", "Germinal, chapter one"),
        ("Trip planning", "Two days in İstanbul, then Ankara"),
        ("Airport", "istanbul airport transfer"),
        ("ILIK SU kaynakları", "thermal springs"),
        ("Wohnung in der Straße", "Miete und Nebenkosten"),
        ("Verkehr", "STRASSE GESPERRT"),
        ("Heraclitus", "Ο ΛΌΓΟΣ του Ηράκλειτου"),
        ("Philosophy", "ο λόγος και η φύσις"),
        ("Travel", "東京から京都まで新幹線で"),
        ("Discounts", "Save 100%_off today"),
        ("Plain English", "The quick brown fox"),
    ];

    /// <summary>What a person types → the titles that must be found, newest first.</summary>
    public static readonly (string Search, string[] Titles)[] Cases =
    [
        ("Émile", ["Émile Zola notes"]),
        ("émile", ["Émile Zola notes"]),
        ("ÉMILE", ["Émile Zola notes"]),
        // Accents tell words apart; only case is ignored.
        ("emile", []),
        ("istanbul", ["Airport", "Trip planning"]),
        ("İSTANBUL", ["Airport", "Trip planning"]),
        ("ISTANBUL", ["Airport", "Trip planning"]),
        ("ılık", ["ILIK SU kaynakları"]),
        ("strasse", ["Verkehr", "Wohnung in der Straße"]),
        ("STRASSE", ["Verkehr", "Wohnung in der Straße"]),
        ("straße", ["Verkehr", "Wohnung in der Straße"]),
        ("λόγος", ["Philosophy", "Heraclitus"]),
        ("ΛΌΓΟΣ", ["Philosophy", "Heraclitus"]),
        ("から京", ["Travel"]),
        ("京都", ["Travel"]),
        ("%", ["Discounts"]),
        ("_", ["Discounts"]),
        ("QUICK", ["Plain English"]),
    ];

    public async Task InitializeAsync()
    {
        _client = _app.CreateClient();
        _popovers = this.UseExportStudio(_app);
        await using var db = _app.CreateDbContext();
        var start = new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < Sessions.Length; i++)
        {
            var (title, message) = Sessions[i];
            var createdAt = start.AddHours(i);
            var session = new ChatSession { Id = Guid.NewGuid(), Title = title, Model = "m", CreatedAt = createdAt, UpdatedAt = createdAt };
            session.Messages.Add(new ChatMessage { Id = Guid.NewGuid(), SessionId = session.Id, Role = MessageRole.User, Content = message, CreatedAt = createdAt });
            db.Sessions.Add(session);
        }
        await db.SaveChangesAsync();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        _client.Dispose();
        await base.DisposeAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task The_sessions_api_finds_text_in_every_script_whatever_its_case()
    {
        var wrong = new List<string>();
        foreach (var (search, titles) in Cases)
        {
            var page = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/sessions?search={Uri.EscapeDataString(search)}");
            var found = page.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("title").GetString()!).ToArray();
            if (!found.SequenceEqual(Expected(titles)) || page.GetProperty("total").GetInt32() != titles.Length)
            {
                wrong.Add($"'{search}' found [{string.Join(", ", found)}], expected [{string.Join(", ", titles)}]");
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public async Task An_export_filtered_by_text_in_any_script_exports_the_sessions_the_search_finds()
    {
        var jobs = new List<(string Search, string[] Titles, Guid Id)>();
        var wrong = new List<string>();
        foreach (var (search, titles) in Cases)
        {
            if (titles.Length == 0)
            {
                // An export of nothing is refused before it is queued; the refusal is the search finding nothing.
                using var refused = await _client.PostAsJsonAsync("/api/v1/export", new { format = "json", filters = new { search } });
                if (refused.StatusCode != HttpStatusCode.BadRequest || !(await refused.Content.ReadAsStringAsync()).Contains("No session matches", StringComparison.Ordinal))
                {
                    wrong.Add($"'{search}' should match nothing and be refused, but the create answered {(int)refused.StatusCode}");
                }
                continue;
            }
            jobs.Add((search, titles, await _client.CreateExportAsync(new { format = "json", filters = new { search } })));
        }

        foreach (var (search, titles, id) in jobs)
        {
            var job = await _client.WaitForExportAsync(id);
            Assert.Equal("completed", job.GetProperty("status").GetString());
            using var document = JsonDocument.Parse(await _client.GetByteArrayAsync($"/api/v1/export/{id}/download"));
            var exported = document.RootElement.GetProperty("sessions").EnumerateArray().Select(s => s.GetProperty("title").GetString()!).ToArray();
            if (!exported.Order().SequenceEqual(titles.Order()) || job.GetProperty("sessionCount").GetInt32() != titles.Length)
            {
                wrong.Add($"'{search}' exported [{string.Join(", ", exported)}], expected [{string.Join(", ", titles)}]");
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public void The_session_picker_finds_text_in_any_script_whatever_its_case()
    {
        var picker = Render<SessionPicker>(p => p.Add(c => c.Form, new ExportForm()));

        picker.Find("input[data-testid=session-picker], [data-testid=session-picker] input").Input("ÉMILE");

        _popovers.WaitForAssertion(() => Assert.Contains("Émile Zola notes", _popovers.Markup), TimeSpan.FromSeconds(10));
        picker.Find("input[data-testid=session-picker], [data-testid=session-picker] input").Input("İSTANBUL");
        _popovers.WaitForAssertion(() =>
        {
            Assert.Contains("Trip planning", _popovers.Markup);
            Assert.Contains("Airport", _popovers.Markup);
        }, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void The_export_panel_search_selects_text_in_any_script_whatever_its_case()
    {
        var page = Render<ExportPage>();
        page.WaitForAssertion(() => Assert.Contains($"{Sessions.Length} sessions", page.Find("[data-testid=estimate]").TextContent), TimeSpan.FromSeconds(20));

        var search = page.Find("input[data-testid=search], [data-testid=search] input");
        search.Input("STRASSE");
        search.Blur();

        page.WaitForAssertion(() => Assert.Contains("2 sessions", page.Find("[data-testid=estimate]").TextContent), TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task The_database_folds_text_exactly_as_dotnet_does()
    {
        string[] samples = ["", "ÉMILE Zola", "İstanbul ılık", "STRASSE Straße ẞ", "ΟΔΥΣΣΕΎΣ Οδυσσεύς", "東京から京都", "ﬁle ＡＢＣ１", "Ⱥ and Ⱦ", "😀 Ǆ 𐐀", "i\u0307stanbul"];
        await using (var db = _app.CreateDbContext())
        {
            db.Sessions.RemoveRange(db.Sessions);
            db.Sessions.AddRange(samples.Select((title, i) => new ChatSession { Id = Guid.NewGuid(), Title = title, Model = i.ToString(), CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow }));
            await db.SaveChangesAsync();
        }

        await using var read = _app.CreateDbContext();
        var folded = await read.Sessions.Select(s => new { s.Title, Folded = TextFolding.Fold(s.Title) }).ToListAsync();

        Assert.All(folded, f => Assert.Equal(TextFolding.Fold(f.Title), f.Folded));
        Assert.Equal("émile zola", TextFolding.Fold("ÉMILE Zola"));
        Assert.Equal("istanbul ilik", TextFolding.Fold("İstanbul ılık"));
        Assert.Equal("strasse strasse ss", TextFolding.Fold("STRASSE Straße ẞ"));
        Assert.Equal(TextFolding.Fold("ΟΔΥΣΣΕΎΣ"), TextFolding.Fold("Οδυσσεύς"));
        Assert.Equal("file abc1", TextFolding.Fold("ﬁle ＡＢＣ１"));
        Assert.Equal("istanbul", TextFolding.Fold("i\u0307stanbul"));
        Assert.Equal("", folded.Single(f => f.Title == "").Folded);
    }

    /// <summary>The API lists newest first; the sessions were created in table order.</summary>
    private static IEnumerable<string> Expected(string[] titles) =>
        titles.OrderByDescending(t => Array.FindIndex(Sessions, s => s.Title == t));
}
