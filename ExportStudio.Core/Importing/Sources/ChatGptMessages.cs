using System.Text.Json;
using ExportStudio.Core.Data;

namespace ExportStudio.Core.Importing.Sources;

/// <summary>
/// The nodes of ChatGPT's shown branch, one at a time, as messages. An assistant node addressed to a tool
/// (<c>recipient</c> other than "all": python, browser, web, dalle.text2im…) is a tool call; the tool's
/// nodes that follow are its result, not messages of their own. Nodes ChatGPT hides (system prompts, context,
/// plumbing) are left out, counted as dropped when they carried text; reasoning is counted as dropped too.
/// </summary>
internal sealed class ChatGptMessages(SessionDraft draft, ImportContext context)
{
    private readonly List<OpenCall> _open = [];

    /// <summary>A call waiting for its result: the tool's nodes may come several (an image, then a status line).</summary>
    private sealed class OpenCall(ToolCall call, string tool)
    {
        public ToolCall Call { get; } = call;
        public string Tool { get; } = tool;
        public string? Result { get; set; }
    }

    public void Add(JsonElement message)
    {
        var role = message.Property("author").String("role");
        var recipient = message.String("recipient");
        if (role is "tool" or "function")
        {
            AddToolOutput(message);
        }
        else if (recipient is not (null or "all"))
        {
            AddCall(message, recipient);
        }
        else
        {
            AddMessage(message, role);
        }
    }

    /// <summary>Gives the calls still open their results.</summary>
    public void Finish()
    {
        foreach (var open in _open)
        {
            open.Call.ResultJson = open.Result is null ? null : JsonText.AsJson(open.Result);
        }
        _open.Clear();
    }

    private void AddCall(JsonElement message, string tool)
    {
        var content = message.Property("content");
        var arguments = content.String("content_type") == "code"
            ? content.String("text") ?? ""
            : ChatGptContent.Text(content, context);
        var call = draft.Add(MessageRole.Assistant, "", Time(message), message.String("id"), Model(message));
        var toolCall = SourceToolCalls.Add(call, message.String("id"), tool, JsonText.AsJson(arguments));
        _open.Add(new OpenCall(toolCall, tool));
    }

    private void AddToolOutput(JsonElement message)
    {
        var content = message.Property("content");
        var type = content.String("content_type");
        var text = ChatGptContent.Text(content, context);
        ChatGptContent.DropGeneratedImages(message, context);
        var tool = message.Property("author").String("name");
        var open = _open.LastOrDefault(o => o.Tool == tool) ?? _open.LastOrDefault();
        if (open is not null)
        {
            open.Result = open.Result is null ? text : text.Length == 0 ? open.Result : open.Result.Length == 0 ? text : open.Result + "\n" + text;
        }
        else if (type == "system_error")
        {
            context.Drop("toolError"); // an error of a call this branch does not show
        }
        else if (text.Length > 0 && IsHidden(message))
        {
            context.Drop("hiddenMessage");
        }
        else if (text.Length > 0)
        {
            draft.Add(MessageRole.Tool, text, Time(message), message.String("id"));
        }
    }

    private void AddMessage(JsonElement message, string? role)
    {
        var content = message.Property("content");
        switch (content.String("content_type"))
        {
            case "thoughts" or "reasoning_recap":
                context.Drop("reasoning");
                return;
            case "user_editable_context":
                // Custom instructions: the conversation's context, never a message a person wrote here.
                draft.Details["customInstructions"] = string.Join("\n\n", new[] { content.String("user_profile"), content.String("user_instructions") }.Where(t => !string.IsNullOrWhiteSpace(t)));
                return;
            case "model_editable_context" or "sonic_webpage":
                context.Drop("hiddenMessage");
                return;
            case "system_error":
                context.Drop("toolError");
                return;
        }
        var text = ChatGptContent.Text(content, context);
        if (IsHidden(message))
        {
            if (text.Trim().Length > 0)
            {
                context.Drop("hiddenMessage");
            }
            return;
        }
        var mapped = role switch { "user" => MessageRole.User, "system" or "developer" => MessageRole.System, _ => MessageRole.Assistant };
        if (mapped == MessageRole.Assistant)
        {
            AddAnswer(message, text);
            return;
        }
        text = text.Trim();
        if (text.Length == 0)
        {
            return; // an empty node: the 2023 system prompt, an edit placeholder
        }
        if (mapped == MessageRole.User)
        {
            Finish();
        }
        draft.Add(mapped, text, Time(message), message.String("id"));
    }

    /// <summary>An assistant's visible answer: citation markers out of the text, the pages they cite kept as citations.</summary>
    private void AddAnswer(JsonElement message, string text)
    {
        var markers = new List<string>();
        var clean = ChatGptContent.WithoutCitationMarkers(text, markers);
        if (clean.Length == 0)
        {
            return; // the empty node ChatGPT writes before a search
        }
        var answer = draft.Add(MessageRole.Assistant, clean, Time(message), message.String("id"), Model(message));
        foreach (var (title, url) in ChatGptContent.Citations(message.Property("metadata"), markers))
        {
            draft.Cite(answer, title, url);
        }
    }

    private static bool IsHidden(JsonElement message) => message.Property("metadata").IsTrue("is_visually_hidden_from_conversation");

    private static DateTime? Time(JsonElement message) => SourceTimes.Read(message, "create_time");

    private static string? Model(JsonElement message) => message.Property("metadata").String("model_slug");
}
