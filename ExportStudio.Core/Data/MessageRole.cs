namespace ExportStudio.Core.Data;

public enum MessageRole
{
    System,
    User,
    Assistant,
    Tool,
}

public static class MessageRoleNames
{
    /// <summary>The lower-case wire name used in every export format and in the database.</summary>
    public static string ToWireName(this MessageRole role) => role switch
    {
        MessageRole.System => "system",
        MessageRole.User => "user",
        MessageRole.Assistant => "assistant",
        MessageRole.Tool => "tool",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };

    public static bool TryParse(string? value, out MessageRole role)
    {
        switch (value)
        {
            case "system": role = MessageRole.System; return true;
            case "user": role = MessageRole.User; return true;
            case "assistant": role = MessageRole.Assistant; return true;
            case "tool": role = MessageRole.Tool; return true;
            default: role = default; return false;
        }
    }

    /// <summary>The same, from the UTF-8 text the database holds.</summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out MessageRole role)
    {
        if (value.SequenceEqual("system"u8)) { role = MessageRole.System; return true; }
        if (value.SequenceEqual("user"u8)) { role = MessageRole.User; return true; }
        if (value.SequenceEqual("assistant"u8)) { role = MessageRole.Assistant; return true; }
        if (value.SequenceEqual("tool"u8)) { role = MessageRole.Tool; return true; }
        role = default;
        return false;
    }
}
