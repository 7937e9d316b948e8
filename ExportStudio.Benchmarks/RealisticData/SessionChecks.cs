using System.Text.Json;

namespace ExportStudio.Benchmarks.RealisticData;

/// <summary>
/// What the database and the exports rely on, checked on composed sessions: keys unique and pointing at
/// their parents, orders matching positions, lengths within the schema's limits, JSON fields valid, times
/// in order.
/// </summary>
internal static class SessionChecks
{
    // The schema's column limits (ChatSessionConfiguration, ToolCallConfiguration).
    private const int MaxTitle = 500;
    private const int MaxModel = 200;
    private const int MaxToolName = 200;

    /// <param name="ids">Session and message ids seen so far: the tables' primary keys.</param>
    public static void Check(ChatSession session, HashSet<Guid> ids, List<string> problems)
    {
        var name = $"Session {session.Id}";
        if (!ids.Add(session.Id)) problems.Add($"{name}: its id was used before.");
        if (session.Title.Length is 0 or > MaxTitle) problems.Add($"{name}: title of {session.Title.Length} characters.");
        if (session.Model.Length is 0 or > MaxModel) problems.Add($"{name}: model name of {session.Model.Length} characters.");
        if (session.CreatedAt.Kind != DateTimeKind.Utc || session.UpdatedAt < session.CreatedAt) problems.Add($"{name}: times not UTC or out of order.");
        CheckJson(session.MetadataJson, $"{name} metadata", problems);
        var last = session.CreatedAt;
        for (var m = 0; m < session.Messages.Count; m++)
        {
            var message = session.Messages[m];
            var where = $"{name} message {m}";
            if (!ids.Add(message.Id)) problems.Add($"{where}: its id was used before.");
            if (message.SessionId != session.Id || message.Order != m) problems.Add($"{where}: SessionId or Order not set.");
            if (message.CreatedAt < last) problems.Add($"{where}: earlier than the message before it.");
            last = message.CreatedAt;
            CheckToolCalls(message, where, problems);
        }
        if (session.Messages.Count > 0 && session.UpdatedAt != last) problems.Add($"{name}: UpdatedAt is not its last message's time.");
    }

    private static void CheckToolCalls(ChatMessage message, string where, List<string> problems)
    {
        var callIds = new HashSet<string>(StringComparer.Ordinal);
        for (var c = 0; c < message.ToolCalls.Count; c++)
        {
            var call = message.ToolCalls[c];
            var what = $"{where} tool call {c}";
            if (!callIds.Add(call.Id)) problems.Add($"{what}: id {call.Id} repeated within the message.");
            if (call.MessageId != message.Id || call.Order != c) problems.Add($"{what}: MessageId or Order not set.");
            if (call.Name.Length is 0 or > MaxToolName) problems.Add($"{what}: name of {call.Name.Length} characters.");
            CheckJson(call.ArgumentsJson, $"{what} arguments", problems);
            if (call.ResultJson is not null) CheckJson(call.ResultJson, $"{what} result", problems);
        }
    }

    /// <summary>The exports write these fields verbatim, so invalid JSON would make an invalid export.</summary>
    private static void CheckJson(string json, string what, List<string> problems)
    {
        try
        {
            using var _ = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            problems.Add($"{what}: not valid JSON ({e.Message}).");
        }
    }
}
