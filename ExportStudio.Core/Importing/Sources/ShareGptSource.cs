using System.Text.Json;
using System.Text.Json.Nodes;
using ExportStudio.Core.Data;

namespace ExportStudio.Core.Importing.Sources;

/// <summary>
/// ShareGPT-style datasets (a JSON array or JSON Lines) as LLaMA-Factory and the original ShareGPT dumps
/// write them: <c>conversations</c> of <c>{from, value}</c> turns with the role spellings found in the wild,
/// a record-level <c>system</c> prompt, <c>function_call</c> / <c>observation</c> turns as a tool call and its
/// result, preference records (<c>chosen</c> shown, <c>rejected</c> a branch), and records in the OpenAI
/// <c>messages</c> shape that the same files mix in. Dumps saved from the ChatGPT page hold HTML: kept as
/// its text. Records without an id are named by their content, so a repeated record is one session.
/// </summary>
internal sealed class ShareGptSource : RecordSource
{
    public override string Name => "sharegpt";

    public override string Description => "a ShareGPT or LLaMA-Factory dataset (JSON array or JSON Lines of \"conversations\")";

    public override bool Recognizes(JsonSniff sniff) => sniff.Has("conversations");

    protected override bool TryRead(JsonElement record, ImportContext context, List<ChatSession> sessions)
    {
        var turns = record.Property("conversations");
        if (turns.ValueKind != JsonValueKind.Array && record.Property("messages").ValueKind != JsonValueKind.Array)
        {
            return false;
        }
        var draft = new SessionDraft(Name, record.String("id"), context) { DefaultModel = record.String("model") };
        var messages = new OpenAiMessages(draft, context);
        messages.Add(MessageRole.System, (record.String("system") ?? "").Trim());
        if (turns.ValueKind == JsonValueKind.Array)
        {
            foreach (var turn in turns.EnumerateArray())
            {
                AddTurn(messages, turn);
            }
            if (record.Property("chosen") is { ValueKind: not JsonValueKind.Undefined } chosen)
            {
                AddTurn(messages, chosen.ValueKind == JsonValueKind.String ? Turn("gpt", chosen.GetString()!) : chosen);
            }
            draft.Branches = record.Has("rejected") ? 1 : 0;
        }
        else
        {
            messages.AddAll(record.Property("messages"));
        }
        context.Drop("image", record.Items("images").Count());
        context.Drop("video", record.Items("videos").Count());
        context.Drop("audio", record.Items("audios").Count());
        if (record.String("tools") is { Length: > 0 } tools)
        {
            draft.Details["tools"] = Parsed(tools);
        }
        if (draft.Build() is { } session)
        {
            sessions.Add(session);
        }
        return true;
    }

    private static void AddTurn(OpenAiMessages messages, JsonElement turn)
    {
        var value = turn.String("value") ?? turn.String("content") ?? "";
        switch (turn.String("from") ?? turn.String("role"))
        {
            case "human" or "user":
                messages.Add(MessageRole.User, value.Trim());
                break;
            case "system":
                messages.Add(MessageRole.System, value.Trim());
                break;
            case "function_call" or "tool_call":
                messages.AddAssistant(turn, "", ShareGptCalls.Parse(value));
                break;
            case "observation" or "tool" or "function":
                messages.Answer(turn, value.Trim());
                break;
            default:
                // gpt, chatgpt, bing, bard, assistant, model: the other side of the conversation.
                var text = SourceText.LooksLikeHtml(value) ? SourceText.FromHtml(value) : value.Trim();
                messages.AddAssistant(turn, text, []);
                break;
        }
    }

    private static JsonElement Turn(string from, string value)
    {
        using var document = JsonDocument.Parse(new JsonObject { ["from"] = from, ["value"] = value }.ToJsonString());
        return document.RootElement.Clone();
    }

    private static JsonNode? Parsed(string json)
    {
        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return JsonValue.Create(json);
        }
    }
}

/// <summary>The calls a dataset writes as a turn's value: <c>{"name", "arguments"}</c>, or a list of them for parallel calls.</summary>
internal static class ShareGptCalls
{
    public static List<(string? Id, string Name, string Arguments)> Parse(string value)
    {
        try
        {
            using var document = JsonDocument.Parse(value);
            var root = document.RootElement;
            var calls = root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().ToList() : [root];
            return calls.Select(c => (c.String("id"), c.String("name") ?? "tool", JsonText.AsJson(c.Property("arguments")))).ToList();
        }
        catch (JsonException)
        {
            return [(null, "tool", JsonText.Quote(value))];
        }
    }
}
