using System.Text.Json.Nodes;

namespace ExportStudio.Tests.Importing.Sources;

/// <summary>
/// A later export of the same conversations, from every source whose exports carry times: the conversation
/// that went on replaces the one held (counted as updated), the others are skipped. Datasets without times
/// (OpenAI JSONL, ShareGPT) have content-based ids, so a changed record is another session, not a newer one.
/// </summary>
public sealed class NewerVersionTests : ImportSourceTest
{
    public static TheoryData<string, string, int> Exports => new()
    {
        { "claude/conversations.json", "df653dac-1edc-4cca-b254-be4c2ed5189f", 3 },
        { "openwebui/chat-export.json", "94c23396-d636-4756-890e-44aa9d22c9aa", 4 },
        { "librechat/flat.json", "0b2984f0-ea96-4efc-8033-5a8ec71263e6", 1 },
        { "exportstudio/document.json", "0c1f4f3e-6a2b-4d8e-9b51-2f7e8a9c0d11", 2 },
    };

    [Theory]
    [MemberData(nameof(Exports))]
    public async Task A_later_export_replaces_the_conversation_that_went_on_and_skips_the_rest(string fixture, string id, int sessions)
    {
        await ImportAsync(fixture);
        var before = (await App.SessionsAsync()).Session(id);

        var (status, result) = await Client.ImportAsync(Newer(fixture, id));

        Assert.True(status == HttpStatusCode.OK, result.ToString());
        Assert.Equal((0, 1, sessions - 1), (Count(result, "imported"), Count(result, "updated"), Count(result, "skipped")));
        var after = (await App.SessionsAsync()).Session(id);
        Assert.Equal("Renamed later", after.Title);
        Assert.True(after.UpdatedAt > before.UpdatedAt, $"{after.UpdatedAt:O} is not after {before.UpdatedAt:O}");
        Assert.Equal(sessions, (await App.SessionsAsync()).Count);

        // The same later export once more: nothing is newer now.
        var (_, again) = await Client.ImportAsync(Newer(fixture, id));
        Assert.Equal((0, 0, sessions), (Count(again, "imported"), Count(again, "updated"), Count(again, "skipped")));
    }

    /// <summary>The fixture as the product would export it an hour later, after the person renamed one conversation and went on with it.</summary>
    private static byte[] Newer(string fixture, string id)
    {
        var root = JsonNode.Parse(ImportFixtures.Read(fixture))!;
        switch (fixture.Split('/')[0])
        {
            case "claude":
                var claude = root.AsArray().Single(c => (string?)c!["uuid"] == id)!;
                claude["name"] = "Renamed later";
                claude["updated_at"] = "2026-04-10T09:20:41.654321Z";
                break;
            case "openwebui":
                var chat = root.AsArray().Single(c => (string?)c!["id"] == id)!;
                chat["title"] = "Renamed later";
                chat["chat"]!["title"] = "Renamed later";
                chat["updated_at"] = chat["updated_at"]!.GetValue<long>() + 3600;
                break;
            case "librechat":
                // LibreChat's conversation carries no time of its own: a later answer is what makes it newer.
                root["title"] = "Renamed later";
                var messages = root["messages"]!.AsArray();
                var last = messages[^1]!.DeepClone();
                last["messageId"] = "7d5c1f6e-0f3e-4b5a-9a53-9d1f0c3b2a10";
                last["parentMessageId"] = (string?)messages[^1]!["messageId"];
                last["_id"] = "965c35ffd4cf5d52bbf3045d";
                last["createdAt"] = "2025-05-12T09:02:12.771Z";
                last["updatedAt"] = "2025-05-12T09:02:17.440Z";
                last["text"] = "And O(n²) is comparing every toy with every other toy.";
                messages.Add(last);
                break;
            default:
                var session = root["sessions"]!.AsArray().Single(s => (string?)s!["id"] == id)!;
                session["title"] = "Renamed later";
                session["updatedAt"] = "2026-01-01T00:00:00.000Z";
                break;
        }
        return System.Text.Encoding.UTF8.GetBytes(root.ToJsonString());
    }
}
