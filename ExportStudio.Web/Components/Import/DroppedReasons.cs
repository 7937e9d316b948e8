namespace ExportStudio.Web.Components.Import;

/// <summary>The reasons an import gives for what it could not keep, in words.</summary>
public static class DroppedReasons
{
    private static readonly Dictionary<string, string> Words = new(StringComparer.OrdinalIgnoreCase)
    {
        ["image"] = "image (the export holds only its name or address, not the picture)",
        ["video"] = "video (not in the export)",
        ["file"] = "attached file without extracted text (only its name is in the export)",
        ["hiddenMessage"] = "hidden message the product never showed",
        ["unknownContent"] = "part of a message of a kind ExportStudio does not read",
        ["audio"] = "audio clip (voice turns keep their transcript)",
        ["reasoning"] = "reasoning or thinking block (not part of the transcript)",
        ["toolError"] = "tool error that answers no tool call",
        ["emptyConversation"] = "conversation without messages",
        ["notConversation"] = "record that is not a conversation (an embeddings request, say)",
        ["failedRequest"] = "failed request without an answer",
    };

    public static string Describe(string reason) => Words.TryGetValue(reason, out var words) ? words : reason;
}
