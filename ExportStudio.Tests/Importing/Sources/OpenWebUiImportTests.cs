using static ExportStudio.Core.Data.MessageRole;

namespace ExportStudio.Tests.Importing.Sources;

/// <summary>Open WebUI's "Export Chats": the history tree from its currentId, tags, tool calls in details blocks, sources, the older row shape.</summary>
public sealed class OpenWebUiImportTests : ImportSourceTest
{
    [Fact]
    public async Task Chats_import_on_their_current_branch_with_tags_models_tool_calls_and_sources()
    {
        var (result, sessions) = await ImportAsync("openwebui/chat-export.json");

        Assert.Equal("openwebui", result.GetProperty("source").GetString());
        Assert.Equal((4, 13), (Count(result, "imported"), Count(result, "messages")));
        Assert.Equal(1, result.Dropped("image"));
        Assert.Equal(1, result.Dropped("reasoning"));

        // currentId points at an older branch than the newest leaf: that is the one shown.
        var lisbon = sessions.Session("94c23396-d636-4756-890e-44aa9d22c9aa");
        Assert.Equal("🧭 Lisbon trip budget", lisbon.Title);
        Assert.Equal(["travel", "budget"], lisbon.Tags);
        Assert.Equal("llama3.1:8b", lisbon.Model);
        Assert.Equal("openwebui", lisbon.Source);
        Assert.Equal(ImportFixtures.Utc("2025-04-30T08:00:00Z"), lisbon.CreatedAt);
        Assert.Equal(ImportFixtures.Utc("2025-04-30T08:05:30Z"), lisbon.UpdatedAt);
        Assert.Equal(2, lisbon.Origin().GetProperty("branches").GetInt32());
        Transcript.Is(lisbon,
            (User, "2025-04-30T08:00:00Z", "9e6ad35a-04cd-40d0-9030-300e78d0e995", "I have 600 euros for 3 days in Lisbon. Is that enough?"),
            (Assistant, "2025-04-30T08:00:40Z", "3e406de3-e031-421f-995d-d66195640ceb", "It is tight but doable…"),
            (User, "2025-04-30T08:01:40Z", "a3acb906-d3e8-4db5-989e-445ce0f9f863", "What about food costs?"),
            (Assistant, "2025-04-30T08:01:45Z", "dcd1eed2-3584-4e22-8542-67965062570c", "Expect 25-35 euros per day…"));

        // The tool call and the reasoning live in <details> blocks inside the content; the text is what remains.
        var haifa = sessions.Session("4f9a5a99-b693-4b99-a8de-4b1835c44f46");
        Assert.Equal(["weather"], haifa.Tags);
        Assert.Equal("gpt-4o", haifa.Model);
        Transcript.Is(haifa,
            (User, "2026-01-05T08:00:00Z", null, "What's the weather in Haifa right now? ☀️"),
            (Assistant, "2026-01-05T08:00:06Z", "46006d1e-499b-44c4-b721-0926638bfceb", "It's 24°C and clear in Haifa right now, with a light 11 km/h wind."),
            (User, "2026-01-05T08:01:00Z", null, "Any weather warnings for the weekend? Compare two models."),
            (Assistant, "2026-01-05T08:01:08Z", "31a3a1e7-8905-47b4-bb07-a9f126399d5b", "The Israel Meteorological Service expects a heat load on Saturday; drink water and avoid noon sun."));
        Assert.Equal("get_weather", haifa.Call(1).Name);
        ImportFixtures.SameJson("""{"city": "Haifa"}""", haifa.Call(1).ArgumentsJson);
        Assert.Equal("Haifa: 24°C, clear sky, wind 11 km/h", haifa.Call(1).ResultText());
        Assert.Equal(["https://ims.gov.il/en/warnings", "https://www.timeanddate.com/weather/israel/haifa"],
            haifa.Origin().GetProperty("citations").EnumerateArray().Select(c => c.GetProperty("url").GetString()));

        // A failed answer regenerated: the regenerated one is shown; a message without a timestamp follows the one before it.
        var meeting = sessions.Session("a1c30dfb-a754-4744-b475-9778dea78025");
        Assert.Equal("סיכום פגישה", meeting.Title);
        Assert.Equal(1, meeting.Origin().GetProperty("branches").GetInt32());
        Transcript.Is(meeting,
            (User, "2025-08-13T15:46:40Z", null, "תסכם את הפגישה: הוחלט להעביר את השרת לענן בחודש הבא."),
            (Assistant, "2025-08-13T15:47:00Z", "d6b55950-c84d-4ae6-9f46-f5f3b31e96b8", "סיכום: השרת יועבר לענן בחודש הבא. 📝"),
            (User, "2025-08-13T15:47:00Z", null, "תודה!"),
            (Assistant, "2025-08-13T15:47:21Z", null, "בשמחה!"));

        // The unfinished empty answer is not a message.
        Transcript.Is(sessions.Session("4b08ce6e-9f73-422d-b634-a02b81374ede"), (User, "2025-11-24T16:00:00Z", null, "Write a haiku about rain 🌧️"));
        await AssertReimportSkipsAllAsync("openwebui/chat-export.json", 4);
    }

    [Fact]
    public async Task A_single_chat_of_an_older_instance_imports_with_its_citations()
    {
        var (result, sessions) = await ImportAsync("openwebui/single-chat.json");

        Assert.Equal(1, Count(result, "imported"));
        var chat = sessions.Session("4ec26c8d-5de2-4f59-979b-3eae58eaa5a6");
        Assert.Equal(("Remote work policy", "llama3:latest"), (chat.Title, chat.Model));
        Transcript.Is(chat,
            (User, "2024-06-10T06:13:20Z", "627f1d79-2fcf-427c-944d-4505ff63300c", "What does the handbook say about remote work?"),
            (Assistant, "2024-06-10T06:13:29Z", "85ca2074-99c4-4ee8-a05f-fde02bc64b7b", "Employees may work remotely up to three days a week with their manager's approval [1]."));
        Assert.Equal("handbook.pdf", chat.Origin().GetProperty("citations")[0].GetProperty("title").GetString());
    }
}
