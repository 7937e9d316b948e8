using System.Text;
using System.Text.Json;
using ExportStudio.Core.Data;

namespace ExportStudio.Core.Importing.Sources;

/// <summary>
/// Reads a session object of an export in one forward pass of <see cref="Utf8JsonReader"/>, straight into
/// the entities — the import's common case, a file ExportStudio wrote. It only ever declines: at anything
/// it does not expect (a value of another kind, a property given twice, a time or id in another spelling,
/// text that is not valid Unicode) it returns null, and <see cref="ExportStudioSessionParser"/> reads the
/// session again through a <see cref="JsonDocument"/> and names the problem, or accepts the spelling.
/// What it returns is what that parser returns for the same bytes.
/// </summary>
internal static class ExportStudioSessionReader
{
    /// <summary>Raw values are kept as text; bytes that are not UTF-8 decline rather than turn into U+FFFD.</summary>
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// How deep a session may nest, read alone: as deep as the file's own reader lets any value nest, so that
    /// whether a session is refused never depends on which of the two reads it.
    /// </summary>
    internal static readonly JsonReaderOptions Options = new() { MaxDepth = 128 };

    /// <summary>The session of <paramref name="json"/>, which holds exactly one session object; null when it declines.</summary>
    public static ChatSession? TryRead(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json, Options);
            return reader.Read() && reader.TokenType == JsonTokenType.StartObject ? ReadSession(ref reader, json) : null;
        }
        catch (Exception exception) when (IsDecline(exception))
        {
            return null;
        }
    }

    /// <summary>
    /// The session object <paramref name="reader"/> stands at the start of, read on that reader in the same pass
    /// that finds where the object ends: the reader then stands at its closing brace. Declines — the reader
    /// left where it was — for anything <see cref="TryRead"/> declines and for an object the data does not
    /// hold to its end yet.
    /// </summary>
    /// <param name="json">The data <paramref name="reader"/> reads, from its first byte.</param>
    public static ChatSession? TryReadAt(ref Utf8JsonReader reader, ReadOnlySpan<byte> json)
    {
        var attempt = reader;
        try
        {
            // The data may end inside the object: a read that ran out of it leaves the reader on the last token
            // it had, which is the object's own closing brace only when the object is whole.
            if (ReadSession(ref attempt, json) is { } session && attempt.CurrentDepth == reader.CurrentDepth)
            {
                reader = attempt;
                return session;
            }
        }
        catch (Exception exception) when (IsDecline(exception))
        {
        }
        return null;
    }

    private static bool IsDecline(Exception exception) => exception is JsonException or InvalidOperationException or FormatException or ArgumentException;

    [Flags]
    private enum Seen
    {
        None = 0, Id = 1, Title = 2, Model = 4, CreatedAt = 8, UpdatedAt = 16, Tags = 32, Metadata = 64, Messages = 128,
        Role = 256, Content = 512, Name = 1024, Arguments = 2048, Result = 4096, ToolCalls = 8192,
    }

    private static ChatSession? ReadSession(ref Utf8JsonReader reader, ReadOnlySpan<byte> json)
    {
        var seen = Seen.None;
        Guid id = default;
        string? title = null, model = null, metadata = null;
        DateTime? createdAt = null, updatedAt = null;
        List<string>? tags = null;
        List<ChatMessage>? messages = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var property = Property(ref reader, SessionProperties);
            if (property != Seen.None && !First(ref seen, property))
            {
                return null;
            }
            if (!reader.Read())
            {
                return null;
            }
            var ok = property switch
            {
                Seen.Id => TryGuid(ref reader, out id),
                Seen.Title => TryString(ref reader, out title),
                Seen.Model => TryString(ref reader, out model),
                Seen.CreatedAt => TryTime(ref reader, out createdAt) && createdAt is not null,
                Seen.UpdatedAt => TryTime(ref reader, out updatedAt),
                Seen.Tags => TryTags(ref reader, out tags),
                Seen.Metadata => TryMetadata(ref reader, json, out metadata),
                Seen.Messages => TryObjects(ref reader, json, ReadMessage, out messages),
                _ => reader.TrySkip(),
            };
            if (!ok)
            {
                return null;
            }
        }
        if (reader.TokenType != JsonTokenType.EndObject || !seen.HasFlag(Seen.Id) || createdAt is null)
        {
            return null;
        }
        var session = new ChatSession
        {
            Id = id,
            Title = title ?? "Untitled session",
            Model = model ?? "unknown",
            CreatedAt = createdAt.Value,
            UpdatedAt = updatedAt ?? createdAt.Value,
            Tags = tags ?? [],
            MetadataJson = metadata ?? "{}",
        };
        if (messages is not null)
        {
            foreach (var message in messages)
            {
                message.SessionId = id;
            }
            session.Messages = messages;
        }
        return session;
    }

    private delegate T? ItemReader<T>(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, int index) where T : class;

    /// <summary>An array of objects, each read by <paramref name="read"/>; null for a JSON null.</summary>
    private static bool TryObjects<T>(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, ItemReader<T> read, out List<T>? items) where T : class
    {
        items = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }
        items = [];
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            if (read(ref reader, json, items.Count) is not { } item)
            {
                return false;
            }
            items.Add(item);
        }
        return reader.TokenType == JsonTokenType.EndArray;
    }

    private static ChatMessage? ReadMessage(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, int order)
    {
        var seen = Seen.None;
        Guid id = default;
        MessageRole role = default;
        string? content = null;
        DateTime? createdAt = null;
        List<ToolCall>? calls = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var property = Property(ref reader, MessageProperties);
            if (property != Seen.None && !First(ref seen, property))
            {
                return null;
            }
            if (!reader.Read())
            {
                return null;
            }
            var ok = property switch
            {
                Seen.Id => TryGuid(ref reader, out id),
                Seen.Role => reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && MessageRoleNames.TryParse(reader.ValueSpan, out role),
                Seen.Content => TryString(ref reader, out content),
                Seen.CreatedAt => TryTime(ref reader, out createdAt) && createdAt is not null,
                Seen.ToolCalls => TryObjects(ref reader, json, ReadToolCall, out calls),
                _ => reader.TrySkip(),
            };
            if (!ok)
            {
                return null;
            }
        }
        if (reader.TokenType != JsonTokenType.EndObject || !seen.HasFlag(Seen.Id) || !seen.HasFlag(Seen.Role) || createdAt is null)
        {
            return null;
        }
        var message = new ChatMessage { Id = id, Role = role, Content = content ?? "", CreatedAt = createdAt.Value, Order = order };
        if (calls is not null)
        {
            foreach (var call in calls)
            {
                call.MessageId = id;
            }
            message.ToolCalls = calls;
        }
        return message;
    }

    private static ToolCall? ReadToolCall(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, int order)
    {
        var seen = Seen.None;
        string? id = null, name = null, arguments = null, result = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var property = Property(ref reader, ToolCallProperties);
            if (property != Seen.None && !First(ref seen, property))
            {
                return null;
            }
            if (!reader.Read())
            {
                return null;
            }
            var ok = property switch
            {
                Seen.Id => TryString(ref reader, out id),
                Seen.Name => TryString(ref reader, out name),
                Seen.Arguments => TryRaw(ref reader, json, out arguments),
                Seen.Result => reader.TokenType == JsonTokenType.Null || TryRaw(ref reader, json, out result),
                _ => reader.TrySkip(),
            };
            if (!ok)
            {
                return null;
            }
        }
        if (reader.TokenType != JsonTokenType.EndObject || id is not { Length: > 0 and <= 200 } || name is not { Length: > 0 and <= 200 })
        {
            return null;
        }
        return new ToolCall { Id = id, Name = name, Order = order, ArgumentsJson = arguments ?? "{}", ResultJson = result };
    }

    private static readonly (byte[] Name, Seen Flag)[] SessionProperties =
    [
        ("id"u8.ToArray(), Seen.Id), ("title"u8.ToArray(), Seen.Title), ("model"u8.ToArray(), Seen.Model),
        ("createdAt"u8.ToArray(), Seen.CreatedAt), ("updatedAt"u8.ToArray(), Seen.UpdatedAt), ("tags"u8.ToArray(), Seen.Tags),
        ("metadata"u8.ToArray(), Seen.Metadata), ("messages"u8.ToArray(), Seen.Messages),
    ];

    private static readonly (byte[] Name, Seen Flag)[] MessageProperties =
    [
        ("id"u8.ToArray(), Seen.Id), ("role"u8.ToArray(), Seen.Role), ("content"u8.ToArray(), Seen.Content),
        ("createdAt"u8.ToArray(), Seen.CreatedAt), ("toolCalls"u8.ToArray(), Seen.ToolCalls),
    ];

    private static readonly (byte[] Name, Seen Flag)[] ToolCallProperties =
    [
        ("id"u8.ToArray(), Seen.Id), ("name"u8.ToArray(), Seen.Name), ("arguments"u8.ToArray(), Seen.Arguments), ("result"u8.ToArray(), Seen.Result),
    ];

    /// <summary>Which of <paramref name="properties"/> the reader is on (none for one read past); names may be escaped in the file.</summary>
    private static Seen Property(ref Utf8JsonReader reader, (byte[] Name, Seen Flag)[] properties)
    {
        foreach (var (name, flag) in properties)
        {
            if (reader.ValueTextEquals(name))
            {
                return flag;
            }
        }
        return Seen.None;
    }

    /// <summary>A property given twice is left to the precise parser, which takes the one a document lookup finds.</summary>
    private static bool First(ref Seen seen, Seen property)
    {
        if ((seen & property) != 0)
        {
            return false;
        }
        seen |= property;
        return true;
    }

    private static bool TryGuid(ref Utf8JsonReader reader, out Guid id)
    {
        id = default;
        return reader.TokenType == JsonTokenType.String && reader.TryGetGuid(out id);
    }

    private static bool TryString(ref Utf8JsonReader reader, out string? text)
    {
        text = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }
        if (reader.TokenType != JsonTokenType.String)
        {
            return false;
        }
        text = reader.ValueIsEscaped ? Unescaped(ref reader) : reader.GetString();
        return true;
    }

    /// <summary>
    /// An escaped string's text (most message content is: every line break is). <see cref="Utf8JsonReader.GetString"/>
    /// unescapes into a pooled buffer it then wipes, which took a tenth of the import's reading thread; nothing
    /// secret passes here, so the buffer goes back to the pool as it is.
    /// </summary>
    private static string Unescaped(ref Utf8JsonReader reader)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(reader.ValueSpan.Length);
        try
        {
            var length = reader.CopyString(buffer);
            return StrictUtf8.GetString(buffer, 0, length);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>An ISO 8601 time, as an instant in UTC; null for a JSON null. Other spellings decline.</summary>
    private static bool TryTime(ref Utf8JsonReader reader, out DateTime? time)
    {
        time = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }
        if (reader.TokenType != JsonTokenType.String || !reader.TryGetDateTime(out var iso))
        {
            return false;
        }
        time = iso.Kind switch
        {
            DateTimeKind.Utc => iso,
            // It had an offset, which the reader applied into local time; read it again as an instant.
            DateTimeKind.Local => reader.GetDateTimeOffset().UtcDateTime,
            _ => DateTime.SpecifyKind(iso, DateTimeKind.Utc),
        };
        return true;
    }

    private static bool TryTags(ref Utf8JsonReader reader, out List<string>? tags)
    {
        tags = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }
        tags = [];
        while (reader.Read() && reader.TokenType == JsonTokenType.String)
        {
            tags.Add(reader.GetString()!);
        }
        return reader.TokenType == JsonTokenType.EndArray;
    }

    private static bool TryMetadata(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, out string? metadata)
    {
        metadata = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }
        return reader.TokenType == JsonTokenType.StartObject && TryRaw(ref reader, json, out metadata);
    }

    /// <summary>The value's text exactly as the file has it (a document's raw text of the element).</summary>
    private static bool TryRaw(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, out string? raw)
    {
        raw = null;
        var start = (int)reader.TokenStartIndex;
        if (!reader.TrySkip())
        {
            return false;
        }
        raw = StrictUtf8.GetString(json[start..(int)reader.BytesConsumed]);
        return true;
    }
}
