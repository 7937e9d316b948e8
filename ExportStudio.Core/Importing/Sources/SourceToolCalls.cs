using ExportStudio.Core.Data;

namespace ExportStudio.Core.Importing.Sources;

/// <summary>Tool calls as every reader attaches them to an assistant message: arguments and result as JSON, ids unique in their message.</summary>
internal static class SourceToolCalls
{
    private const int MaxLength = 200;

    /// <param name="argumentsJson">Valid JSON (see <see cref="JsonText.AsJson(string)"/>).</param>
    /// <param name="resultJson">Valid JSON, or null while the call has no result.</param>
    public static ToolCall Add(ChatMessage message, string? id, string name, string argumentsJson, string? resultJson = null)
    {
        var callId = string.IsNullOrWhiteSpace(id) ? $"call_{message.ToolCalls.Count + 1}" : Cut(id);
        if (message.ToolCalls.Any(c => c.Id == callId))
        {
            callId = Cut($"{callId}#{message.ToolCalls.Count + 1}"); // a source that repeats an id in one message
        }
        var call = new ToolCall
        {
            Id = callId,
            Name = string.IsNullOrWhiteSpace(name) ? "tool" : Cut(name),
            Order = message.ToolCalls.Count,
            ArgumentsJson = argumentsJson,
            ResultJson = resultJson,
        };
        message.ToolCalls.Add(call);
        return call;
    }

    private static string Cut(string text) => text.Length <= MaxLength ? text : text[..MaxLength];
}
