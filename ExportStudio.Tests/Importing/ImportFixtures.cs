using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;

namespace ExportStudio.Tests.Importing;

/// <summary>The fixtures of the import readers (export files as each product writes them) and the calls every import test makes.</summary>
public static class ImportFixtures
{
    public static byte[] Read(string path) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Importing", "Fixtures", path));

    /// <summary>Posts a file to the import API as the raw body (as <c>curl --data-binary</c> would); returns the status and the answer.</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Body)> ImportAsync(this HttpClient client, byte[] file, string? source = null, string contentType = "application/octet-stream")
    {
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        using var response = await client.PostAsync(source is null ? "/api/v1/import" : $"/api/v1/import?source={Uri.EscapeDataString(source)}", content);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    /// <summary>Every session the app holds, with messages and tool calls in order.</summary>
    public static async Task<List<ChatSession>> SessionsAsync(this ExportStudioApp app)
    {
        await using var db = app.CreateDbContext();
        var sessions = await db.Sessions.AsNoTracking().Include(s => s.Messages).ThenInclude(m => m.ToolCalls).ToListAsync();
        foreach (var session in sessions)
        {
            session.Messages = session.Messages.OrderBy(m => m.Order).ToList();
            foreach (var message in session.Messages)
            {
                message.ToolCalls = message.ToolCalls.OrderBy(c => c.Order).ToList();
            }
        }
        return sessions;
    }

    public static ChatSession Session(this List<ChatSession> sessions, string id) => sessions.Single(s => s.Id == Guid.Parse(id));

    /// <summary>The id a source's non-GUID id becomes: a name-based UUID of "source:id".</summary>
    public static ChatSession Session(this List<ChatSession> sessions, string source, string sourceId) => sessions.Single(s => s.Id == SourceIds.For(source, sourceId));

    /// <summary>A time as the fixtures write it: UTC, milliseconds.</summary>
    public static DateTime Utc(string iso) => DateTime.Parse(iso, null, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal);

    /// <summary>Two JSON texts mean the same value.</summary>
    public static void SameJson(string expected, string? actual)
    {
        Assert.NotNull(actual);
        Assert.True(JsonNode(expected).DeepEquals(JsonNode(actual)), $"Expected {expected}, got {actual}");
    }

    private static System.Text.Json.Nodes.JsonNode? JsonNode(string json) => System.Text.Json.Nodes.JsonNode.Parse(json);

    private static bool DeepEquals(this System.Text.Json.Nodes.JsonNode? a, System.Text.Json.Nodes.JsonNode? b) => System.Text.Json.Nodes.JsonNode.DeepEquals(a, b);

    /// <summary>A session's <c>metadata.source</c>.</summary>
    public static JsonElement Origin(this ChatSession session) => JsonDocument.Parse(session.MetadataJson).RootElement.GetProperty("source").Clone();
}

/// <summary>What a transcript is expected to hold, message by message.</summary>
public static class Transcript
{
    /// <summary>
    /// The messages in order: role, time (null: not checked), the message id (null: not checked), and the
    /// text, whole or — ending in "…" — as its start.
    /// </summary>
    public static void Is(ChatSession session, params (MessageRole Role, string? At, string? Id, string Text)[] expected)
    {
        Assert.Equal(expected.Select(e => e.Role), session.Messages.Select(m => m.Role));
        for (var i = 0; i < expected.Length; i++)
        {
            var (_, at, id, text) = expected[i];
            var message = session.Messages[i];
            if (at is not null)
            {
                Assert.Equal(ImportFixtures.Utc(at), message.CreatedAt);
            }
            if (id is not null)
            {
                Assert.Equal(Guid.Parse(id), message.Id);
            }
            if (text.EndsWith('…'))
            {
                Assert.StartsWith(text[..^1], message.Content);
            }
            else
            {
                Assert.Equal(text, message.Content);
            }
        }
    }

    public static ToolCall Call(this ChatSession session, int message, int call = 0) => session.Messages[message].ToolCalls[call];

    /// <summary>A tool call's result as the text it holds (results are stored as JSON).</summary>
    public static string? ResultText(this ToolCall call) => call.ResultJson is null ? null : JsonDocument.Parse(call.ResultJson).RootElement switch
    {
        { ValueKind: JsonValueKind.String } text => text.GetString(),
        var other => other.GetRawText(),
    };

    /// <summary>A tool call's arguments as the text shown (a JSON string's value, or the JSON itself).</summary>
    public static string ArgumentsText(this ToolCall call) => JsonDocument.Parse(call.ArgumentsJson).RootElement switch
    {
        { ValueKind: JsonValueKind.String } text => text.GetString()!,
        var other => other.GetRawText(),
    };

    public static int Dropped(this JsonElement result, string reason) =>
        result.GetProperty("dropped").TryGetProperty(reason, out var count) ? count.GetInt32() : 0;
}
