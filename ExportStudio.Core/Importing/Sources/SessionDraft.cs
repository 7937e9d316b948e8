using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using ExportStudio.Core.Data;

namespace ExportStudio.Core.Importing.Sources;

/// <summary>
/// One conversation as a reader collects it, in the order a person saw it, and the one place the rules
/// every source shares are applied when it becomes a session: ids (kept, name-based or from the content),
/// times (a message without one takes the previous message's, the first the conversation's, and what has
/// none the import's), the title and model fallbacks, and <c>metadata.source</c>.
/// </summary>
internal sealed class SessionDraft(string source, string? sourceId, ImportContext context)
{
    private const int MaxTitle = 500;
    private const int MaxModel = 200;
    private readonly List<(ChatMessage Message, string? Key, DateTime? Time)> _messages = [];
    private readonly List<string> _models = [];
    private readonly JsonArray _citations = [];

    public string? Title { get; set; }
    public DateTime? CreatedAt { get; set; }
    public DateTime? UpdatedAt { get; set; }
    public List<string> Tags { get; } = [];

    /// <summary>Leaves of the conversation's tree other than the one shown.</summary>
    public int Branches { get; set; }

    /// <summary>The model when no shown assistant message names one.</summary>
    public string? DefaultModel { get; set; }

    /// <summary>More about the origin, written into <c>metadata.source</c> beside kind, id and branches.</summary>
    public JsonObject Details { get; } = [];

    public int Count => _messages.Count;

    public ChatMessage? Last => _messages.Count > 0 ? _messages[^1].Message : null;

    /// <param name="key">The source's id of the message, if it has one.</param>
    /// <param name="model">The model that wrote it (assistant messages), if the source says.</param>
    public ChatMessage Add(MessageRole role, string content, DateTime? time, string? key, string? model = null)
    {
        var message = new ChatMessage { Role = role, Content = content, Order = _messages.Count };
        _messages.Add((message, key, time));
        if (role == MessageRole.Assistant && !string.IsNullOrWhiteSpace(model) && !_models.Contains(model))
        {
            _models.Add(model);
        }
        return message;
    }

    /// <summary>A source the conversation cites (a web page, a document).</summary>
    public void Cite(ChatMessage message, string? title, string? url)
    {
        if ((string.IsNullOrWhiteSpace(url) && string.IsNullOrWhiteSpace(title)) ||
            _citations.Any(c => (int)c!["message"]! == message.Order && (string?)c["url"] == url && (url is not null || (string?)c["title"] == title)))
        {
            return;
        }
        _citations.Add(new JsonObject { ["message"] = message.Order, ["title"] = title, ["url"] = url });
    }

    /// <summary>The session, or null when there is nothing to import (no messages, or content this import has seen).</summary>
    public ChatSession? Build()
    {
        if (_messages.Count == 0)
        {
            context.Drop("emptyConversation");
            return null;
        }
        var key = sourceId ?? "content:" + ContentKey();
        var id = sourceId is null ? SourceIds.NameBased($"{source}:{key}") : SourceIds.For(source, sourceId);
        if (sourceId is null && context.IsRepeat(id))
        {
            return null;
        }
        var created = CreatedAt ?? _messages.Select(m => m.Time).FirstOrDefault(t => t is not null) ?? context.Now;
        var session = new ChatSession
        {
            Id = id,
            Title = Cut(string.IsNullOrWhiteSpace(Title) ? TitleFromText() : Title.Trim(), MaxTitle),
            Model = Cut(_models.FirstOrDefault() ?? (string.IsNullOrWhiteSpace(DefaultModel) ? "unknown" : DefaultModel), MaxModel),
            CreatedAt = created,
            UpdatedAt = UpdatedAt ?? _messages.Max(m => m.Time) ?? created,
            Tags = Tags.Where(t => !string.IsNullOrWhiteSpace(t)).Distinct().ToList(),
            Source = source,
        };
        session.MetadataJson = Metadata();
        session.Messages = Messages(key, created);
        return session;
    }

    private List<ChatMessage> Messages(string conversationKey, DateTime created)
    {
        var ids = new HashSet<Guid>();
        var previous = created;
        var messages = new List<ChatMessage>(_messages.Count);
        foreach (var (message, key, time) in _messages)
        {
            var id = SourceIds.ForMessage(source, conversationKey, key ?? $"#{message.Order}");
            message.Id = ids.Add(id) ? id : SourceIds.NameBased($"{source}:{conversationKey}:#{message.Order}");
            ids.Add(message.Id);
            message.CreatedAt = previous = time ?? previous;
            messages.Add(message);
        }
        return messages;
    }

    private string Metadata()
    {
        var origin = new JsonObject { ["kind"] = source, ["id"] = sourceId, ["branches"] = Branches };
        foreach (var (name, value) in Details.ToList())
        {
            Details.Remove(name);
            origin[name] = value;
        }
        if (_models.Count > 1)
        {
            origin["models"] = new JsonArray(_models.Select(m => (JsonNode)JsonValue.Create(m)).ToArray());
        }
        if (_citations.Count > 0)
        {
            origin["citations"] = _citations.DeepClone();
        }
        return new JsonObject { ["source"] = origin }.ToJsonString(Options);
    }

    private static readonly JsonSerializerOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A title from the first words of the first user message, as chat apps name untitled chats.</summary>
    private string TitleFromText()
    {
        var text = _messages.Select(m => m.Message).FirstOrDefault(m => m.Role == MessageRole.User && m.Content.Trim().Length > 0)?.Content.Trim();
        if (text is null)
        {
            return "Untitled session";
        }
        var line = text.Split('\n')[0].Trim();
        return line.Length <= 80 ? line : line[..80].TrimEnd() + "…";
    }

    /// <summary>A hash of what the conversation says (title, roles, texts, tool calls): equal content, equal id.</summary>
    private string ContentKey()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            writer.WriteStringValue(Title ?? "");
            foreach (var (message, _, _) in _messages)
            {
                writer.WriteStringValue(message.Role.ToWireName());
                writer.WriteStringValue(message.Content);
                foreach (var call in message.ToolCalls)
                {
                    writer.WriteStringValue(call.Name);
                    writer.WriteStringValue(call.ArgumentsJson);
                    writer.WriteStringValue(call.ResultJson ?? "");
                }
            }
            writer.WriteEndArray();
        }
        return SourceIds.ContentKey(buffer.WrittenSpan);
    }

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
