using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ExportStudio.Core.Importing.Sources;

/// <summary>
/// The text of a ChatGPT message's content, whatever its type — text parts, voice transcriptions, code,
/// execution output, browsing results and quotes — and the binaries it cannot hold (images, audio),
/// counted as dropped. Also the citation markers answers carry, and the pages they point at.
/// </summary>
internal static partial class ChatGptContent
{
    public static string Text(JsonElement content, ImportContext context)
    {
        var type = content.String("content_type");
        return type switch
        {
            "text" or "multimodal_text" => Parts(content, context),
            "code" => SourceText.Fenced(content.String("language"), content.String("text") ?? ""),
            "execution_output" or "tether_quote" or "sonic_webpage" or "system_error" => content.String("text") ?? "",
            "tether_browsing_display" => content.String("result") ?? "",
            "computer_output" => DropImage(context),
            _ => Unknown(content, context),
        };
    }

    /// <summary>The images a code run displayed: its output names them, the export holds only their address.</summary>
    public static void DropGeneratedImages(JsonElement message, ImportContext context) =>
        context.Drop("image", message.Property("metadata").Property("aggregate_result").Items("messages").Count(m => m.String("message_type") == "image"));

    private static string Parts(JsonElement content, ImportContext context)
    {
        var texts = new List<string>();
        foreach (var part in content.Items("parts"))
        {
            if (part.ValueKind == JsonValueKind.String)
            {
                texts.Add(part.GetString()!);
                continue;
            }
            switch (part.String("content_type"))
            {
                case "image_asset_pointer":
                    context.Drop("image");
                    break;
                case "audio_asset_pointer":
                    context.Drop("audio");
                    break;
                case "real_time_user_audio_video_asset_pointer":
                    context.Drop("audio");
                    context.Drop("video", part.Has("video_container_asset_pointer") || part.Items("frames_asset_pointers").Any() ? 1 : 0);
                    break;
                default:
                    // audio_transcription, and any part that carries text of its own.
                    if (part.String("text") is { } text)
                    {
                        texts.Add(text);
                    }
                    else
                    {
                        context.Drop("unknownContent");
                    }
                    break;
            }
        }
        return string.Join("\n", texts.Where(t => t.Length > 0));
    }

    private static string Unknown(JsonElement content, ImportContext context)
    {
        var text = content.String("text") ?? content.String("result") ?? (content.Has("parts") ? Parts(content, context) : null);
        if (text is null)
        {
            context.Drop("unknownContent");
        }
        return text ?? "";
    }

    private static string DropImage(ImportContext context)
    {
        context.Drop("image");
        return "";
    }

    /// <summary>
    /// The answer's text without the markers ChatGPT puts in it for its citation chips: the private-use
    /// tokens of 2025 (<c>U+E200 cite U+E202 turn0search0 U+E201</c>, the span marks E203/E204/E206, a
    /// leading zero-width space) and the <c>【9†source】</c> spans of earlier years. The references inside
    /// the tokens are collected into <paramref name="markers"/>.
    /// </summary>
    public static string WithoutCitationMarkers(string text, List<string> markers)
    {
        var clean = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '\u200B' or '\uE203' or '\uE204' or '\uE206')
            {
                continue;
            }
            if (c == '\uE200' && text.IndexOf('\uE201', i) is var end and > 0)
            {
                var parts = text[(i + 1)..end].Split('\uE202');
                if (parts[0] is "cite" or "navlist" or "filecite")
                {
                    markers.AddRange(parts.Skip(1));
                }
                i = end;
                continue;
            }
            if (c == '【' && text.IndexOf('】', i) is var close and > 0 && close - i < 120 && text[i..close].Contains('†'))
            {
                i = close;
                continue;
            }
            clean.Append(c);
        }
        return string.Join('\n', clean.ToString().Split('\n').Select(line => line.TrimEnd(' ', '\t'))).Trim();
    }

    /// <summary>The pages an answer cites: its markers resolved through the search results, then its listed citations.</summary>
    public static IEnumerable<(string? Title, string Url)> Citations(JsonElement metadata, List<string> markers)
    {
        var found = new List<(string? Title, string Url)>();
        foreach (var marker in markers)
        {
            if (Reference().Match(marker) is { Success: true } reference && Resolve(metadata, reference) is { } page)
            {
                found.Add(page);
            }
        }
        foreach (var citation in metadata.Items("citations"))
        {
            var page = citation.Property("metadata");
            if (page.String("url") is { } url)
            {
                found.Add((page.String("title"), url));
            }
        }
        return found.DistinctBy(p => p.Url);
    }

    private static (string? Title, string Url)? Resolve(JsonElement metadata, Match reference)
    {
        var (turn, type, index) = (int.Parse(reference.Groups[1].Value), reference.Groups[2].Value, int.Parse(reference.Groups[3].Value));
        bool Matches(JsonElement r) => r.Property("turn_index").TryInt() == turn && r.Property("ref_index").TryInt() == index && r.String("ref_type") == type;
        var entry = metadata.Items("search_result_groups").SelectMany(g => g.Items("entries")).FirstOrDefault(e => Matches(e.Property("ref_id")));
        if (entry.String("url") is { } url)
        {
            return (entry.String("title"), url);
        }
        var item = metadata.Items("content_references").SelectMany(c => c.Items("items")).FirstOrDefault(i => i.Items("refs").Any(Matches));
        return item.String("url") is { } itemUrl ? (item.String("title"), itemUrl) : null;
    }

    private static int? TryInt(this JsonElement element) => element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var value) ? value : null;

    [GeneratedRegex("^turn([0-9]+)([a-z_]+?)([0-9]+)$")]
    private static partial Regex Reference();
}
