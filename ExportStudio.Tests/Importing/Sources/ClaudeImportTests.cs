using System.Text.Json.Nodes;
using static ExportStudio.Core.Data.MessageRole;

namespace ExportStudio.Tests.Importing.Sources;

/// <summary>Claude.ai's data export: content blocks (thinking, tool use and results), attachments, edits as branches, the 2024 text-only shape, the zips.</summary>
public sealed class ClaudeImportTests : ImportSourceTest
{
    [Fact]
    public async Task Conversations_import_with_the_edited_branch_tool_use_and_attachments_text()
    {
        var (result, sessions) = await ImportAsync("claude/conversations.json");

        Assert.Equal("claude", result.GetProperty("source").GetString());
        Assert.Equal(3, Count(result, "imported"));
        Assert.Equal(8, Count(result, "messages"));
        Assert.Equal(1, result.Dropped("emptyConversation"));
        Assert.Equal(1, result.Dropped("image"));
        Assert.Equal(2, result.Dropped("reasoning"));

        // No leaf pointer: the last message's ancestry is what was shown; the earlier prompt is the other branch.
        var lisbon = sessions.Session("df653dac-1edc-4cca-b254-be4c2ed5189f");
        Assert.Equal("Planning a 3-day trip to Lisbon", lisbon.Title);
        Assert.Equal("claude", lisbon.Source);
        Assert.Equal(ImportFixtures.Utc("2026-04-10T08:00:00.123Z"), lisbon.CreatedAt);
        Assert.Equal(ImportFixtures.Utc("2026-04-10T08:20:41.654Z"), lisbon.UpdatedAt);
        Assert.Equal(1, lisbon.Origin().GetProperty("branches").GetInt32());
        Assert.StartsWith("**Conversation Overview**", lisbon.Origin().GetProperty("summary").GetString());
        Transcript.Is(lisbon,
            (User, "2026-04-10T08:00:01.902Z", "41765d88-973e-423c-8051-bb75f579a15d", "I'm going to Lisbon for three days in May. What should I not miss?"),
            (Assistant, "2026-04-10T08:00:02.774Z", "aa3edb6b-9c0e-49f0-a83d-6a5adfaac68d", "Three days is enough for the essentials: Alfama and the castle on day one, Belém on day two, and Sintra as a day trip on day three."),
            (User, "2026-04-10T08:12:40.552Z", "c586afa9-dbff-4fb1-b86f-45ea4e0faf55", "Is a day trip to Sintra worth it in May, and how do I get there?"),
            (Assistant, "2026-04-10T08:12:41.309Z", "df99bb77-adcb-43dd-a319-1039eaed4ce6",
                "Let me check the current train timetable before answering.\n\nYes, May is a good month for Sintra. Trains leave Lisbon's Rossio station roughly every 20 minutes and take about 40 minutes; go early to beat the tour groups at Pena Palace."));
        var search = lisbon.Call(3);
        Assert.Equal("web_search", search.Name);
        ImportFixtures.SameJson("""{"query": "Lisbon Rossio to Sintra train frequency"}""", search.ArgumentsJson);
        Assert.Equal("Trains between Lisboa - Rossio and Sintra run every 20 minutes ... journey time 40 min.", search.ResultText());
        Assert.Contains("cp.pt", lisbon.Origin().GetProperty("citations")[0].GetProperty("url").GetString());

        // An attachment's extracted text is kept in the message; the artifact is a tool call with its body.
        var report = sessions.Session("86c0ca5b-628a-4ae6-a8a7-a952ed8d9c08");
        Assert.Equal("Quarterly report summary 📊", report.Title);
        Assert.StartsWith("Summarise the attached notes for the board. שלום לכולם 👋", report.Messages[0].Content);
        Assert.Contains("q3-notes.txt", report.Messages[0].Content);
        Assert.Contains("Q3 revenue grew 12% to 4.1M.\nChurn fell to 2.3%.", report.Messages[0].Content);
        Assert.Equal("Here is a one-page board summary:\n\nI kept it to five bullet points; tell me if the board prefers a table.", report.Messages[1].Content);
        Assert.Equal("artifacts", report.Call(1).Name);
        Assert.StartsWith("# Q3 summary", JsonNode.Parse(report.Call(1).ArgumentsJson)!["content"]!.GetValue<string>());

        // Right to left; the empty trailing human message ends nothing.
        var meeting = sessions.Session("92b39893-492e-4fe3-8567-d07e0c5fb268");
        Assert.Equal("ملخص الاجتماع", meeting.Title);
        Transcript.Is(meeting,
            (User, "2026-07-14T06:06:50.919Z", null, "لخّص لي نقاط الاجتماع في ثلاث جمل."),
            (Assistant, "2026-07-14T06:06:51.650Z", null, "تم الاتفاق على موعد الإطلاق، وتوزيع المهام، ومراجعة الميزانية يوم الأحد. ✅"));

        // The never-used chat with no name and no messages is not a session.
        Assert.DoesNotContain(sessions, s => s.Id == Guid.Parse("563bd205-c6a4-49c7-927b-27b408fdd55a"));
        await AssertReimportSkipsAllAsync("claude/conversations.json", 3);
    }

    [Fact]
    public async Task The_2024_text_only_shape_imports_with_offsets_in_its_times_and_a_title_for_an_empty_name()
    {
        var (result, sessions) = await ImportAsync("claude/older-conversations.json");

        Assert.Equal(3, Count(result, "imported"));
        var slack = sessions.Session("bb0cfc8b-d69e-4027-8062-fec386450e7c");
        Transcript.Is(slack,
            (User, "2024-09-02T23:22:38.815Z", "de9cddb0-73bd-4a66-b4b4-32242ae07647", "Is there a way to export a Slack conversation so I can turn it into CSV?"),
            (Assistant, "2024-09-02T23:22:38.815Z", "92c7fdbd-8988-4226-9fae-3b5d9ba78a1b", "Yes. Slack offers a workspace export (admins), per-channel export, and the Web API (conversations.history) for custom dumps."));
        var fizz = sessions.Session("5c7dee52-b042-4baa-88b4-c86225b594ab");
        Assert.Contains("fizz.py", fizz.Messages[0].Content);
        Assert.Contains("<antArtifact identifier=\"fizzbuzz-clean\"", fizz.Messages[1].Content);
        var unnamed = sessions.Session("a86c3fab-1ea3-4a6d-a454-4ac40ab23ac6");
        Assert.False(string.IsNullOrWhiteSpace(unnamed.Title));
        Transcript.Is(unnamed, (User, "2024-03-11T18:28:57.305Z", null, "¿Qué significa “madrugada” exactamente?"));
    }

    [Theory]
    [InlineData("claude/claude-export.zip")]
    [InlineData("claude/claude-export-2026.zip")]
    public async Task The_zip_as_downloaded_imports_its_conversations_json_and_ignores_projects_users_and_memories(string zip)
    {
        var (result, sessions) = await ImportAsync(zip);

        Assert.Equal("claude", result.GetProperty("source").GetString());
        Assert.Equal(["conversations.json"], result.GetProperty("entries").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal((3, 8), (Count(result, "imported"), Count(result, "messages")));
        await using var bare = new ExportStudioApp();
        using var bareClient = bare.CreateClient();
        await bareClient.ImportAsync(ImportFixtures.Read("claude/conversations.json"));
        var expected = await bare.SessionsAsync();
        Assert.Equal(expected.Select(Shape).Order(), sessions.Select(Shape).Order());
    }

    private static string Shape(ChatSession s) =>
        $"{s.Id} {s.Title} {s.CreatedAt:O} {s.MetadataJson} " + string.Join("|", s.Messages.Select(m => $"{m.Id} {m.Role} {m.CreatedAt:O} {m.Content} {m.ToolCalls.Count}"));
}
