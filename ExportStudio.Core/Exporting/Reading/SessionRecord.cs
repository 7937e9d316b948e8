using System.Text;
using ExportStudio.Core.Data;

namespace ExportStudio.Core.Exporting.Reading;

/// <summary>
/// A session as the format writers take it. The bulky text (message content and the stored JSON values) is
/// kept as UTF-8, the database's own encoding, so an export copies it from SQLite to the output without
/// decoding it into UTF-16 strings and encoding it back, a round trip whose time and garbage were a large
/// share of an export (see docs/benchmarks.md). Records read by the export pipeline borrow pooled buffers and
/// are valid only until the next session is requested (the reader then reuses them); <see cref="From(ChatSession)"/>
/// makes one that owns its bytes.
/// </summary>
public sealed class SessionRecord
{
    private static readonly byte[] EmptyObject = "{}"u8.ToArray();

    public Guid Id { get; set; }
    public string Title { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public string Model { get; set; } = "";
    public IReadOnlyList<string> Tags { get; set; } = [];
    /// <summary>The session's metadata, a JSON object as stored.</summary>
    public ReadOnlyMemory<byte> MetadataJson { get; set; } = EmptyObject;
    public List<MessageRecord> Messages { get; } = [];

    /// <summary>A record of a session held in memory (its text encoded once, here).</summary>
    public static SessionRecord From(ChatSession session)
    {
        var record = new SessionRecord
        {
            Id = session.Id,
            Title = session.Title,
            CreatedAt = session.CreatedAt,
            UpdatedAt = session.UpdatedAt,
            Model = session.Model,
            Tags = session.Tags,
            MetadataJson = Encoding.UTF8.GetBytes(session.MetadataJson),
        };
        foreach (var message in session.Messages)
        {
            var copy = new MessageRecord { Id = message.Id, Role = message.Role, Content = Encoding.UTF8.GetBytes(message.Content), CreatedAt = message.CreatedAt, Order = message.Order };
            foreach (var call in message.ToolCalls)
            {
                copy.ToolCalls.Add(new ToolCallRecord
                {
                    Id = call.Id,
                    Name = call.Name,
                    Order = call.Order,
                    ArgumentsJson = Encoding.UTF8.GetBytes(call.ArgumentsJson),
                    ResultJson = call.ResultJson is null ? null : (ReadOnlyMemory<byte>?)Encoding.UTF8.GetBytes(call.ResultJson),
                });
            }
            record.Messages.Add(copy);
        }
        return record;
    }
}

public sealed class MessageRecord
{
    public Guid Id { get; set; }
    public MessageRole Role { get; set; }
    /// <summary>The message text, UTF-8.</summary>
    public ReadOnlyMemory<byte> Content { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>Position within the session; messages are exported in this order.</summary>
    public int Order { get; set; }
    public List<ToolCallRecord> ToolCalls { get; } = [];
}

public sealed class ToolCallRecord
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    /// <summary>Position within the message; calls are exported in this order.</summary>
    public int Order { get; set; }
    /// <summary>The arguments, a JSON value as stored (UTF-8).</summary>
    public ReadOnlyMemory<byte> ArgumentsJson { get; set; }
    /// <summary>The result, a JSON value as stored (UTF-8), or null while the call has none.</summary>
    public ReadOnlyMemory<byte>? ResultJson { get; set; }
}
