using System.Buffers;
using System.Globalization;
using System.Text.Json;
using ExportStudio.Core.Data;
using ExportStudio.Core.Exporting.Reading;

namespace ExportStudio.Core.Exporting.Writers;

/// <summary>
/// A browsable transcript in one self-contained HTML file: an inline style sheet (light and dark, print),
/// a table of contents, a section per session, a heading per message, tool calls and metadata folded in
/// <c>details</c>. It needs no script and holds none: every text is escaped as it is copied from UTF-8
/// (<see cref="Utf8Html"/>), the only links are the file's own anchors, and the file forbids scripts in its
/// own policy (<see cref="HtmlDocumentStyle"/>). Written session by session, like the other formats.
/// </summary>
internal sealed class HtmlExportWriter : ExportWriter
{
    private readonly Stream _output;
    private readonly ArrayBufferWriter<byte> _pending = new(FlushThreshold * 2);
    private readonly ArrayBufferWriter<byte> _json = new();
    private readonly Utf8JsonWriter _jsonWriter;
    private bool _hasContents;

    public HtmlExportWriter(Stream output, ExportOptions options) : base(options)
    {
        _output = output;
        _jsonWriter = new Utf8JsonWriter(_json, new JsonWriterOptions { Indented = true, Encoder = SessionJson.WriterOptions.Encoder });
    }

    public override async ValueTask WriteHeaderAsync(ExportDocumentHeader header, CancellationToken cancellationToken = default)
    {
        Raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" content=\""u8);
        Text(HtmlDocumentStyle.ContentSecurityPolicy);
        Raw("\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"color-scheme\" content=\"light dark\">\n"u8);
        Raw("<meta name=\"generator\" content=\""u8);
        Text(header.Generator);
        Raw("\">\n<title>Chat sessions export · "u8);
        Text(Display(header.ExportedAt));
        Raw("</title>\n<style>"u8);
        Raw(HtmlDocumentStyle.CssUtf8);
        Raw("</style>\n</head>\n<body>\n<header>\n<h1>Chat sessions export</h1>\n<p class=\"muted\">Exported "u8);
        Time(header.ExportedAt);
        Raw(" by "u8);
        Text(header.Generator);
        Text(FormattableString.Invariant($": {header.SessionCount:N0} sessions, {header.MessageCount:N0} messages."));
        Raw("</p>\n</header>\n"u8);
        if (header.Contents is { } contents)
        {
            _hasContents = true;
            await WriteContentsAsync(contents, cancellationToken);
        }
        Raw("<main>\n"u8);
        await FlushAsync(cancellationToken);
    }

    private async Task WriteContentsAsync(IAsyncEnumerable<SessionHeading> contents, CancellationToken cancellationToken)
    {
        Raw("<nav id=\"contents\" aria-labelledby=\"contents-title\">\n<h2 id=\"contents-title\">Contents</h2>\n<ol>\n"u8);
        var any = false;
        await foreach (var heading in contents.WithCancellation(cancellationToken))
        {
            any = true;
            Raw("<li><a href=\"#s-"u8);
            Text(heading.Id.ToString());
            Raw("\">"u8);
            Text(Title(heading.Title));
            Raw("</a> <span class=\"muted\">· "u8);
            Time(heading.CreatedAt);
            if (Options.IncludeMessages)
            {
                Text(FormattableString.Invariant($" · {heading.MessageCount:N0} {(heading.MessageCount == 1 ? "message" : "messages")}"));
            }
            Raw("</span></li>\n"u8);
            await FlushIfFullAsync(cancellationToken);
        }
        Raw(any ? "</ol>\n</nav>\n"u8 : "</ol>\n<p>No sessions were selected.</p>\n</nav>\n"u8);
    }

    public override async ValueTask WriteSessionAsync(SessionRecord session, CancellationToken cancellationToken = default)
    {
        var id = session.Id.ToString();
        Raw("<section class=\"session\" id=\"s-"u8);
        Text(id);
        Raw("\" aria-labelledby=\"t-"u8);
        Text(id);
        Raw("\">\n<h2 id=\"t-"u8);
        Text(id);
        Raw("\">"u8);
        Text(Title(session.Title));
        Raw("</h2>\n<p class=\"meta\">"u8);
        Text(session.Model);
        if (session.Tags.Count > 0)
        {
            Text(" · " + string.Join(", ", session.Tags));
        }
        Raw(" · started "u8);
        Time(session.CreatedAt);
        Raw(" · updated "u8);
        Time(session.UpdatedAt);
        Raw(" · session "u8);
        Text(id);
        Raw("</p>\n"u8);
        if (Options.IncludeMetadata)
        {
            Raw("<details class=\"metadata\"><summary>Metadata</summary><pre><code>"u8);
            Utf8Html.Write(_pending, Indented(session.MetadataJson, null));
            Raw("</code></pre></details>\n"u8);
        }
        if (Options.IncludeMessages)
        {
            var number = 0;
            foreach (var message in session.Messages)
            {
                WriteMessage(message, ++number);
                await FlushIfFullAsync(cancellationToken);
            }
        }
        Raw(_hasContents ? "<p class=\"back\"><a href=\"#contents\">Back to contents</a></p>\n</section>\n"u8 : "</section>\n"u8);
        await FlushIfFullAsync(cancellationToken);
    }

    private void WriteMessage(MessageRecord message, int number)
    {
        var role = message.Role.ToWireName();
        Raw("<div class=\"msg "u8);
        Text(role);
        Raw("\">\n<h3>"u8);
        Text(FormattableString.Invariant($"{number}. {char.ToUpperInvariant(role[0])}{role[1..]}"));
        Raw(" <span class=\"muted\">· "u8);
        Time(message.CreatedAt);
        Raw("</span></h3>\n<div class=\"text\">"u8);
        Utf8Html.WriteMessageText(_pending, message.Content.Span);
        Raw("</div>\n"u8);
        if (Options.IncludeToolCalls)
        {
            foreach (var call in message.ToolCalls)
            {
                Raw("<details class=\"call\"><summary>Tool call <code>"u8);
                Text(call.Name);
                Raw("</code> <span class=\"muted\">"u8);
                Text(call.Id);
                Raw("</span></summary><pre><code>"u8);
                Utf8Html.Write(_pending, Indented(call.ArgumentsJson, call));
                Raw("</code></pre></details>\n"u8);
            }
        }
        Raw("</div>\n"u8);
    }

    public override async ValueTask WriteFooterAsync(CancellationToken cancellationToken = default)
    {
        Raw("</main>\n<footer><p>Written by ExportStudio. This file holds no script and loads nothing; it can be read offline and printed.</p></footer>\n</body>\n</html>\n"u8);
        await FlushAsync(cancellationToken);
        await _output.FlushAsync(cancellationToken);
    }

    public override async ValueTask DisposeAsync()
    {
        await _jsonWriter.DisposeAsync();
        await base.DisposeAsync();
    }

    /// <summary>
    /// A stored JSON value indented for reading — or, for a tool call, <c>{ "arguments": …, "result": … }</c>;
    /// a value that is not valid JSON is shown as stored.
    /// </summary>
    private ReadOnlySpan<byte> Indented(ReadOnlyMemory<byte> json, ToolCallRecord? call)
    {
        _json.ResetWrittenCount();
        _jsonWriter.Reset(_json);
        try
        {
            if (call is null)
            {
                ToolCallJson.WriteValue(_jsonWriter, json);
            }
            else
            {
                ToolCallJson.WriteCall(_jsonWriter, call);
            }
            _jsonWriter.Flush();
            return _json.WrittenSpan;
        }
        catch (JsonException)
        {
            if (call is null)
            {
                return json.Span;
            }
            byte[] asStored = [.. call.ArgumentsJson.Span, .. "\n"u8, .. call.ResultJson is { } result ? result.Span : "null"u8];
            return asStored;
        }
    }

    private void Raw(ReadOnlySpan<byte> markup) => _pending.Write(markup);

    private void Text(string text) => Utf8Html.Write(_pending, text);

    private void Time(DateTime value)
    {
        Raw("<time datetime=\""u8);
        Text(value.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
        Raw("\">"u8);
        Text(Display(value));
        Raw("</time>"u8);
    }

    private static string Display(DateTime value) => value.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string Title(string title) => string.IsNullOrWhiteSpace(title) ? "(untitled)" : title;

    private ValueTask FlushIfFullAsync(CancellationToken cancellationToken) =>
        _pending.WrittenCount >= FlushThreshold ? FlushAsync(cancellationToken) : ValueTask.CompletedTask;

    private async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        await _output.WriteAsync(_pending.WrittenMemory, cancellationToken);
        _pending.ResetWrittenCount();
    }
}
