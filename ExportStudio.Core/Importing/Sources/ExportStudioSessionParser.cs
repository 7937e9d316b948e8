using System.Globalization;
using System.Text.Json;
using ExportStudio.Core.Data;

namespace ExportStudio.Core.Importing.Sources;

/// <summary>
/// Turns one session object of an export back into a session, naming every problem precisely: what the
/// one-pass <see cref="ExportStudioSessionReader"/> declines is read here through a document.
/// </summary>
internal static class ExportStudioSessionParser
{
    /// <summary>Where a value is, for the message that names a problem: spelled out only when there is one.</summary>
    private readonly record struct Place(int Session, Guid? Id = null, int Message = 0, int Call = 0)
    {
        public override string ToString()
        {
            var where = Id is { } id ? $"Session #{Session} ({id})" : $"Session #{Session}";
            where = Message > 0 ? $"{where}, message #{Message}" : where;
            return Call > 0 ? $"{where}, tool call #{Call}" : where;
        }
    }

    public static ChatSession Parse(ReadOnlySpan<byte> json, int number)
    {
        if (ExportStudioSessionReader.TryRead(json) is { } session)
        {
            return session;
        }
        try
        {
            var reader = new Utf8JsonReader(json, ExportStudioSessionReader.Options);
            using var document = JsonDocument.ParseValue(ref reader);
            return ReadSession(document.RootElement, number);
        }
        catch (JsonException exception)
        {
            throw new ImportFormatException($"Session #{number} is not valid JSON: {exception.Message.Split(" Path:")[0]}", exception);
        }
        catch (InvalidOperationException exception)
        {
            // Raised for text that is not valid UTF-16 once unescaped (a lone surrogate such as \ud800).
            throw new ImportFormatException($"Session #{number} holds text that is not valid Unicode ({exception.Message}).", exception);
        }
    }

    private static ChatSession ReadSession(JsonElement element, int number)
    {
        var id = RequiredGuid(element, "id", new Place(number));
        var where = new Place(number, id);
        var session = new ChatSession
        {
            Id = id,
            Title = OptionalString(element, "title", where) ?? "Untitled session",
            Model = OptionalString(element, "model", where) ?? "unknown",
            CreatedAt = RequiredTime(element, "createdAt", where),
            Tags = ReadTags(element, where),
            MetadataJson = element.TryGetProperty("metadata", out var metadata) && metadata.ValueKind != JsonValueKind.Null
                ? metadata.ValueKind == JsonValueKind.Object ? metadata.GetRawText() : throw new ImportFormatException($"{where}: \"metadata\" must be an object.")
                : "{}",
        };
        session.UpdatedAt = OptionalTime(element, "updatedAt", where) ?? session.CreatedAt;

        if (element.TryGetProperty("messages", out var messages) && messages.ValueKind != JsonValueKind.Null)
        {
            if (messages.ValueKind != JsonValueKind.Array)
            {
                throw new ImportFormatException($"{where}: \"messages\" must be an array.");
            }
            var order = 0;
            foreach (var message in messages.EnumerateArray())
            {
                session.Messages.Add(ReadMessage(message, session.Id, order++, where with { Message = order }));
            }
        }
        return session;
    }

    private static ChatMessage ReadMessage(JsonElement element, Guid sessionId, int order, Place where)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new ImportFormatException($"{where} must be an object.");
        }
        var roleText = OptionalString(element, "role", where) ?? throw new ImportFormatException($"{where} has no \"role\"; allowed roles are system, user, assistant, tool.");
        if (!MessageRoleNames.TryParse(roleText, out var role))
        {
            throw new ImportFormatException($"{where} has the role \"{roleText}\"; allowed roles are system, user, assistant, tool.");
        }
        var message = new ChatMessage
        {
            Id = RequiredGuid(element, "id", where),
            SessionId = sessionId,
            Role = role,
            Content = OptionalString(element, "content", where) ?? "",
            CreatedAt = RequiredTime(element, "createdAt", where),
            Order = order,
        };
        if (element.TryGetProperty("toolCalls", out var calls) && calls.ValueKind != JsonValueKind.Null)
        {
            if (calls.ValueKind != JsonValueKind.Array)
            {
                throw new ImportFormatException($"{where}: \"toolCalls\" must be an array.");
            }
            var callOrder = 0;
            foreach (var call in calls.EnumerateArray())
            {
                var callWhere = where with { Call = callOrder + 1 };
                if (call.ValueKind != JsonValueKind.Object)
                {
                    throw new ImportFormatException($"{callWhere} must be an object.");
                }
                message.ToolCalls.Add(new ToolCall
                {
                    Id = OptionalString(call, "id", callWhere) is { Length: > 0 and <= 200 } callId ? callId : throw new ImportFormatException($"{callWhere} needs an \"id\" of 1 to 200 characters."),
                    Name = OptionalString(call, "name", callWhere) is { Length: > 0 and <= 200 } name ? name : throw new ImportFormatException($"{callWhere} needs a \"name\" of 1 to 200 characters."),
                    MessageId = message.Id,
                    Order = callOrder++,
                    ArgumentsJson = call.TryGetProperty("arguments", out var arguments) && arguments.ValueKind != JsonValueKind.Undefined ? arguments.GetRawText() : "{}",
                    ResultJson = call.TryGetProperty("result", out var result) && result.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined) ? result.GetRawText() : null,
                });
            }
        }
        return message;
    }

    private static List<string> ReadTags(JsonElement element, Place where)
    {
        if (!element.TryGetProperty("tags", out var tags) || tags.ValueKind == JsonValueKind.Null)
        {
            return [];
        }
        if (tags.ValueKind != JsonValueKind.Array || tags.EnumerateArray().Any(t => t.ValueKind != JsonValueKind.String))
        {
            throw new ImportFormatException($"{where}: \"tags\" must be an array of strings.");
        }
        return tags.EnumerateArray().Select(t => t.GetString()!).ToList();
    }

    private static Guid RequiredGuid(JsonElement element, string name, Place where)
    {
        if (element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && Guid.TryParse(value.GetString(), out var id))
        {
            return id;
        }
        throw new ImportFormatException($"{where} needs an \"{name}\" that is a GUID such as 3f2504e0-4f89-41d3-9a0c-0305e82c3301.");
    }

    private static string? OptionalString(JsonElement element, string name, Place where)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw new ImportFormatException($"{where}: \"{name}\" must be a string.");
    }

    private static DateTime RequiredTime(JsonElement element, string name, Place where) =>
        OptionalTime(element, name, where) ?? throw new ImportFormatException($"{where} needs a \"{name}\" time such as 2026-01-05T09:00:00Z.");

    private static DateTime? OptionalTime(JsonElement element, string name, Place where)
    {
        var text = OptionalString(element, name, where);
        if (text is null)
        {
            return null;
        }
        if (DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time))
        {
            return DateTime.SpecifyKind(time, DateTimeKind.Utc);
        }
        throw new ImportFormatException($"{where}: \"{name}\" is \"{text}\", which is not a time; use ISO 8601 such as 2026-01-05T09:00:00Z.");
    }
}
