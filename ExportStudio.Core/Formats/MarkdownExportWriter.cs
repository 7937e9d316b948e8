using System.Globalization;
using System.Text;
using System.Text.Json;
using ExportStudio.Core.Exports;
using ExportStudio.Core.Sessions;

namespace ExportStudio.Core.Formats;

/// <summary>
/// Markdown: a section (<c>##</c>) per session and a heading (<c>###</c>) per message with its role and UTC
/// time. Message content is written as it is, except that it can never break the document's structure:
/// outside code fences a line starting with <c>#</c> is escaped (so content cannot fake a heading), and a
/// fence the content leaves open is closed. Tool calls and metadata go in fenced <c>json</c> blocks whose
/// fence is longer than any run of backticks inside them.
/// </summary>
internal sealed class MarkdownExportWriter : ExportWriter
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = SessionJson.WriterOptions.Encoder };
    private readonly StreamWriter _text;

    public MarkdownExportWriter(Stream output, ExportOptions options) : base(options)
    {
        _text = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: FlushThreshold, leaveOpen: true) { NewLine = "\n" };
    }

    public override async ValueTask WriteHeaderAsync(ExportDocumentHeader header, CancellationToken cancellationToken = default)
    {
        await _text.WriteLineAsync("# Chat sessions export");
        await _text.WriteLineAsync();
        await _text.WriteLineAsync($"Exported {Time(header.ExportedAt)} by {header.Generator}: {header.SessionCount} sessions, {header.MessageCount} messages.");
    }

    public override async ValueTask WriteSessionAsync(SessionRecord session, CancellationToken cancellationToken = default)
    {
        var text = new StringBuilder(1024);
        text.Append("\n## ").Append(SingleLine(session.Title)).Append("\n\n");
        text.Append("- Session: `").Append(session.Id).Append("`\n");
        text.Append("- Model: ").Append(SingleLine(session.Model)).Append('\n');
        if (session.Tags.Count > 0)
        {
            text.Append("- Tags: ").Append(SingleLine(string.Join(", ", session.Tags))).Append('\n');
        }
        text.Append("- Created: ").Append(Time(session.CreatedAt)).Append(" · Updated: ").Append(Time(session.UpdatedAt)).Append('\n');
        if (Options.IncludeMetadata)
        {
            text.Append("\nMetadata:\n\n");
            AppendJsonBlock(text, Pretty(session.MetadataJson));
        }

        if (Options.IncludeMessages)
        {
            var number = 0;
            foreach (var message in session.Messages)
            {
                number++;
                text.Append("\n### ").Append(number).Append(". ").Append(message.Role.ToWireName()).Append(" · ").Append(Time(message.CreatedAt)).Append("\n\n");
                AppendContent(text, Encoding.UTF8.GetString(message.Content.Span));
                if (Options.IncludeToolCalls)
                {
                    foreach (var call in message.ToolCalls)
                    {
                        text.Append("\nTool call `").Append(SingleLine(call.Name).Replace("`", "'")).Append("` (").Append(SingleLine(call.Id).Replace("`", "'")).Append("):\n\n");
                        AppendJsonBlock(text, $"{{\n  \"arguments\": {Indent(Pretty(call.ArgumentsJson))},\n  \"result\": {Indent(call.ResultJson is { } result ? Pretty(result) : "null")}\n}}");
                    }
                }
            }
        }
        await _text.WriteAsync(text, cancellationToken);
    }

    public override async ValueTask WriteFooterAsync(CancellationToken cancellationToken = default) => await _text.FlushAsync(cancellationToken);

    public override async ValueTask DisposeAsync()
    {
        await _text.DisposeAsync();
        await base.DisposeAsync();
    }

    /// <summary>A fence longer than any backtick run inside, so the content cannot close it early.</summary>
    internal static string FenceFor(string content)
    {
        int longest = 0, run = 0;
        foreach (var c in content)
        {
            run = c == '`' ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }
        return new string('`', Math.Max(3, longest + 1));
    }

    private static void AppendJsonBlock(StringBuilder text, string json)
    {
        var fence = FenceFor(json);
        text.Append(fence).Append("json\n").Append(json).Append('\n').Append(fence).Append('\n');
    }

    private static void AppendContent(StringBuilder text, string content)
    {
        string? openFence = null;
        foreach (var rawLine in content.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n'))
        {
            var line = rawLine;
            var trimmed = line.TrimStart(' ');
            var fence = LeadingFence(trimmed);
            if (openFence is null && fence is not null)
            {
                openFence = fence;
            }
            else if (openFence is not null && fence is not null && fence[0] == openFence[0] && fence.Length >= openFence.Length && trimmed.Trim() == fence)
            {
                openFence = null;
            }
            else if (openFence is null && trimmed.StartsWith('#'))
            {
                line = line[..(line.Length - trimmed.Length)] + "\\" + trimmed;
            }
            text.Append(line).Append('\n');
        }
        if (openFence is not null)
        {
            text.Append(openFence).Append('\n');
        }
    }

    /// <summary>The run of three or more backticks or tildes a line starts with, or null.</summary>
    private static string? LeadingFence(string line)
    {
        if (line.Length < 3 || (line[0] != '`' && line[0] != '~'))
        {
            return null;
        }
        var length = 0;
        while (length < line.Length && line[length] == line[0])
        {
            length++;
        }
        return length >= 3 ? line[..length] : null;
    }

    private static string Pretty(ReadOnlyMemory<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return JsonSerializer.Serialize(document.RootElement, Indented);
        }
        catch (JsonException)
        {
            return Encoding.UTF8.GetString(json.Span);
        }
    }

    private static string Indent(string json) => json.Replace("\n", "\n  ");

    private static string SingleLine(string value) => value.Replace("\r\n", " ").Replace('\n', ' ').Replace('\r', ' ');

    private static string Time(DateTime value) => value.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
