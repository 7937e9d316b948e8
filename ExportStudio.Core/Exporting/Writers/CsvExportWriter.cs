using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using CsvHelper;
using ExportStudio.Core.Data;
using ExportStudio.Core.Exporting.Jobs;
using ExportStudio.Core.Exporting.Pipeline;
using ExportStudio.Core.Exporting.Reading;

namespace ExportStudio.Core.Exporting.Writers;

/// <summary>
/// CSV, one row per message (session columns repeated), RFC 4180 through CsvHelper. Cells that a
/// spreadsheet would run as a formula (starting with = + - @, tab or CR) are prefixed with <c>'</c>
/// (CsvHelper's injection escaping), which spreadsheets show as text. A session without messages still
/// gets one row, so no session disappears from the export.
/// </summary>
internal sealed class CsvExportWriter : ExportWriter
{
    private static readonly CsvWriterOptions WriterOptions = new()
    {
        Injection = CsvInjection.Escape,
        InjectionCharacters = "=+-@\t\r",
        InjectionEscape = '\'',
        NewLine = "\r\n",
        WriteByteOrderMark = false,
        FormatProvider = CultureInfo.InvariantCulture,
        BufferSize = FlushThreshold,
    };

    private readonly CsvWriter _csv;
    private readonly ArrayBufferWriter<byte> _toolCalls = new();
    private readonly Utf8JsonWriter _toolCallsWriter;

    public CsvExportWriter(Stream output, ExportOptions options) : base(options)
    {
        _csv = CsvWriter.Create(output, WriterOptions, true);
        _toolCallsWriter = new Utf8JsonWriter(_toolCalls, SessionJson.WriterOptions);
    }

    public override async ValueTask WriteHeaderAsync(ExportDocumentHeader header, CancellationToken cancellationToken = default)
    {
        string[] columns = ["session_id", "session_title", "session_created_at", "session_updated_at", "model", "tags", "message_id", "message_index", "role", "message_created_at", "content"];
        foreach (var column in columns)
        {
            _csv.WriteField(column);
        }
        if (Options.IncludeToolCalls)
        {
            _csv.WriteField("tool_calls");
        }
        if (Options.IncludeMetadata)
        {
            _csv.WriteField("metadata");
        }
        await _csv.EndRecordAsync(cancellationToken);
    }

    public override async ValueTask WriteSessionAsync(SessionRecord session, CancellationToken cancellationToken = default)
    {
        // The session's cells repeat on every one of its rows: formatted once.
        var cells = new SessionCells(session.Id.ToString(), Time(session.CreatedAt), Time(session.UpdatedAt), string.Join(';', session.Tags));
        var messages = Options.IncludeMessages ? session.Messages : [];
        if (messages.Count == 0)
        {
            WriteRow(session, cells, null, 0);
            await _csv.EndRecordAsync(cancellationToken);
        }
        for (var i = 0; i < messages.Count; i++)
        {
            WriteRow(session, cells, messages[i], i);
            await _csv.EndRecordAsync(cancellationToken);
        }
        cancellationToken.ThrowIfCancellationRequested();
    }

    private readonly record struct SessionCells(string Id, string CreatedAt, string UpdatedAt, string Tags);

    private void WriteRow(SessionRecord session, SessionCells cells, MessageRecord? message, int index)
    {
        _csv.WriteField(cells.Id);
        _csv.WriteField(session.Title);
        _csv.WriteField(cells.CreatedAt);
        _csv.WriteField(cells.UpdatedAt);
        _csv.WriteField(session.Model);
        _csv.WriteField(cells.Tags);
        _csv.WriteField(message?.Id.ToString() ?? "");
        _csv.WriteField(message is null ? "" : index.ToString(CultureInfo.InvariantCulture));
        _csv.WriteField(message?.Role.ToWireName() ?? "");
        _csv.WriteField(message is null ? "" : Time(message.CreatedAt));
        WriteUtf8(message is null ? default : message.Content.Span);
        if (Options.IncludeToolCalls)
        {
            WriteUtf8(message is null || message.ToolCalls.Count == 0 ? default : ToolCallsJson(message));
        }
        if (Options.IncludeMetadata)
        {
            WriteUtf8(session.MetadataJson.Span);
        }
    }

    /// <summary>
    /// Text kept as UTF-8 from the database to the file (quoted and protected against formulas as any text
    /// cell): decoding each message to a string first made 2.7 GB of garbage on a 1 GB export.
    /// </summary>
    private void WriteUtf8(ReadOnlySpan<byte> utf8)
    {
        if (Utf8.IsValid(utf8))
        {
            _csv.WriteField(utf8);
        }
        else
        {
            _csv.WriteField(Encoding.UTF8.GetString(utf8)); // invalid sequences become U+FFFD
        }
    }

    private ReadOnlySpan<byte> ToolCallsJson(MessageRecord message)
    {
        _toolCalls.ResetWrittenCount();
        _toolCallsWriter.Reset(_toolCalls);
        SessionJson.WriteToolCalls(_toolCallsWriter, message.ToolCalls);
        _toolCallsWriter.Flush();
        return _toolCalls.WrittenSpan;
    }

    private static string Time(DateTime value) => value.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    public override async ValueTask WriteFooterAsync(CancellationToken cancellationToken = default)
    {
        await _csv.FlushAsync(cancellationToken);
    }

    public override async ValueTask DisposeAsync()
    {
        await _csv.DisposeAsync();
        await _toolCallsWriter.DisposeAsync();
        await base.DisposeAsync();
    }
}
