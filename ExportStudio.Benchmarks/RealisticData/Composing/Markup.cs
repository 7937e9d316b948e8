using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using ExportStudio.Benchmarks.RealisticData.Corpus;

namespace ExportStudio.Benchmarks.RealisticData.Composing;

/// <summary>Small text helpers shared by the session parts: Markdown clean-up, fences, doc URLs, JSON values.</summary>
internal static partial class Markup
{
    // Non-ASCII kept as is, like ExportStudio's own JSON: tool arguments and results are exported verbatim.
    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Json<T>(T value) => JsonSerializer.Serialize(value, JsonOptions);

    /// <summary>A doc title as plain text, for questions and session titles.</summary>
    public static string StripMarkup(string text) => text.Replace("`", "").Replace("**", "").Trim();

    /// <summary>At a word break when there is one in the second half, with an ellipsis.</summary>
    public static string Truncate(string text, int max)
    {
        if (text.Length <= max) return text;
        var cut = text.LastIndexOf(' ', max);
        return (cut > max / 2 ? text[..cut] : text[..max]) + "…";
    }

    /// <summary>The fence tag chat UIs highlight, for the sources' own names of a language.</summary>
    public static string FenceLanguage(string language) => language switch
    {
        "csharp" or "cs" or "C#" => "csharp",
        "console" or "shell" or "sh" or "bash" => "bash",
        _ => language,
    };

    /// <summary>Where the section would be read online, as a search tool would link it.</summary>
    public static string DocUrl(DocSection section) => section.Source switch
    {
        SourceId.PythonDocs => $"https://docs.python.org/3.11/library/{section.Topic}.html#{Slug(section.Title)}",
        SourceId.GitDocs => $"https://git-scm.com/docs/{section.Topic}#{Slug(section.Title)}",
        SourceId.GoSource => $"https://pkg.go.dev/{section.Topic}",
        _ => $"https://learn.microsoft.com/dotnet/api/{section.Topic.ToLowerInvariant()}.{Slug(section.Title)}",
    };

    private static string Slug(string title) => NonSlug().Replace(StripMarkup(title).ToLowerInvariant(), "-").Trim('-');

    [GeneratedRegex(@"[^a-z0-9]+")]
    private static partial Regex NonSlug();
}
