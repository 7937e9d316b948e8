using System.Text.Json;
using ExportStudio.Core.Data;

namespace ExportStudio.Core.Importing.Sources;

/// <summary>
/// One LibreChat message: who wrote it comes from <c>isCreatedByUser</c> (<c>sender</c> is a display name),
/// its text from the <c>content</c> parts when it has them (agents and assistants) or from <c>text</c>.
/// </summary>
internal static class LibreChatMessages
{
    public static void Add(SessionDraft draft, JsonElement message, ImportContext context)
    {
        var calls = new List<(string? Id, string Name, string Arguments, string? Result)>();
        var parts = message.Items("content").ToList();
        var text = parts.Count > 0 ? ReadParts(parts, calls, context) : (message.String("text") ?? "").Trim();
        if (text.Length == 0 && parts.Count > 0)
        {
            text = (message.String("text") ?? "").Trim();
        }
        context.Drop("image", message.Items("files").Count(f => SourceText.IsImage(f.String("type")) || SourceText.IsImage(f.String("filename"))));
        if (text.Length == 0 && calls.Count == 0)
        {
            return;
        }
        var role = message.IsTrue("isCreatedByUser") ? MessageRole.User : MessageRole.Assistant;
        var added = draft.Add(role, text, SourceTimes.Read(message, "createdAt"), message.String("messageId"), message.String("model"));
        foreach (var (id, name, arguments, result) in calls)
        {
            SourceToolCalls.Add(added, id, name, arguments, result);
        }
        if (message.IsTrue("error"))
        {
            // The answer shown was an error message: kept as text, and marked so.
            if (draft.Details["errorMessages"] is not System.Text.Json.Nodes.JsonArray errors)
            {
                draft.Details["errorMessages"] = errors = [];
            }
            errors.Add(added.Order);
        }
    }

    private static string ReadParts(List<JsonElement> parts, List<(string?, string, string, string?)> calls, ImportContext context)
    {
        var texts = new List<string>();
        foreach (var part in parts)
        {
            switch (part.String("type"))
            {
                case "text":
                    var text = part.Property("text");
                    texts.Add(text.ValueKind == JsonValueKind.String ? text.GetString()! : text.String("value") ?? "");
                    break;
                case "think":
                    context.Drop("reasoning");
                    break;
                case "tool_call":
                    calls.Add(ToolCall(part.Property("tool_call"), context));
                    break;
                case "image_url" or "image_file":
                    context.Drop("image");
                    break;
                case "error":
                    texts.Add(part.String("error") ?? part.String("text") ?? "");
                    break;
                case "agent_update":
                    break; // which agent answers: bookkeeping, not content
                default:
                    context.Drop("unknownContent");
                    break;
            }
        }
        return string.Join("\n\n", texts.Select(t => t.Trim()).Where(t => t.Length > 0));
    }

    /// <summary>An agent's call (<c>args</c> as a JSON string or an object, <c>output</c>) or an assistant's code interpreter run.</summary>
    private static (string?, string, string, string?) ToolCall(JsonElement call, ImportContext context)
    {
        var id = call.String("id");
        if (call.Property("code_interpreter") is { ValueKind: JsonValueKind.Object } interpreter)
        {
            var outputs = interpreter.Items("outputs").ToList();
            context.Drop("image", outputs.Count(o => o.String("type") == "image"));
            var logs = outputs.Where(o => o.String("type") == "logs").Select(o => o.String("logs") ?? "").ToList();
            return (id, "code_interpreter", JsonText.AsJson(interpreter.String("input") ?? ""), logs.Count == 0 ? null : JsonText.AsJson(string.Join("\n", logs)));
        }
        if (call.Property("function") is { ValueKind: JsonValueKind.Object } function)
        {
            return (id, function.String("name") ?? "function", JsonText.AsJson(function.Property("arguments")), function.String("output") is { } output ? JsonText.AsJson(output) : null);
        }
        var result = call.Property("output");
        return (id, call.String("name") ?? call.String("type") ?? "tool", JsonText.AsJson(call.Property("args")),
            result.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? null : JsonText.AsJson(result));
    }
}
