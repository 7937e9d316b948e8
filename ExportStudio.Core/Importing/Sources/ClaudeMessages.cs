using System.Text.Json;
using ExportStudio.Core.Data;

namespace ExportStudio.Core.Importing.Sources;

/// <summary>
/// One Claude message: its content blocks (text, thinking, tool use and results, artifacts) or, in older
/// exports, its text; the extracted text of attached files kept after it; images counted as dropped.
/// </summary>
internal static class ClaudeMessages
{
    public static void Add(SessionDraft draft, JsonElement message, ImportContext context)
    {
        var role = message.String("sender") switch { "human" or "user" => MessageRole.User, _ => MessageRole.Assistant };
        var calls = new List<(string? Id, string Name, string Arguments)>();
        var results = new Dictionary<string, string>(StringComparer.Ordinal);
        var citations = new List<(string? Title, string? Url)>();
        var content = Blocks(message);
        var text = content.ValueKind == JsonValueKind.Array && content.GetArrayLength() > 0
            ? ReadBlocks(content, context, calls, results, citations)
            : message.String("text") ?? "";
        text = text.Trim();
        foreach (var attachment in message.Items("attachments"))
        {
            if (attachment.String("extracted_content") is { Length: > 0 } extracted)
            {
                text = SourceText.WithAttachment(text, attachment.String("file_name"), extracted);
            }
        }
        // Files are listed by name only: an image is counted, a document carried nothing to keep.
        context.Drop("image", message.Items("files").Count(f => SourceText.IsImage(f.String("file_name"))));
        if (text.Length == 0 && calls.Count == 0)
        {
            return; // an empty turn (a reply that never came)
        }
        var added = draft.Add(role, text, SourceTimes.Read(message, "created_at"), message.String("uuid"));
        foreach (var (id, name, arguments) in calls)
        {
            SourceToolCalls.Add(added, id, name, arguments, id is not null && results.TryGetValue(id, out var result) ? JsonText.AsJson(result) : null);
        }
        foreach (var (title, url) in citations)
        {
            draft.Cite(added, title, url);
        }
    }

    /// <summary>The content blocks; one report has them written as a JSON string inside the JSON.</summary>
    private static JsonElement Blocks(JsonElement message)
    {
        var content = message.Property("content");
        if (content.ValueKind == JsonValueKind.String && content.GetString() is { } text && text.TrimStart().StartsWith('['))
        {
            try
            {
                using var document = JsonDocument.Parse(text);
                return document.RootElement.Clone();
            }
            catch (JsonException)
            {
                return default;
            }
        }
        return content;
    }

    private static string ReadBlocks(JsonElement blocks, ImportContext context, List<(string?, string, string)> calls, Dictionary<string, string> results, List<(string?, string?)> citations)
    {
        var texts = new List<string>();
        foreach (var block in blocks.EnumerateArray())
        {
            switch (block.String("type"))
            {
                case "text":
                    texts.Add(block.String("text") ?? "");
                    citations.AddRange(block.Items("citations").Select(c => ((string?)c.Property("details").String("title"), c.Property("details").String("url"))));
                    break;
                case "thinking" or "redacted_thinking":
                    context.Drop("reasoning");
                    break;
                case "tool_use":
                    calls.Add((block.String("id"), block.String("name") ?? "tool", JsonText.AsJson(block.Property("input"))));
                    break;
                case "tool_result":
                    var items = block.Items("content").ToList();
                    if (block.String("tool_use_id") is { } id)
                    {
                        results[id] = string.Join("\n\n", items.Select(i => i.String("text")).Where(t => t is not null));
                    }
                    citations.AddRange(items.Where(i => i.String("type") == "knowledge").Select(i => (i.String("title"), i.String("url"))));
                    break;
                case "injected_prompt_block" or "token_budget":
                    break; // context the product added (memories, the date), not what anyone wrote
                case "image":
                    context.Drop("image");
                    break;
                case var other:
                    if (block.String("text") is { Length: > 0 } unknown)
                    {
                        texts.Add(unknown);
                    }
                    else
                    {
                        context.Drop(other == "document" ? "file" : "unknownContent");
                    }
                    break;
            }
        }
        return string.Join("\n\n", texts.Select(t => t.Trim()).Where(t => t.Length > 0));
    }
}
