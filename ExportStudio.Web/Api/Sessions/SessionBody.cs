using System.Text.Json;
using ExportStudio.Web.Api.Shared;

namespace ExportStudio.Web.Api.Sessions;

/// <summary>The body of <c>PUT /api/v1/sessions/{id}</c>: a whole session in the export document's shape.</summary>
public sealed record SessionBody
{
    /// <summary>Optional; when present it must equal the id in the URL.</summary>
    public string? Id { get; init; }

    public string? Title { get; init; }

    /// <summary>Optional: kept from the stored session on replace, now on create.</summary>
    public DateTime? CreatedAt { get; init; }

    /// <summary>Ignored: the server sets it to the time of the change.</summary>
    public DateTime? UpdatedAt { get; init; }

    public string? Model { get; init; }
    public List<string>? Tags { get; init; }

    /// <summary>Any JSON object.</summary>
    public JsonElement? Metadata { get; init; }

    public List<MessageBody>? Messages { get; init; }
}

/// <summary>The body of <c>POST /api/v1/sessions/{id}/messages</c>.</summary>
public sealed record AppendMessagesBody
{
    public List<MessageBody>? Messages { get; init; }
}

public sealed record MessageBody
{
    /// <summary>Optional GUID; a message the session holds already (by id) is skipped on append.</summary>
    public string? Id { get; init; }

    /// <summary>system, user, assistant or tool.</summary>
    public string? Role { get; init; }

    public string? Content { get; init; }

    /// <summary>Optional: the time of the change when left out.</summary>
    public DateTime? CreatedAt { get; init; }

    public List<ToolCallBody>? ToolCalls { get; init; }
}

public sealed record ToolCallBody
{
    public string? Id { get; init; }
    public string? Name { get; init; }
    public JsonElement? Arguments { get; init; }
    public JsonElement? Result { get; init; }
}

/// <summary>Turns session bodies into sessions, naming every problem by its field, by the rules import applies to its files.</summary>
internal static class SessionBodyMapping
{
    private const string Roles = "system, user, assistant, tool";

    public static ChatSession ToSession(this SessionBody body, Guid id, FieldProblems problems)
    {
        if (body.Id is { } bodyId && (!Guid.TryParse(bodyId, out var parsed) || parsed != id))
        {
            problems.Add("id", $"The body's id '{ApiProblems.Shown(bodyId, 60)}' differs from the session id in the URL ({id}); leave it out or send the same id.");
        }
        if (body.Metadata is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Null) })
        {
            problems.Add("metadata", "\"metadata\" must be a JSON object.");
        }
        if (body.Tags is { } tags && tags.Any(t => t is null))
        {
            problems.Add("tags", "\"tags\" must be an array of strings.");
        }
        return new ChatSession
        {
            Id = id,
            Title = body.Title ?? "Untitled session",
            Model = body.Model ?? "unknown",
            CreatedAt = WireTimes.AsUtc(body.CreatedAt) ?? default,
            Tags = body.Tags?.Where(t => t is not null).ToList() ?? [],
            MetadataJson = body.Metadata is { ValueKind: JsonValueKind.Object } metadata ? metadata.GetRawText() : "{}",
            Messages = ToMessages(body.Messages ?? [], "messages", problems),
        };
    }

    public static List<ChatMessage> ToMessages(this AppendMessagesBody body, FieldProblems problems)
    {
        if (body.Messages is not { Count: > 0 })
        {
            problems.Add("messages", "Send at least one message: {\"messages\":[{\"role\":\"user\",\"content\":\"…\"}]}.");
            return [];
        }
        return ToMessages(body.Messages, "messages", problems);
    }

    private static List<ChatMessage> ToMessages(List<MessageBody> bodies, string field, FieldProblems problems)
    {
        var messages = new List<ChatMessage>(bodies.Count);
        var ids = new HashSet<Guid>();
        for (var i = 0; i < bodies.Count; i++)
        {
            var where = $"{field}[{i}]";
            if (bodies[i] is not { } body)
            {
                problems.Add(where, "Each message must be an object.");
                continue;
            }
            var id = Guid.Empty;
            if (body.Id is { } text && (!Guid.TryParse(text, out id) || id == Guid.Empty))
            {
                problems.Add($"{where}.id", $"'{ApiProblems.Shown(text, 60)}' is not a message id; ids are GUIDs such as 3f2504e0-4f89-41d3-9a0c-0305e82c3301 (or leave it out).");
            }
            else if (body.Id is not null && !ids.Add(id))
            {
                problems.Add($"{where}.id", $"Message id {id} appears more than once in the request; message ids must be unique.");
            }
            if (!MessageRoleNames.TryParse(body.Role, out var role))
            {
                problems.Add($"{where}.role", body.Role is null ? $"Each message needs a \"role\": {Roles}." : $"The role '{ApiProblems.Shown(body.Role, 40)}' is not allowed; allowed roles are {Roles}.");
            }
            messages.Add(new ChatMessage
            {
                Id = id == Guid.Empty ? Guid.CreateVersion7() : id,
                Role = role,
                Content = body.Content ?? "",
                CreatedAt = WireTimes.AsUtc(body.CreatedAt) ?? default,
                ToolCalls = ToToolCalls(body.ToolCalls ?? [], $"{where}.toolCalls", problems),
            });
        }
        return messages;
    }

    private static List<ToolCall> ToToolCalls(List<ToolCallBody> bodies, string field, FieldProblems problems)
    {
        var calls = new List<ToolCall>(bodies.Count);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < bodies.Count; i++)
        {
            var where = $"{field}[{i}]";
            if (bodies[i] is not { } body)
            {
                problems.Add(where, "Each tool call must be an object.");
                continue;
            }
            if (body.Id is not { Length: > 0 and <= 200 })
            {
                problems.Add($"{where}.id", "Each tool call needs an \"id\" of 1 to 200 characters.");
            }
            else if (!ids.Add(body.Id))
            {
                problems.Add($"{where}.id", $"Tool call id '{body.Id}' appears twice in this message; tool call ids are unique within a message.");
            }
            if (body.Name is not { Length: > 0 and <= 200 })
            {
                problems.Add($"{where}.name", "Each tool call needs a \"name\" of 1 to 200 characters.");
            }
            calls.Add(new ToolCall
            {
                Id = body.Id ?? "",
                Name = body.Name ?? "",
                ArgumentsJson = body.Arguments is { ValueKind: not JsonValueKind.Undefined } arguments ? arguments.GetRawText() : "{}",
                ResultJson = body.Result is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) } result ? result.GetRawText() : null,
            });
        }
        return calls;
    }
}
