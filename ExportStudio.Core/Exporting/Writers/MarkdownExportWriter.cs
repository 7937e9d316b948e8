using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ExportStudio.Core.Data;
using ExportStudio.Core.Exporting.Jobs;
using ExportStudio.Core.Exporting.Pipeline;
using ExportStudio.Core.Exporting.Reading;

namespace ExportStudio.Core.Exporting.Writers;

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
    // Reused for every session: a 1 GB export made 5.6 GB of garbage when each session, message line and
    // JSON block had strings of its own.
    private readonly StringBuilder _session = new(4096);
    private readonly ArrayBufferWriter<byte> _json = new();
    private readonly Utf8JsonWriter _jsonWriter;
    private char[] _chars = [];

    public MarkdownExportWriter(Stream output, ExportOptions options) : base(options)
    {
        _text = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: FlushThreshold, leaveOpen: true) { NewLine = "\n" };
        _jsonWriter = new Utf8JsonWriter(_json, new JsonWriterOptions { Indented = true, Encoder = SessionJson.WriterOptions.Encoder });
    }

    public override async ValueTask WriteHeaderAsync(ExportDocumentHeader header, CancellationToken cancellationToken = default)
    {
        await _text.WriteLineAsync("# Chat sessions export");
        await _text.WriteLineAsync();
        await _text.WriteLineAsync($"Exported {Time(header.ExportedAt)} by {header.Generator}: {header.SessionCount} sessions, {header.MessageCount} messages.");
        if (header.Increment is { } increment)
        {
            await WriteIncrementNoteAsync(increment);
        }
    }

    /// <summary>An incremental run says what it holds in a line for people and a comment for programs (invisible when rendered).</summary>
    private async Task WriteIncrementNoteAsync(ExportIncrement increment)
    {
        var range = increment.FromSequence is { } from ? $"the changes after change {from} up to change {increment.ToSequence}" : $"every session, up to change {increment.ToSequence}";
        var deleted = increment.DeletedSessionIds.Count == 0
            ? "no sessions were deleted"
            : $"{increment.DeletedSessionIds.Count} deleted: {string.Join(", ", increment.DeletedSessionIds.Select(id => $"`{id}`"))}";
        await _text.WriteLineAsync();
        await _text.WriteLineAsync($"> Increment: {range}; {deleted}.");
        _json.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(_json, SessionJson.WriterOptions))
        {
            writer.WriteStartObject();
            SessionJson.WriteIncrement(writer, increment);
            writer.WriteEndObject();
        }
        await _text.WriteLineAsync();
        await _text.WriteLineAsync($"<!-- exportstudio {Decode(_json.WrittenSpan)} -->");
    }

    public override async ValueTask WriteSessionAsync(SessionRecord session, CancellationToken cancellationToken = default)
    {
        var text = _session.Clear();
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
            if (TryIndent(session.MetadataJson))
            {
                AppendJsonBlock(text, Decode(_json.WrittenSpan));
            }
            else
            {
                AppendJsonBlock(text, Pretty(session.MetadataJson));
            }
        }

        if (Options.IncludeMessages)
        {
            var number = 0;
            foreach (var message in session.Messages)
            {
                number++;
                text.Append("\n### ").Append(number).Append(". ").Append(message.Role.ToWireName()).Append(" · ").Append(Time(message.CreatedAt)).Append("\n\n");
                AppendContent(text, Decode(message.Content.Span));
                if (Options.IncludeToolCalls)
                {
                    foreach (var call in message.ToolCalls)
                    {
                        text.Append("\nTool call `").Append(SingleLine(call.Name).Replace("`", "'")).Append("` (").Append(SingleLine(call.Id).Replace("`", "'")).Append("):\n\n");
                        if (TryIndent(call))
                        {
                            AppendJsonBlock(text, Decode(_json.WrittenSpan));
                        }
                        else
                        {
                            AppendJsonBlock(text, $"{{\n  \"arguments\": {Indent(Pretty(call.ArgumentsJson))},\n  \"result\": {Indent(call.ResultJson is { } result ? Pretty(result) : "null")}\n}}");
                        }
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
        await _jsonWriter.DisposeAsync();
        await base.DisposeAsync();
    }

    /// <summary>A stored JSON value indented into <see cref="_json"/>; false when it is not valid JSON (then shown as stored).</summary>
    private bool TryIndent(ReadOnlyMemory<byte> json)
    {
        try
        {
            Restart();
            ToolCallJson.WriteValue(_jsonWriter, json);
            _jsonWriter.Flush();
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>A tool call as <c>{ "arguments": …, "result": … }</c> indented into <see cref="_json"/>; false when a value is not valid JSON.</summary>
    private bool TryIndent(ToolCallRecord call)
    {
        try
        {
            Restart();
            ToolCallJson.WriteCall(_jsonWriter, call);
            _jsonWriter.Flush();
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private void Restart()
    {
        _json.ResetWrittenCount();
        _jsonWriter.Reset(_json);
    }

    /// <summary>UTF-8 decoded into a buffer reused for every value (valid until the next call).</summary>
    private ReadOnlySpan<char> Decode(ReadOnlySpan<byte> utf8)
    {
        var needed = Encoding.UTF8.GetMaxCharCount(utf8.Length);
        if (_chars.Length < needed)
        {
            _chars = new char[Math.Max(needed, 2 * _chars.Length)];
        }
        return _chars.AsSpan(0, Encoding.UTF8.GetChars(utf8, _chars));
    }

    /// <summary>A fence longer than any backtick run inside, so the content cannot close it early.</summary>
    internal static string FenceFor(ReadOnlySpan<char> content)
    {
        int longest = 0, run = 0;
        foreach (var c in content)
        {
            run = c == '`' ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }
        return new string('`', Math.Max(3, longest + 1));
    }

    private static void AppendJsonBlock(StringBuilder text, ReadOnlySpan<char> json)
    {
        var fence = FenceFor(json);
        text.Append(fence).Append("json\n").Append(json).Append('\n').Append(fence).Append('\n');
    }

    private static void AppendContent(StringBuilder text, ReadOnlySpan<char> content)
    {
        // Line by line, a line ending at CR LF, CR or LF; the text after the last break is a line too.
        ReadOnlySpan<char> openFence = default;
        var open = false;
        while (true)
        {
            var end = content.IndexOfAny('\r', '\n');
            var line = end < 0 ? content : content[..end];
            var trimmed = line.TrimStart(' ');
            var fence = LeadingFence(trimmed);
            if (!open && !fence.IsEmpty)
            {
                openFence = fence;
                open = true;
            }
            else if (open && !fence.IsEmpty && fence[0] == openFence[0] && fence.Length >= openFence.Length && trimmed.Trim().SequenceEqual(fence))
            {
                open = false;
            }
            else if (!open && trimmed.StartsWith('#'))
            {
                text.Append(line[..(line.Length - trimmed.Length)]).Append('\\');
                line = trimmed;
            }
            text.Append(line).Append('\n');
            if (end < 0)
            {
                break;
            }
            content = content[(end + (content[end] == '\r' && end + 1 < content.Length && content[end + 1] == '\n' ? 2 : 1))..];
        }
        if (open)
        {
            text.Append(openFence).Append('\n');
        }
    }

    /// <summary>The run of three or more backticks or tildes a line starts with, or empty.</summary>
    private static ReadOnlySpan<char> LeadingFence(ReadOnlySpan<char> line)
    {
        if (line.Length < 3 || (line[0] != '`' && line[0] != '~'))
        {
            return default;
        }
        var length = 0;
        while (length < line.Length && line[length] == line[0])
        {
            length++;
        }
        return length >= 3 ? line[..length] : default;
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
