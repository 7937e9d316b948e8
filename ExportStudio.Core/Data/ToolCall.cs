namespace ExportStudio.Core.Data;

/// <summary>A function call made by the assistant inside a message, with its result.</summary>
public sealed class ToolCall
{
    /// <summary>The model's own call id (for example <c>call_8f2a…</c>); unique within its message.</summary>
    public required string Id { get; set; }
    public Guid MessageId { get; set; }
    public int Order { get; set; }
    public required string Name { get; set; }

    /// <summary>Arguments as a JSON value, stored and exported verbatim.</summary>
    public string ArgumentsJson { get; set; } = "{}";

    /// <summary>Result as a JSON value, or null while the call has no result.</summary>
    public string? ResultJson { get; set; }
}
