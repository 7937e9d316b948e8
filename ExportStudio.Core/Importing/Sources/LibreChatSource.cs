using System.Text.Json;
using ExportStudio.Core.Data;

namespace ExportStudio.Core.Importing.Sources;

/// <summary>
/// LibreChat's conversation export: one conversation with its messages, flat (linked by
/// <c>parentMessageId</c>) or as a tree of <c>children</c> (under <c>messagesTree</c> in 2024, under
/// <c>messages</c> since). LibreChat shows the newest sibling at each fork, so that is the branch imported;
/// the other leaves are counted. The file has no times of its own: the messages' times stand for it.
/// </summary>
internal sealed class LibreChatSource : RecordSource
{
    private const string NoParent = "00000000-0000-0000-0000-000000000000";

    public override string Name => "librechat";

    public override string Description => "a LibreChat conversation exported as JSON";

    public override bool Recognizes(JsonSniff sniff) => sniff.Has("conversationId");

    protected override bool TryRead(JsonElement record, ImportContext context, List<ChatSession> sessions)
    {
        var tree = record.Property("messagesTree").ValueKind == JsonValueKind.Array ? record.Property("messagesTree") : record.Property("messages");
        if (record.String("conversationId") is null || tree.ValueKind != JsonValueKind.Array)
        {
            return false;
        }
        var nodes = Flatten(tree);
        var options = record.Property("options");
        var draft = new SessionDraft(Name, record.String("conversationId"), context)
        {
            Title = record.String("title"),
            CreatedAt = nodes.Select(n => SourceTimes.Read(n.Message, "createdAt")).Where(t => t is not null).Min(),
            UpdatedAt = nodes.Select(n => SourceTimes.Read(n.Message, "updatedAt") ?? SourceTimes.Read(n.Message, "createdAt")).Max(),
            DefaultModel = options.String("model") ?? record.String("model"),
        };
        var (path, branches) = ShownBranch(nodes);
        draft.Branches = branches;
        Describe(record, options, draft);
        foreach (var message in path)
        {
            LibreChatMessages.Add(draft, message, context);
        }
        if (draft.Build() is { } session)
        {
            sessions.Add(session);
        }
        return true;
    }

    /// <summary>Every message with its parent's id, whether the file nests them or lists them; children in file order.</summary>
    private static List<(JsonElement Message, string? Parent)> Flatten(JsonElement tree)
    {
        var nodes = new List<(JsonElement, string?)>();
        // Iterative: a long conversation nests as deep as it is long.
        var pending = new Stack<(JsonElement Message, string? Parent)>(tree.EnumerateArray().Reverse().Select(m => (m, m.String("parentMessageId"))));
        while (pending.TryPop(out var node))
        {
            nodes.Add(node);
            foreach (var child in node.Message.Items("children").Reverse())
            {
                pending.Push((child, node.Message.String("messageId")));
            }
        }
        return nodes;
    }

    private static (List<JsonElement> Path, int Branches) ShownBranch(List<(JsonElement Message, string? Parent)> nodes)
    {
        var ids = nodes.Select(n => n.Message.String("messageId")).Where(id => id is not null).ToHashSet(StringComparer.Ordinal);
        var children = nodes.Where(n => n.Parent is not null && ids.Contains(n.Parent)).ToLookup(n => n.Parent!, n => n.Message, StringComparer.Ordinal);
        var roots = nodes.Where(n => n.Parent is null or NoParent || !ids.Contains(n.Parent)).Select(n => n.Message).ToList();
        var leaves = nodes.Count(n => n.Message.String("messageId") is not { } id || !children.Contains(id));
        var path = new List<JsonElement>();
        var visited = new HashSet<string>(StringComparer.Ordinal);
        var current = roots.LastOrDefault();
        while (current.ValueKind == JsonValueKind.Object && current.String("messageId") is { } id && visited.Add(id))
        {
            path.Add(current);
            current = children[id].LastOrDefault();
        }
        return (path, Math.Max(0, leaves - 1));
    }

    private static void Describe(JsonElement record, JsonElement options, SessionDraft draft)
    {
        if (record.String("endpoint") is { } endpoint)
        {
            draft.Details["endpoint"] = endpoint;
        }
        if (options.String("promptPrefix") is { Length: > 0 } prompt)
        {
            draft.Details["systemPrompt"] = prompt; // the conversation's instructions, not a message in it
        }
        if ((options.String("agent_id") ?? options.String("assistant_id")) is { } agent)
        {
            draft.Details["agent"] = agent;
        }
    }
}
