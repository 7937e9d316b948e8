using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using ExportStudio.Benchmarks.RealisticData;
using ExportStudio.Benchmarks.RealisticData.Composing;
using ExportStudio.Benchmarks.RealisticData.Corpus;

namespace ExportStudio.Benchmarks.EndToEnd;

/// <summary>A product whose export the import benchmark feeds the app: ChatGPT's or Claude's conversations.json.</summary>
internal enum ForeignSource
{
    ChatGpt,
    Claude,
}

/// <summary>
/// Writes the realistic data set's sessions (the same seed for both sources, so both files hold the same
/// conversations) in the shape of ChatGPT's or Claude's <c>conversations.json</c>, as the test fixtures show
/// them, until the file reaches the size asked for. One conversation is built at a time and flushed, so
/// memory stays at the corpus's size however large the file gets.
/// </summary>
internal sealed class ForeignExportWriter
{
    // Claude's exports name the first message's parent with this fixed id.
    private const string ClaudeRoot = "00000000-0000-4000-8000-000000000000";

    private static readonly string[] ChatGptModels = ["gpt-4o", "gpt-4o", "gpt-5", "o3", "gpt-4o-mini", "gpt-4.1"];

    // The products write with Python's json.dumps: non-ASCII as \u escapes, but <, > and & as they are. No
    // encoder does both; the relaxed one keeps code's <, > and & (which are common) unescaped, and non-ASCII as
    // UTF-8 (rare in this data set), so the file's size is close to theirs for the same text.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly Rng _rng = new(RealisticOptions.DefaultSeed ^ 0x5eed);

    /// <summary>Writes about <paramref name="bytes"/> bytes to <paramref name="path"/> (through a .partial file, so a cut-short run is never mistaken for a cached one).</summary>
    public static (int Conversations, long Bytes) Write(ForeignSource source, TextCorpus corpus, string path, long bytes)
    {
        var composer = new SessionComposer(corpus, RealisticOptions.DefaultSeed, new Usage());
        var writer = new ForeignExportWriter();
        var partial = path + ".partial";
        var conversations = 0;
        using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        using (var json = new Utf8JsonWriter(file, WriterOptions))
        {
            json.WriteStartArray();
            while (file.Position + json.BytesPending < bytes)
            {
                var session = composer.Next();
                if (source == ForeignSource.ChatGpt)
                {
                    writer.WriteChatGpt(json, session);
                }
                else
                {
                    writer.WriteClaude(json, session);
                }
                conversations++;
                // Flushed after each conversation: the writer's buffer never holds more than one.
                json.Flush();
                if (conversations % 2000 == 0)
                {
                    Console.Write($"\r  {file.Position / 1e6,6:F0} / {bytes / 1e6:F0} MB, {conversations:N0} conversations");
                }
            }
            json.WriteEndArray();
        }
        Console.WriteLine();
        File.Move(partial, path, overwrite: true);
        return (conversations, new FileInfo(path).Length);
    }

    /// <summary>
    /// One ChatGPT conversation: a root without a message, the hidden system node every export has, then
    /// the session's messages as a chain of nodes. A quarter of the answers have a regenerated sibling (an
    /// earlier attempt, left as a leaf, as ChatGPT keeps it); tool calls become a <c>code</c> node addressed to
    /// the tool and the tool's <c>execution_output</c> node, as Code Interpreter's are.
    /// </summary>
    private void WriteChatGpt(Utf8JsonWriter json, ChatSession session)
    {
        var nodes = new List<GptNode>();
        var root = new GptNode("client-created-root", null, null);
        nodes.Add(root);
        var last = Append(nodes, root, id => w => WriteGptMessage(w, id, "system", null, null, "text", "", null, hidden: true));
        var model = _rng.Pick(ChatGptModels);
        foreach (var message in session.Messages)
        {
            var time = Epoch(message.CreatedAt);
            switch (message.Role)
            {
                case MessageRole.User or MessageRole.System:
                    var role = message.Role == MessageRole.User ? "user" : "system";
                    last = Append(nodes, last, id => w => WriteGptMessage(w, id, role, null, time, "text", message.Content, null));
                    break;
                case MessageRole.Tool:
                    last = Append(nodes, last, id => w => WriteGptMessage(w, id, "tool", "python", time, "execution_output", message.Content, null));
                    break;
                default:
                    foreach (var call in message.ToolCalls)
                    {
                        var arguments = call.ArgumentsJson;
                        last = Append(nodes, last, id => w => WriteGptMessage(w, id, "assistant", null, time, "code", arguments, model, recipient: call.Name));
                        if (call.ResultJson is { } result)
                        {
                            var output = ResultText(result);
                            last = Append(nodes, last, id => w => WriteGptMessage(w, id, "tool", call.Name, time + 0.4, "execution_output", output, null));
                        }
                    }
                    if (message.Content.Length == 0)
                    {
                        break;
                    }
                    if (_rng.Chance(0.25))
                    {
                        // The regenerated answer's first attempt: a sibling of the kept one, older, and a leaf.
                        var attempt = Regenerated(message.Content);
                        var earlier = time - 60 - _rng.Next(600);
                        var sibling = new GptNode(_rng.NextGuid().ToString(), last.Id, null);
                        sibling.Write = w => WriteGptMessage(w, sibling.Id, "assistant", null, earlier, "text", attempt, model);
                        Link(last, sibling, nodes);
                    }
                    var content = message.Content;
                    last = Append(nodes, last, id => w => WriteGptMessage(w, id, "assistant", null, time, "text", content, model));
                    break;
            }
        }

        var conversationId = session.Id.ToString();
        json.WriteStartObject();
        json.WriteString("title", session.Title);
        json.WriteNumber("create_time", Epoch(session.CreatedAt));
        json.WriteNumber("update_time", Epoch(session.UpdatedAt));
        json.WriteStartObject("mapping");
        foreach (var node in nodes)
        {
            json.WriteStartObject(node.Id);
            json.WriteString("id", node.Id);
            if (node.Write is null)
            {
                json.WriteNull("message");
            }
            else
            {
                json.WritePropertyName("message");
                node.Write(json);
            }
            if (node.Parent is null)
            {
                json.WriteNull("parent");
            }
            else
            {
                json.WriteString("parent", node.Parent);
            }
            json.WriteStartArray("children");
            foreach (var child in node.Children)
            {
                json.WriteStringValue(child);
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.WriteStartArray("moderation_results");
        json.WriteEndArray();
        json.WriteString("current_node", last.Id);
        json.WriteNull("plugin_ids");
        json.WriteString("conversation_id", conversationId);
        json.WriteNull("conversation_template_id");
        json.WriteNull("gizmo_id");
        json.WriteBoolean("is_archived", false);
        json.WriteStartArray("safe_urls");
        json.WriteEndArray();
        json.WriteString("default_model_slug", model);
        json.WriteNull("conversation_origin");
        json.WriteString("id", conversationId);
        json.WriteEndObject();
    }

    private GptNode Append(List<GptNode> nodes, GptNode parent, Func<string, Action<Utf8JsonWriter>> message)
    {
        var id = _rng.NextGuid().ToString();
        var node = new GptNode(id, parent.Id, message(id));
        Link(parent, node, nodes);
        return node;
    }

    private static void Link(GptNode parent, GptNode child, List<GptNode> nodes)
    {
        parent.Children.Add(child.Id);
        nodes.Add(child);
    }

    private static void WriteGptMessage(Utf8JsonWriter w, string id, string role, string? toolName, double? time, string contentType, string text, string? model,
        bool hidden = false, string recipient = "all")
    {
        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteStartObject("author");
        w.WriteString("role", role);
        if (toolName is null)
        {
            w.WriteNull("name");
        }
        else
        {
            w.WriteString("name", toolName);
        }
        w.WriteStartObject("metadata");
        w.WriteEndObject();
        w.WriteEndObject();
        if (time is { } t)
        {
            w.WriteNumber("create_time", t);
        }
        else
        {
            w.WriteNull("create_time");
        }
        w.WriteNull("update_time");
        w.WriteStartObject("content");
        w.WriteString("content_type", contentType);
        if (contentType == "text")
        {
            w.WriteStartArray("parts");
            w.WriteStringValue(text);
            w.WriteEndArray();
        }
        else
        {
            if (contentType == "code")
            {
                w.WriteString("language", "unknown");
                w.WriteNull("response_format_name");
            }
            w.WriteString("text", text);
        }
        w.WriteEndObject();
        w.WriteString("status", "finished_successfully");
        if (role == "assistant")
        {
            w.WriteBoolean("end_turn", recipient == "all");
        }
        else
        {
            w.WriteNull("end_turn");
        }
        w.WriteNumber("weight", 1.0);
        w.WriteStartObject("metadata");
        if (hidden)
        {
            w.WriteBoolean("is_visually_hidden_from_conversation", true);
        }
        if (model is not null)
        {
            w.WriteString("model_slug", model);
            w.WriteString("default_model_slug", model);
            w.WriteStartObject("finish_details");
            w.WriteString("type", "stop");
            w.WriteEndObject();
        }
        w.WriteString("timestamp_", "absolute");
        w.WriteEndObject();
        w.WriteString("recipient", recipient);
        w.WriteNull("channel");
        w.WriteEndObject();
    }

    /// <summary>
    /// One Claude conversation: human and assistant turns chained by <c>parent_message_uuid</c>. An assistant
    /// turn is everything up to the next human message (Claude keeps tool use inside the reply): a thinking
    /// block now and then, its text blocks, and each tool call as a <c>tool_use</c> block followed by its
    /// <c>tool_result</c>. Claude has no system messages in its export, so the session's are left out.
    /// </summary>
    private void WriteClaude(Utf8JsonWriter json, ChatSession session)
    {
        json.WriteStartObject();
        json.WriteString("uuid", session.Id.ToString());
        json.WriteString("name", session.Title);
        json.WriteString("summary", "");
        json.WriteString("created_at", Iso(session.CreatedAt));
        json.WriteString("updated_at", Iso(session.UpdatedAt));
        json.WriteStartObject("account");
        json.WriteString("uuid", "c1a9a5f8-0000-4e7c-8de7-ad01744881aa");
        json.WriteEndObject();
        json.WriteStartArray("chat_messages");
        var parent = ClaudeRoot;
        var messages = session.Messages.Where(m => m.Role != MessageRole.System).ToList();
        for (var i = 0; i < messages.Count;)
        {
            var first = messages[i];
            var turn = new List<ChatMessage> { first };
            i++;
            if (first.Role != MessageRole.User)
            {
                while (i < messages.Count && messages[i].Role != MessageRole.User)
                {
                    turn.Add(messages[i++]);
                }
            }
            parent = WriteClaudeMessage(json, turn, parent);
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private string WriteClaudeMessage(Utf8JsonWriter json, List<ChatMessage> turn, string parent)
    {
        var uuid = _rng.NextGuid().ToString();
        var human = turn[0].Role == MessageRole.User;
        var start = turn[0].CreatedAt;
        var end = turn[^1].CreatedAt;
        json.WriteStartObject();
        json.WriteString("uuid", uuid);
        json.WriteString("text", string.Join("\n\n", turn.Where(m => m.Role != MessageRole.Tool && m.Content.Length > 0).Select(m => m.Content)));
        json.WriteStartArray("content");
        if (!human && _rng.Chance(0.2))
        {
            json.WriteStartObject();
            WriteStamps(json, start, start.AddSeconds(2));
            json.WriteString("type", "thinking");
            json.WriteString("thinking", "The user asked: " + Truncate(turn[0].Content, 200) + " Answer directly and keep it short.");
            json.WriteStartArray("summaries");
            json.WriteEndArray();
            json.WriteBoolean("cut_off", false);
            json.WriteEndObject();
        }
        foreach (var message in turn)
        {
            if (message.Role == MessageRole.Tool)
            {
                // A tool's output shown on its own: Claude has it as a result block without the call before it.
                WriteToolResult(json, "toolu_" + _rng.NextGuid().ToString("N")[..24], "bash", message.Content);
                continue;
            }
            if (message.Content.Length > 0)
            {
                json.WriteStartObject();
                WriteStamps(json, message.CreatedAt, message.CreatedAt);
                json.WriteString("type", "text");
                json.WriteString("text", message.Content);
                json.WriteStartArray("citations");
                json.WriteEndArray();
                json.WriteEndObject();
            }
            foreach (var call in message.ToolCalls)
            {
                var id = "toolu_" + _rng.NextGuid().ToString("N")[..24];
                json.WriteStartObject();
                WriteStamps(json, message.CreatedAt, message.CreatedAt);
                json.WriteString("type", "tool_use");
                json.WriteString("id", id);
                json.WriteString("name", call.Name);
                json.WritePropertyName("input");
                json.WriteRawValue(call.ArgumentsJson);
                json.WriteString("message", "Running " + call.Name);
                json.WriteEndObject();
                if (call.ResultJson is { } result)
                {
                    WriteToolResult(json, id, call.Name, ResultText(result));
                }
            }
        }
        json.WriteEndArray();
        json.WriteString("sender", human ? "human" : "assistant");
        json.WriteString("created_at", Iso(start));
        json.WriteString("updated_at", Iso(end));
        json.WriteStartArray("attachments");
        json.WriteEndArray();
        json.WriteStartArray("files");
        json.WriteEndArray();
        json.WriteString("parent_message_uuid", parent);
        json.WriteEndObject();
        return uuid;
    }

    private static void WriteToolResult(Utf8JsonWriter json, string id, string name, string text)
    {
        json.WriteStartObject();
        json.WriteNull("start_timestamp");
        json.WriteNull("stop_timestamp");
        json.WriteString("type", "tool_result");
        json.WriteString("tool_use_id", id);
        json.WriteString("name", name);
        json.WriteStartArray("content");
        json.WriteStartObject();
        json.WriteString("type", "text");
        json.WriteString("text", text);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteBoolean("is_error", false);
        json.WriteEndObject();
    }

    private static void WriteStamps(Utf8JsonWriter json, DateTime start, DateTime stop)
    {
        json.WriteString("start_timestamp", Iso(start));
        json.WriteString("stop_timestamp", Iso(stop));
        json.WriteNull("flags");
    }

    /// <summary>
    /// An earlier attempt at an answer: its paragraphs in another order, one of them left out, so the
    /// regenerated branch is about as long as the kept answer but not a copy of it.
    /// </summary>
    private string Regenerated(string answer)
    {
        var paragraphs = answer.Split("\n\n").ToList();
        if (paragraphs.Count > 2)
        {
            paragraphs.RemoveAt(_rng.Next(paragraphs.Count));
        }
        for (var i = paragraphs.Count - 1; i > 0; i--)
        {
            var j = _rng.Next(i + 1);
            (paragraphs[i], paragraphs[j]) = (paragraphs[j], paragraphs[i]);
        }
        return string.Join("\n\n", paragraphs);
    }

    /// <summary>A tool result as the text a tool prints: the string when the result is a JSON string, the JSON otherwise.</summary>
    private static string ResultText(string resultJson)
    {
        try
        {
            using var document = JsonDocument.Parse(resultJson);
            return document.RootElement.ValueKind == JsonValueKind.String ? document.RootElement.GetString()! : resultJson;
        }
        catch (JsonException)
        {
            return resultJson;
        }
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];

    // ChatGPT's times: seconds since 1970 with microseconds, as floats.
    private static double Epoch(DateTime time) => Math.Round((time - DateTime.UnixEpoch).TotalSeconds, 6);

    private static string Iso(DateTime time) => time.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A node of ChatGPT's mapping: its message is written when the conversation is, once every child is known.</summary>
    private sealed class GptNode(string id, string? parent, Action<Utf8JsonWriter>? write)
    {
        public string Id { get; } = id;
        public string? Parent { get; } = parent;
        public Action<Utf8JsonWriter>? Write { get; set; } = write;
        public List<string> Children { get; } = [];
    }
}
