namespace ExportStudio.Web.Components.Shared;

/// <summary>The products sessions are imported from, as a person reads their names.</summary>
public static class SourceNames
{
    private static readonly Dictionary<string, string> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["exportstudio"] = "ExportStudio",
        ["chatgpt"] = "ChatGPT",
        ["claude"] = "Claude",
        ["openwebui"] = "Open WebUI",
        ["librechat"] = "LibreChat",
        ["openai-jsonl"] = "OpenAI JSONL",
        ["sharegpt"] = "ShareGPT",
    };

    /// <summary>"ChatGPT" for <c>chatgpt</c>; several sources joined by "+" (an archive that mixed them) each named; unknown names as they are.</summary>
    public static string Display(string? source) => string.IsNullOrEmpty(source)
        ? "Made here"
        : string.Join(" + ", source.Split('+').Select(name => Names.GetValueOrDefault(name, name)));
}
