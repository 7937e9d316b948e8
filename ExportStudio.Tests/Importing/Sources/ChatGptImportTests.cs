using System.Text.Json.Nodes;
using static ExportStudio.Core.Data.MessageRole;

namespace ExportStudio.Tests.Importing.Sources;

/// <summary>ChatGPT's data export, through the import API: its conversations.json, the zip as downloaded, and the 2023 shapes.</summary>
public sealed class ChatGptImportTests : IAsyncLifetime
{
    private readonly ExportStudioApp _app = new();
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _client = _app.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task The_displayed_branch_of_each_conversation_is_imported_with_its_tool_calls_and_the_rest_counted()
    {
        var (status, result) = await _client.ImportAsync(ImportFixtures.Read("chatgpt/conversations.json"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("chatgpt", result.GetProperty("source").GetString());
        Assert.Equal(6, result.GetProperty("imported").GetInt32());
        Assert.Equal(21, result.GetProperty("messages").GetInt32());
        // Binaries are not in conversations.json; reasoning has no place in a transcript; an error answering no call.
        Assert.Equal(3, result.Dropped("image"));
        Assert.Equal(2, result.Dropped("audio"));
        Assert.Equal(2, result.Dropped("reasoning"));
        Assert.Equal(1, result.Dropped("toolError"));
        var sessions = await _app.SessionsAsync();

        // Two branch points (a regenerated answer, an edited prompt): the path to current_node, the other leaves counted.
        var rollback = sessions.Session("68de4a20-3f1c-8326-b1d0-5c4a2e9f7a10");
        Assert.Equal("Rollback plan for staging deploy", rollback.Title);
        Assert.Equal("gpt-5", rollback.Model);
        Assert.Equal("chatgpt", rollback.Source);
        Assert.Equal(ImportFixtures.Utc("2025-10-02T10:13:20.812Z"), rollback.CreatedAt);
        Assert.Equal(ImportFixtures.Utc("2025-10-02T10:28:51.123Z"), rollback.UpdatedAt);
        Assert.Equal(2, rollback.Origin().GetProperty("branches").GetInt32());
        Assert.Equal("chatgpt", rollback.Origin().GetProperty("kind").GetString());
        // The hidden system node and the custom instructions are not messages.
        Transcript.Is(rollback,
            (User, "2025-10-02T10:13:21.208Z", "effd09cf-09fa-4b28-9641-aeddefe1cd35", "How do I roll back a Helm release on our staging cluster?"),
            (Assistant, "2025-10-02T10:15:40.022Z", "fa6a1f27-a34b-4a8f-8f73-e004fd1f2bb3", "Run `helm history staging-api -n staging` to list revisions, then `helm rollback staging-api 41 -n staging --wait`. Check `kubectl rollout status deploy/staging-api -n staging` afterwards."),
            (User, "2025-10-02T10:21:40.750Z", "1409adb4-9de7-4aab-91a3-a6e96d2cc686", "What if revision 41 is also broken? We can't afford downtime 🙏"),
            (Assistant, "2025-10-02T10:21:50.301Z", "2d02d3b5-b9e0-4186-bb21-6df7419269cb", "Roll back to the newest revision whose pods passed readiness…"));

        // Code execution: the code is the call's arguments, the execution output its result, ordered by the tree.
        var chart = sessions.Session("68e77a51-0c2d-8331-9f44-21b6d0c9e3a2");
        Assert.Equal("gpt-5-thinking", chart.Model);
        Transcript.Is(chart,
            (User, "2025-10-09T08:53:23.664Z", null, "Plot the monthly totals from the attached CSV and tell me which month peaked."),
            (Assistant, "2025-10-09T08:53:28.903Z", "43807416-d136-4cf2-b0b9-33249b0b1bdc", ""),
            (Assistant, "2025-10-09T08:53:39.122Z", null, "July 2024 was the peak month with 18,240.50 in sales. The chart above shows every month's total; December comes second."));
        var python = chart.Call(1);
        Assert.Equal("python", python.Name);
        Assert.StartsWith("import pandas as pd\nimport matplotlib.pyplot as plt\n", python.ArgumentsText());
        Assert.Equal("\n<<ImageDisplayed>>(Period('2024-07', 'M'), 18240.5)", python.ResultText());

        // Browsing: the search call on the empty assistant node, the answer without its citation markers.
        var kyoto = sessions.Session("6825abe0-7a41-800e-b3c5-6f0d2a91c4e8");
        Transcript.Is(kyoto,
            (User, "2025-05-15T09:06:41.417Z", null, "When is the best time to see autumn leaves in Kyoto?"),
            (Assistant, "2025-05-15T09:06:42.380Z", null, ""),
            (Assistant, "2025-05-15T09:06:42.415Z", null, "Kyoto's autumn colours usually peak from mid-November to early December.\n\nPopular spots such as Tofuku-ji and Eikan-do get very crowded at weekends, so go early in the morning."));
        Assert.Equal("web", kyoto.Call(1).Name);
        Assert.Equal("search(\"best time autumn leaves Kyoto\")", kyoto.Call(1).ArgumentsText());
        var citations = kyoto.Origin().GetProperty("citations").EnumerateArray().Select(c => c.GetProperty("url").GetString()).ToList();
        Assert.Equal(["https://www.japan-guide.com/e/e2007.html", "https://kyoto.travel/en/see-and-do/autumn-leaves.html"], citations);

        // Right-to-left text and emoji, voice turns read from their transcriptions.
        var garden = sessions.Session("68f6b9c0-1e2f-8329-a4d3-77c0e5b8f912");
        Assert.Equal("صورة الحديقة 🌿", garden.Title);
        Transcript.Is(garden,
            (User, "2025-10-20T22:40:04.332Z", null, "ما نوع هذه النبتة؟ 🌱"),
            (Assistant, null, null, "هذه نبتة النعناع (Mentha). تحتاج إلى ضوء غير مباشر وتربة رطبة دائماً."),
            (User, null, null, "How often should I water it?"),
            (Assistant, "2025-10-20T22:41:13.400Z", null, "Water it when the top two centimetres of soil feel dry — in summer that is usually every two to three days."));

        // A tool call marked by its recipient, though its content type is text.
        var logo = sessions.Session("68fa11d2-5b6c-8330-8e21-0a9c4d3b2e11");
        Assert.Equal("dalle.text2im", logo.Call(1).Name);
        Assert.Equal("1024x1024", JsonNode.Parse(logo.Call(1).ArgumentsText())!["size"]!.GetValue<string>());
        Assert.StartsWith("DALL·E displayed 1 images.", logo.Call(1).ResultText());

        // A null title, a null time and an integer time.
        var untitled = sessions.Session("68fb7e00-9a8b-8332-b7c6-d5e4f3a2b1c0");
        Assert.False(string.IsNullOrWhiteSpace(untitled.Title));
        Assert.Equal("gpt-4o-mini", untitled.Model);
        Assert.Equal(4, untitled.Messages.Count);
        Assert.True(untitled.Messages[0].CreatedAt <= untitled.Messages[1].CreatedAt, "a missing time is never later than the next one's");
        Assert.Equal(ImportFixtures.Utc("2025-10-24T10:00:40.000Z"), untitled.Messages[2].CreatedAt);
        Assert.All(sessions.SelectMany(s => s.Messages), m => Assert.Equal(DateTimeKind.Utc, m.CreatedAt.Kind));
    }

    [Fact]
    public async Task The_2023_shapes_import_with_browsing_results_and_no_conversation_id()
    {
        var (status, result) = await _client.ImportAsync(ImportFixtures.Read("chatgpt/older-conversations.json"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, result.GetProperty("imported").GetInt32());
        var sessions = await _app.SessionsAsync();
        var poem = sessions.Session("74185af4-5d8e-4a7b-9b82-8b6353d54160");
        Assert.Equal("text-davinci-002-render-sha", poem.Model);
        Assert.Equal(1, poem.Origin().GetProperty("branches").GetInt32());
        Transcript.Is(poem,
            (User, "2023-04-14T19:20:00.125Z", "5e297b0c-dacd-46f6-9df0-51e9a747912c", "write a short poem about the Turing test"),
            (Assistant, "2023-04-14T19:22:09.004Z", null, "Behind a curtain, questions fly,\nA human answers, so does I;\nIf you can't guess which one is real,\nThen tell me: can a program feel?"),
            (User, "2023-04-14T19:25:01.870Z", null, "now in German please"),
            (Assistant, "2023-04-14T19:25:12.998Z", null, "Hinter dem Vorhang fliegen Fragen,…"));

        var reykjavik = sessions.Session("e3b1c2d4-0a9f-4c7e-8d6b-5a4f3e2d1c0b");
        Assert.Equal("gpt-4", reykjavik.Model);
        Transcript.Is(reykjavik,
            (User, "2023-11-24T07:33:20.105Z", "aaa2c4f1-8e3b-4d2a-9f6e-1b7c0d5e3a21", "What was the population of Reykjavík in 2023?"),
            (Assistant, null, null, ""),
            (Assistant, null, null, ""),
            (Assistant, "2023-11-24T07:33:39.921Z", null, "Reykjavík had about 139,000 residents in 2023."));
        Assert.Equal(("browser", "search(\"Reykjavik population 2023\")"), (reykjavik.Call(1).Name, reykjavik.Call(1).ArgumentsText()));
        Assert.StartsWith("# 【0†Reykjavík - Wikipedia†en.wikipedia.org】", reykjavik.Call(1).ResultText());
        Assert.Equal("mclick([0])", reykjavik.Call(2).ArgumentsText());
        Assert.Equal("https://en.wikipedia.org/wiki/Reykjav%C3%ADk", reykjavik.Origin().GetProperty("citations")[0].GetProperty("url").GetString());
    }

    [Theory]
    [InlineData("chatgpt/chatgpt-export.zip", "conversations.json")]
    [InlineData("chatgpt/chatgpt-export-2026-sharded.zip", "conversations-000.json,conversations-001.json")]
    public async Task The_zip_as_downloaded_imports_the_same_as_its_conversations_json(string zip, string entries)
    {
        await using var bare = new ExportStudioApp();
        using var bareClient = bare.CreateClient();
        var (_, expected) = await bareClient.ImportAsync(ImportFixtures.Read("chatgpt/conversations.json"));

        var (status, result) = await _client.ImportAsync(ImportFixtures.Read(zip), contentType: "application/zip");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("zip", result.GetProperty("detectedFormat").GetString());
        Assert.Equal(entries, string.Join(",", result.GetProperty("entries").EnumerateArray().Select(e => e.GetString())));
        foreach (var field in new[] { "source", "imported", "messages", "dropped" })
        {
            Assert.Equal(expected.GetProperty(field).GetRawText(), result.GetProperty(field).GetRawText());
        }
        Assert.Equal(Shape(await bare.SessionsAsync()), Shape(await _app.SessionsAsync()));
    }

    [Fact]
    public async Task A_second_import_skips_everything_and_a_newer_version_of_a_conversation_replaces_the_old_one()
    {
        var file = ImportFixtures.Read("chatgpt/conversations.json");
        await _client.ImportAsync(file);

        var (_, again) = await _client.ImportAsync(file);
        Assert.Equal((0, 0, 6, 0), (again.GetProperty("imported").GetInt32(), again.GetProperty("updated").GetInt32(), again.GetProperty("skipped").GetInt32(), again.GetProperty("messages").GetInt32()));

        // The person went on with one conversation and exported again.
        var conversations = JsonNode.Parse(file)!.AsArray();
        var kyoto = conversations.Single(c => (string?)c!["id"] == "6825abe0-7a41-800e-b3c5-6f0d2a91c4e8")!;
        kyoto["title"] = "Kyoto in autumn";
        kyoto["update_time"] = kyoto["update_time"]!.GetValue<double>() + 3600;
        var (status, newer) = await _client.ImportAsync(System.Text.Encoding.UTF8.GetBytes(conversations.ToJsonString()));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((0, 1, 5), (newer.GetProperty("imported").GetInt32(), newer.GetProperty("updated").GetInt32(), newer.GetProperty("skipped").GetInt32()));
        var sessions = await _app.SessionsAsync();
        Assert.Equal(6, sessions.Count);
        Assert.Equal("Kyoto in autumn", sessions.Session("6825abe0-7a41-800e-b3c5-6f0d2a91c4e8").Title);
        Assert.Equal(3, sessions.Session("6825abe0-7a41-800e-b3c5-6f0d2a91c4e8").Messages.Count);
    }

    private static List<string> Shape(List<ChatSession> sessions) => sessions.OrderBy(s => s.Id)
        .Select(s => $"{s.Id} {s.Title} {s.Model} {s.CreatedAt:O} {s.MetadataJson} " + string.Join("|", s.Messages.Select(m =>
            $"{m.Id} {m.Role} {m.CreatedAt:O} {m.Content} " + string.Join(";", m.ToolCalls.Select(c => $"{c.Name} {c.ArgumentsJson} {c.ResultJson}")))))
        .ToList();
}
