using System.Net;
using System.Text.RegularExpressions;

namespace ExportStudio.Core.Importing.Sources;

/// <summary>Ways the readers keep content that is not plain text as text.</summary>
internal static partial class SourceText
{
    private static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg", ".gif", ".webp", ".heic", ".bmp", ".svg", ".tif", ".tiff", ".avif"];

    /// <summary>Code as Markdown, in a fence longer than any run of backticks inside it; nothing for no code.</summary>
    public static string Fenced(string? language, string code)
    {
        if (code.Trim().Length == 0)
        {
            return "";
        }
        var longest = BacktickRuns().Matches(code).Select(m => m.Length).DefaultIfEmpty(0).Max();
        var fence = new string('`', Math.Max(3, longest + 1));
        return $"{fence}{(language is null or "unknown" ? "" : language)}\n{code}\n{fence}";
    }

    /// <summary>The text of a file a person attached, after what they wrote: the model read it as part of the message.</summary>
    public static string WithAttachment(string text, string? name, string content)
    {
        var block = $"Attachment: {name ?? "file"}\n{Fenced(null, content)}";
        return text.Length == 0 ? block : $"{text}\n\n{block}";
    }

    /// <summary>True for a file an image viewer shows, by its name or media type.</summary>
    public static bool IsImage(string? nameOrType) =>
        nameOrType is not null &&
        (nameOrType.StartsWith("image", StringComparison.OrdinalIgnoreCase) || ImageExtensions.Any(e => nameOrType.EndsWith(e, StringComparison.OrdinalIgnoreCase)));

    /// <summary>
    /// HTML as the text it shows (the ChatGPT web page saved into old ShareGPT dumps): paragraphs and line
    /// breaks kept, code blocks fenced, buttons ("Copy code") and tags dropped, entities decoded.
    /// </summary>
    public static string FromHtml(string html)
    {
        // Code blocks are set aside while tags go, so that code which is itself markup survives.
        var blocks = new List<string>();
        var text = Buttons().Replace(html, "");
        text = CodeBlocks().Replace(text, m =>
        {
            blocks.Add(Fenced(m.Groups["language"].Value, WebUtility.HtmlDecode(Tags().Replace(m.Groups["code"].Value, ""))));
            return $"\n\u0001{blocks.Count - 1}\u0001\n";
        });
        text = InlineCode().Replace(text, "`$1`");
        text = Breaks().Replace(text, "\n");
        text = WebUtility.HtmlDecode(Tags().Replace(text, ""));
        text = Placeholders().Replace(text, m => blocks[int.Parse(m.Groups[1].Value)]);
        return BlankLines().Replace(text, "\n\n").Trim();
    }

    /// <summary>True for a value that is HTML markup rather than text that mentions a tag.</summary>
    public static bool LooksLikeHtml(string text) => HtmlStart().IsMatch(text);

    [GeneratedRegex("\u0001([0-9]+)\u0001")]
    private static partial Regex Placeholders();

    [GeneratedRegex("`+")]
    private static partial Regex BacktickRuns();

    [GeneratedRegex("<button[^>]*>.*?</button>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex Buttons();

    [GeneratedRegex("<pre[^>]*>.*?<code(?:[^>]*?language-(?<language>[\\w+-]+))?[^>]*>(?<code>.*?)</code>.*?</pre>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex CodeBlocks();

    [GeneratedRegex("<code[^>]*>(.*?)</code>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex InlineCode();

    [GeneratedRegex("<br\\s*/?>|</p>|</li>|</h[1-6]>|</tr>|</div>", RegexOptions.IgnoreCase)]
    private static partial Regex Breaks();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    [GeneratedRegex("\\n\\s*\\n+")]
    private static partial Regex BlankLines();

    [GeneratedRegex("^\\s*<(div|p|span|pre|ol|ul|h[1-6])[\\s>]", RegexOptions.IgnoreCase)]
    private static partial Regex HtmlStart();
}
