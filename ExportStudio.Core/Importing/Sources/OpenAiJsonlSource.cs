using System.Text.Json;
using System.Text.Json.Nodes;
using ExportStudio.Core.Data;

namespace ExportStudio.Core.Importing.Sources;

/// <summary>
/// OpenAI's chat JSON Lines: fine-tuning lines (<c>messages</c>), preference lines (<c>input</c> with
/// <c>preferred_output</c> shown and <c>non_preferred_output</c> counted as a branch), and Batch API files —
/// request lines (<c>custom_id</c>, <c>body</c>) and response lines (<c>custom_id</c>, <c>response</c>).
/// Lines without an id are named by their content, so a repeated line is one session. A request and its
/// response are separate sessions: joining them would mean holding one file in memory until the other comes.
/// </summary>
internal sealed class OpenAiJsonlSource : RecordSource
{
    public override string Name => "openai-jsonl";

    public override string Description => "OpenAI chat fine-tuning, preference or Batch API JSON Lines";

    public override bool Recognizes(JsonSniff sniff) =>
        sniff.Has("custom_id") || sniff.Has("preferred_output") || sniff.Has("non_preferred_output") || (sniff.Has("messages") && !sniff.Has("conversations"));

    protected override bool TryRead(JsonElement record, ImportContext context, List<ChatSession> sessions)
    {
        (bool Recognised, SessionDraft? Draft) read = record switch
        {
            _ when record.String("custom_id") is { } id && record.Has("body") => Request(record.Property("body"), id, record.String("url"), context),
            _ when record.String("custom_id") is { } id && record.TryGetProperty("response", out _) => Response(record, id, context),
            _ when record.Has("preferred_output") || record.Has("non_preferred_output") => (true, Preference(record, context)),
            _ when record.Property("messages").ValueKind == JsonValueKind.Array => (true, FineTuning(record, context)),
            _ => (false, null),
        };
        if (read.Draft?.Build() is { } session)
        {
            sessions.Add(session);
        }
        return read.Recognised;
    }

    private SessionDraft FineTuning(JsonElement record, ImportContext context)
    {
        var draft = new SessionDraft(Name, null, context);
        new OpenAiMessages(draft, context).AddAll(record.Property("messages"));
        KeepTools(record, draft);
        return draft;
    }

    private SessionDraft Preference(JsonElement record, ImportContext context)
    {
        var draft = new SessionDraft(Name, null, context);
        var messages = new OpenAiMessages(draft, context);
        messages.AddAll(record.Property("input").Property("messages"));
        messages.AddAll(record.Property("preferred_output"));
        draft.Branches = record.Items("non_preferred_output").Any() ? 1 : 0;
        KeepTools(record.Property("input"), draft);
        return draft;
    }

    /// <summary>A batch request: chat completions take messages, responses take instructions and input; other endpoints are no conversation.</summary>
    private (bool, SessionDraft?) Request(JsonElement body, string customId, string? url, ImportContext context)
    {
        if (url is not null && !url.EndsWith("/chat/completions", StringComparison.Ordinal) && !url.EndsWith("/responses", StringComparison.Ordinal))
        {
            return (false, null); // embeddings, completions: no conversation to import
        }
        var draft = new SessionDraft(Name, customId, context) { DefaultModel = body.String("model") };
        var messages = new OpenAiMessages(draft, context);
        messages.AddAll(body.Property("messages"));
        messages.Add(MessageRole.System, (body.String("instructions") ?? "").Trim());
        var input = body.Property("input");
        if (input.ValueKind == JsonValueKind.String)
        {
            messages.Add(MessageRole.User, input.GetString()!.Trim());
        }
        messages.AddAll(input);
        draft.Details["customId"] = customId;
        KeepTools(body, draft);
        return (true, draft);
    }

    /// <summary>A batch response: the answer of a chat completion or a response; a failed request has none.</summary>
    private (bool, SessionDraft?) Response(JsonElement record, string customId, ImportContext context)
    {
        var body = record.Property("response").Property("body");
        var choice = body.Items("choices").FirstOrDefault().Property("message");
        var output = body.Items("output").Where(o => o.String("type") == "message").ToList();
        if (choice.ValueKind != JsonValueKind.Object && output.Count == 0)
        {
            if (body.Has("error") || record.Has("error"))
            {
                context.Drop("failedRequest");
                return (true, null);
            }
            return (false, null); // an embeddings result
        }
        var draft = new SessionDraft(Name, customId + "/response", context)
        {
            Title = $"Response to {customId}",
            CreatedAt = SourceTimes.Read(body, "created") ?? SourceTimes.Read(body, "created_at"),
            DefaultModel = body.String("model"),
        };
        var messages = new OpenAiMessages(draft, context);
        if (choice.ValueKind == JsonValueKind.Object)
        {
            messages.AddAssistant(choice, messages.Content(choice.Property("content"), []).Trim(), []);
        }
        foreach (var item in output)
        {
            messages.AddAssistant(item, messages.Content(item.Property("content"), []).Trim(), []);
        }
        draft.Details["customId"] = customId;
        return (true, draft);
    }

    /// <summary>The function definitions a line offers the model: part of the example, not of any message.</summary>
    private static void KeepTools(JsonElement holder, SessionDraft draft)
    {
        var tools = holder.Property("tools").ValueKind == JsonValueKind.Array ? holder.Property("tools") : holder.Property("functions");
        if (tools.ValueKind == JsonValueKind.Array && tools.GetArrayLength() > 0)
        {
            draft.Details["tools"] = JsonNode.Parse(tools.GetRawText());
        }
    }
}
