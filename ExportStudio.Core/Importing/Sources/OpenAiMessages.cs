using System.Text.Json;
using ExportStudio.Core.Data;

namespace ExportStudio.Core.Importing.Sources;

/// <summary>
/// A list of OpenAI chat messages (fine-tuning lines, batch requests, and the datasets that copy their
/// shape): <c>role</c> and <c>content</c> (a string, null, or parts), the assistant's <c>tool_calls</c>
/// (or the older <c>function_call</c>), and the <c>tool</c> / <c>function</c> replies that become the
/// calls' results. Images and audio parts are counted as dropped.
/// </summary>
internal sealed class OpenAiMessages(SessionDraft draft, ImportContext context)
{
    private readonly List<ToolCall> _unanswered = [];

    public void AddAll(JsonElement messages)
    {
        foreach (var message in messages.Items())
        {
            Add(message);
        }
    }

    public void Add(JsonElement message)
    {
        var calls = new List<(string? Id, string Name, string Arguments)>();
        var text = Content(message.Property("content"), calls).Trim();
        switch (message.String("role"))
        {
            case "tool" or "function" or "observation":
                Answer(message, text);
                break;
            case "assistant" or "model":
                AddAssistant(message, text, calls);
                break;
            case "system" or "developer":
                Add(MessageRole.System, text);
                break;
            default:
                Add(MessageRole.User, text);
                break;
        }
    }

    /// <summary>Adds a message of its own (the first system prompt of a dataset record, a user turn).</summary>
    public void Add(MessageRole role, string text)
    {
        if (text.Length > 0)
        {
            draft.Add(role, text, null, null);
        }
    }

    /// <summary>A reply to a call: by its <c>tool_call_id</c>, or (the older functions) by name, else the last call unanswered.</summary>
    public void Answer(JsonElement message, string text)
    {
        var id = message.String("tool_call_id");
        var name = message.String("name");
        var call = id is not null
            ? _unanswered.FirstOrDefault(c => c.Id == id)
            : _unanswered.LastOrDefault(c => name is null || c.Name == name) ?? _unanswered.LastOrDefault();
        if (call is null)
        {
            Add(MessageRole.Tool, text);
            return;
        }
        call.ResultJson = JsonText.AsJson(text);
        _unanswered.Remove(call);
    }

    /// <summary>An assistant turn; calls made in it wait for their replies.</summary>
    public void AddAssistant(JsonElement message, string text, List<(string? Id, string Name, string Arguments)> calls)
    {
        foreach (var call in message.Items("tool_calls"))
        {
            var function = call.Property("function");
            calls.Add((call.String("id"), function.String("name") ?? call.String("type") ?? "tool", JsonText.AsJson(function.Property("arguments"))));
        }
        if (message.Property("function_call") is { ValueKind: JsonValueKind.Object } legacy)
        {
            calls.Add((null, legacy.String("name") ?? "function", JsonText.AsJson(legacy.Property("arguments"))));
        }
        if (text.Length == 0 && calls.Count == 0)
        {
            return;
        }
        var added = draft.Add(MessageRole.Assistant, text, null, null, message.String("model"));
        foreach (var (id, name, arguments) in calls)
        {
            _unanswered.Add(SourceToolCalls.Add(added, id, name, arguments));
        }
    }

    /// <summary>
    /// The text of a message's content: a string, or its text parts joined by lines (<c>text</c>, or
    /// <c>value</c> in LLaMA-Factory's files); calls written as parts are collected into <paramref name="calls"/>.
    /// </summary>
    public string Content(JsonElement content, List<(string? Id, string Name, string Arguments)> calls)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString()!;
        }
        var texts = new List<string>();
        foreach (var part in content.Items())
        {
            switch (part.String("type"))
            {
                case "text" or "input_text" or "output_text" or "refusal":
                    texts.Add(part.String("text") ?? part.String("value") ?? part.String("refusal") ?? "");
                    break;
                case "image_url" or "input_image" or "image":
                    context.Drop("image");
                    break;
                case "input_audio" or "audio":
                    context.Drop("audio");
                    break;
                case "file" or "input_file":
                    context.Drop("file");
                    break;
                case "reasoning":
                    context.Drop("reasoning");
                    break;
                case "tool_call" when part.String("value") is { } value:
                    calls.AddRange(ShareGptCalls.Parse(value));
                    break;
                default:
                    context.Drop("unknownContent");
                    break;
            }
        }
        return string.Join("\n", texts.Where(t => t.Length > 0));
    }
}
