using System.Text.Json;
using ExportStudio.Core.Data;

namespace ExportStudio.Core.Importing.Sources;

/// <summary>
/// Open WebUI's "Export Chats" file (and a single chat's download, the same shape): an array of chat rows,
/// each holding its messages as a tree in <c>chat.history.messages</c>. What a person saw is the path
/// from <c>history.currentId</c> up through <c>parentId</c>; other leaves (regenerations, edits, a second
/// model's answer) are counted as branches. Tags are the row's <c>meta.tags</c>.
/// </summary>
internal sealed class OpenWebUiSource : RecordSource
{
    public override string Name => "openwebui";

    public override string Description => "Open WebUI's \"Export Chats\" JSON, or one chat's JSON download";

    public override bool Recognizes(JsonSniff sniff) => sniff.Has("chat");

    protected override bool TryRead(JsonElement record, ImportContext context, List<ChatSession> sessions)
    {
        var chat = record.Property("chat");
        if (chat.ValueKind != JsonValueKind.Object)
        {
            return false;
        }
        var draft = new SessionDraft(Name, record.String("id") ?? (chat.String("id") is { Length: > 0 } id ? id : null), context)
        {
            Title = record.String("title") ?? chat.String("title"),
            CreatedAt = SourceTimes.Read(record, "created_at") ?? SourceTimes.Read(chat, "timestamp"),
            UpdatedAt = SourceTimes.Read(record, "updated_at"),
            DefaultModel = chat.Strings("models").FirstOrDefault(),
        };
        draft.Tags.AddRange(record.Property("meta").Strings("tags"));
        draft.Tags.AddRange(chat.Strings("tags"));
        var (path, branches) = ShownBranch(chat);
        draft.Branches = branches;
        foreach (var message in path)
        {
            OpenWebUiMessages.Add(draft, message, context);
        }
        if (record.IsTrue("archived"))
        {
            draft.Details["archived"] = true;
        }
        if (record.IsTrue("pinned"))
        {
            draft.Details["pinned"] = true;
        }
        if (draft.Build() is { } session)
        {
            sessions.Add(session);
        }
        return true;
    }

    /// <summary>The shown messages from the tree (or the flat list older rows keep), and the other leaves.</summary>
    private static (List<JsonElement> Path, int Branches) ShownBranch(JsonElement chat)
    {
        var history = chat.Property("history");
        var tree = history.Property("messages");
        if (tree.ValueKind != JsonValueKind.Object)
        {
            return (chat.Items("messages").ToList(), 0);
        }
        var byId = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var entry in tree.EnumerateObject())
        {
            byId[entry.Value.String("id") ?? entry.Name] = entry.Value;
        }
        var leaves = byId.Where(m => !m.Value.Items("childrenIds").Any(c => c.ValueKind == JsonValueKind.String && byId.ContainsKey(c.GetString()!))).Select(m => m.Key).ToList();
        var shown = history.String("currentId") is { } current && byId.ContainsKey(current) ? current : leaves.LastOrDefault();
        var path = new List<JsonElement>();
        var visited = new HashSet<string>(StringComparer.Ordinal);
        for (var id = shown; id is not null && byId.TryGetValue(id, out var message) && visited.Add(id); id = message.String("parentId"))
        {
            path.Add(message);
        }
        path.Reverse();
        return (path, leaves.Count(l => l != shown));
    }
}
