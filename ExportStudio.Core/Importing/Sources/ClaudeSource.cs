using System.Text.Json;
using ExportStudio.Core.Data;

namespace ExportStudio.Core.Importing.Sources;

/// <summary>
/// Claude.ai's data export (<c>conversations.json</c>): an array of conversations with their
/// <c>chat_messages</c>. Edits and retries are further messages linked by <c>parent_message_uuid</c>; the
/// export has no pointer to the shown one, so the newest message is taken as the shown leaf, as Claude shows
/// the latest version. Exports without parents (2024) are one line of messages.
/// </summary>
internal sealed class ClaudeSource : RecordSource
{
    public override string Name => "claude";

    public override string Description => "the Claude.ai data export .zip as downloaded, or its conversations.json";

    public override bool Recognizes(JsonSniff sniff) => sniff.Has("chat_messages");

    protected override bool TryRead(JsonElement record, ImportContext context, List<ChatSession> sessions)
    {
        var messages = record.Property("chat_messages");
        if (messages.ValueKind != JsonValueKind.Array)
        {
            return false;
        }
        var draft = new SessionDraft(Name, record.String("uuid"), context)
        {
            Title = record.String("name"),
            CreatedAt = SourceTimes.Read(record, "created_at"),
            UpdatedAt = SourceTimes.Read(record, "updated_at"),
        };
        if (record.String("summary") is { Length: > 0 } summary)
        {
            draft.Details["summary"] = summary;
        }
        var (path, branches) = ShownBranch(messages.EnumerateArray().ToList());
        draft.Branches = branches;
        foreach (var message in path)
        {
            ClaudeMessages.Add(draft, message, context);
        }
        if (draft.Build() is { } session)
        {
            sessions.Add(session);
        }
        return true;
    }

    /// <summary>From the last message back through its parents to the root, and how many other leaves there are.</summary>
    private static (List<JsonElement> Path, int Branches) ShownBranch(List<JsonElement> messages)
    {
        if (messages.Count == 0 || !messages.Any(m => m.Has("parent_message_uuid")))
        {
            return (messages, 0);
        }
        var byId = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var message in messages)
        {
            if (message.String("uuid") is { } uuid)
            {
                byId[uuid] = message;
            }
        }
        var parents = messages.Select(m => m.String("parent_message_uuid")).Where(p => p is not null).ToHashSet(StringComparer.Ordinal);
        var leaves = messages.Count(m => m.String("uuid") is { } uuid && !parents.Contains(uuid));
        var path = new List<JsonElement>();
        var visited = new HashSet<string>(StringComparer.Ordinal);
        var current = messages[^1];
        while (true)
        {
            path.Add(current);
            if (current.String("uuid") is not { } id || !visited.Add(id) || current.String("parent_message_uuid") is not { } parent || !byId.TryGetValue(parent, out current))
            {
                break;
            }
        }
        path.Reverse();
        return (path, Math.Max(0, leaves - 1));
    }
}
