namespace ExportStudio.Core.Data;

public sealed class ChatMessage
{
    public Guid Id { get; set; }
    public Guid SessionId { get; set; }
    public MessageRole Role { get; set; }
    public required string Content { get; set; }
    public DateTime CreatedAt { get; set; }

    /// <summary>Position within the session; messages are exported in this order.</summary>
    public int Order { get; set; }

    public List<ToolCall> ToolCalls { get; set; } = [];
}
