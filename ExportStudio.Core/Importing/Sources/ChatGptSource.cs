using System.Text.Json;
using ExportStudio.Core.Data;

namespace ExportStudio.Core.Importing.Sources;

/// <summary>
/// ChatGPT's data export (<c>conversations.json</c>, or its shards): an array of conversations, each a tree
/// of nodes in <c>mapping</c>. What a person saw is the path from the root to <c>current_node</c>; the tree's
/// other leaves are regenerations and edits, counted as branches.
/// </summary>
internal sealed class ChatGptSource : RecordSource
{
    public override string Name => "chatgpt";

    public override string Description => "the ChatGPT data export .zip as downloaded, or its conversations.json";

    public override bool Recognizes(JsonSniff sniff) => sniff.Has("mapping");

    protected override bool TryRead(JsonElement record, ImportContext context, List<ChatSession> sessions)
    {
        var mapping = record.Property("mapping");
        if (mapping.ValueKind != JsonValueKind.Object)
        {
            return false;
        }
        // Both ids are there since late 2023 (and equal); the first exports had only "id".
        var draft = new SessionDraft(Name, record.String("conversation_id") ?? record.String("id"), context)
        {
            Title = record.String("title"),
            CreatedAt = SourceTimes.Read(record, "create_time"),
            UpdatedAt = SourceTimes.Read(record, "update_time"),
            DefaultModel = record.String("default_model_slug") is { } slug && slug != "auto" ? slug : null,
        };
        var (path, branches) = DisplayedPath(mapping, record.String("current_node"));
        draft.Branches = branches;
        var messages = new ChatGptMessages(draft, context);
        foreach (var node in path)
        {
            if (node.Property("message") is { ValueKind: JsonValueKind.Object } message)
            {
                messages.Add(message);
            }
        }
        messages.Finish();
        Describe(record, draft);
        if (draft.Build() is { } session)
        {
            sessions.Add(session);
        }
        return true;
    }

    /// <summary>
    /// The nodes from the root to the shown leaf, in order (never by time: a tool's answer can be older than
    /// its call), and how many other leaves the tree has. Without a usable <c>current_node</c>, the newest leaf.
    /// </summary>
    private static (List<JsonElement> Path, int Branches) DisplayedPath(JsonElement mapping, string? currentNode)
    {
        var nodes = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var node in mapping.EnumerateObject())
        {
            nodes[node.Name] = node.Value;
        }
        var leaves = nodes.Where(n => !n.Value.Items("children").Any(c => c.ValueKind == JsonValueKind.String && nodes.ContainsKey(c.GetString()!)))
            .Select(n => n.Key).ToList();
        var shown = currentNode is not null && nodes.ContainsKey(currentNode)
            ? currentNode
            : leaves.OrderBy(l => SourceTimes.Read(nodes[l].Property("message"), "create_time") ?? DateTime.MinValue).LastOrDefault();
        var path = new List<JsonElement>();
        var visited = new HashSet<string>(StringComparer.Ordinal);
        // A visited set: a damaged file can link a node back to a descendant.
        for (var id = shown; id is not null && nodes.TryGetValue(id, out var node) && visited.Add(id); id = node.String("parent"))
        {
            path.Add(node);
        }
        path.Reverse();
        return (path, leaves.Count(l => l != shown));
    }

    private static void Describe(JsonElement record, SessionDraft draft)
    {
        if (record.String("gizmo_id") is { } gizmo)
        {
            draft.Details["gizmoId"] = gizmo;
        }
        if (record.IsTrue("is_archived"))
        {
            draft.Details["archived"] = true;
        }
        if (record.IsTrue("is_starred"))
        {
            draft.Details["starred"] = true;
        }
    }
}
