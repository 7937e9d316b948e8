using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using ExportStudio.Core.Data;

namespace ExportStudio.Core.Importing.Sources;

/// <summary>
/// One Open WebUI message. Its content may hold blocks the server wrote into it —
/// <c>&lt;details type="reasoning"&gt;</c>, <c>&lt;details type="tool_calls" name=… arguments=… result=…&gt;</c>,
/// <c>&lt;details type="code_interpreter"&gt;</c> — that the page shows folded: the calls become tool calls,
/// reasoning is counted as dropped, and the text is what remains. Newer rows also list the same as
/// structured <c>output</c> items, read when the content has no such blocks.
/// </summary>
internal static partial class OpenWebUiMessages
{
    public static void Add(SessionDraft draft, JsonElement message, ImportContext context)
    {
        var role = message.String("role") switch { "user" => MessageRole.User, "system" => MessageRole.System, _ => MessageRole.Assistant };
        var calls = new List<(string? Id, string Name, string Arguments, string? Result)>();
        var raw = message.String("content") ?? "";
        var text = Details().IsMatch(raw) ? ReadDetails(raw, calls, context) : raw.Trim();
        if (!Details().IsMatch(raw))
        {
            text = ReadOutput(message, text, calls, context);
        }
        if (text.Length == 0 && message.Property("error").String("content") is { Length: > 0 } error)
        {
            text = error; // a failed answer shows its error in its place
        }
        context.Drop("image", message.Items("files").Count(f => f.String("type") == "image" || SourceText.IsImage(f.String("name"))));
        if (text.Length == 0 && calls.Count == 0)
        {
            return; // an answer that never came (done: false)
        }
        var added = draft.Add(role, text, SourceTimes.Read(message, "timestamp"), message.String("id"), message.String("model"));
        foreach (var (id, name, arguments, result) in calls)
        {
            SourceToolCalls.Add(added, id, name, arguments, result);
        }
        foreach (var source in message.Items("sources").Concat(message.Items("citations")))
        {
            Cite(draft, added, source);
        }
    }

    private static string ReadDetails(string content, List<(string?, string, string, string?)> calls, ImportContext context)
    {
        foreach (Match block in Details().Matches(content))
        {
            var attributes = Attributes().Matches(block.Groups["attributes"].Value).ToDictionary(a => a.Groups[1].Value, a => WebUtility.HtmlDecode(a.Groups[2].Value), StringComparer.Ordinal);
            switch (attributes.GetValueOrDefault("type"))
            {
                case "reasoning":
                    context.Drop("reasoning");
                    break;
                case "tool_calls":
                    calls.Add((attributes.GetValueOrDefault("id"), attributes.GetValueOrDefault("name") ?? "tool", JsonText.AsJson(attributes.GetValueOrDefault("arguments") ?? "{}"), Result(attributes.GetValueOrDefault("result"))));
                    break;
                case "code_interpreter":
                    var code = WebUtility.HtmlDecode(Summary().Replace(block.Groups["body"].Value, "")).Trim();
                    calls.Add((null, "code_interpreter", JsonText.AsJson(code), Result(attributes.GetValueOrDefault("output"))));
                    break;
                default:
                    context.Drop("unknownContent");
                    break;
            }
        }
        return Details().Replace(content, "").Trim();
    }

    /// <summary>A result written as JSON (usually a JSON string): the text inside, or the value as it is.</summary>
    private static string? Result(string? written)
    {
        if (string.IsNullOrEmpty(written))
        {
            return null;
        }
        try
        {
            using var value = JsonDocument.Parse(written);
            return value.RootElement.ValueKind == JsonValueKind.String ? JsonText.AsJson(value.RootElement.GetString()!) : value.RootElement.GetRawText();
        }
        catch (JsonException)
        {
            return JsonText.Quote(written);
        }
    }

    private static string ReadOutput(JsonElement message, string text, List<(string?, string, string, string?)> calls, ImportContext context)
    {
        var outputs = message.Items("output").ToList();
        string? OutputOf(string? id)
        {
            var results = outputs.Where(o => o.String("type") == "function_call_output" && o.String("call_id") == id)
                .Select(o => o.String("output") ?? string.Join("\n", o.Items("output").Select(p => p.String("text") ?? ""))).ToList();
            return results.Count == 0 ? null : JsonText.AsJson(string.Join("\n", results));
        }
        foreach (var item in outputs)
        {
            switch (item.String("type"))
            {
                case "reasoning":
                    context.Drop("reasoning");
                    break;
                case "function_call":
                    var id = item.String("call_id") ?? item.String("id");
                    calls.Add((id, item.String("name") ?? "tool", JsonText.AsJson(item.Property("arguments")), OutputOf(id)));
                    break;
                case "message" when text.Length == 0:
                    text = string.Join("\n\n", item.Items("content").Select(c => c.String("text")).Where(t => t is not null)).Trim();
                    break;
            }
        }
        return text;
    }

    private static void Cite(SessionDraft draft, ChatMessage message, JsonElement source)
    {
        var metadata = source.Items("metadata").ToList();
        var urls = source.Property("source").Strings("urls");
        if (urls.Count == 0)
        {
            draft.Cite(message, metadata.Select(m => m.String("title") ?? m.String("source")).FirstOrDefault() ?? source.Property("source").String("name"), null);
            return;
        }
        foreach (var url in urls)
        {
            draft.Cite(message, metadata.FirstOrDefault(m => m.String("source") == url).String("title"), url);
        }
    }

    [GeneratedRegex("<details(?<attributes>\\s[^>]*)?>(?<body>.*?)</details>\\s*", RegexOptions.Singleline)]
    private static partial Regex Details();

    [GeneratedRegex("([\\w-]+)=\"([^\"]*)\"")]
    private static partial Regex Attributes();

    [GeneratedRegex("<summary>.*?</summary>", RegexOptions.Singleline)]
    private static partial Regex Summary();
}
