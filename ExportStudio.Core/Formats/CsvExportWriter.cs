using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper;
using ExportStudio.Core.Exports;
using ExportStudio.Core.Sessions;

namespace ExportStudio.Core.Formats;

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

    public CsvExportWriter(Stream output, ExportOptions options) : base(options)
    {
        _csv = CsvWriter.Create(output, WriterOptions, true);
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
        var messages = Options.IncludeMessages ? session.Messages : [];
        if (messages.Count == 0)
        {
            WriteRow(session, null, 0);
            await _csv.EndRecordAsync(cancellationToken);
        }
        for (var i = 0; i < messages.Count; i++)
        {
            WriteRow(session, messages[i], i);
            await _csv.EndRecordAsync(cancellationToken);
        }
        cancellationToken.ThrowIfCancellationRequested();
    }

    private void WriteRow(SessionRecord session, MessageRecord? message, int index)
    {
        _csv.WriteField(session.Id.ToString());
        _csv.WriteField(session.Title);
        _csv.WriteField(Time(session.CreatedAt));
        _csv.WriteField(Time(session.UpdatedAt));
        _csv.WriteField(session.Model);
        _csv.WriteField(string.Join(';', session.Tags));
        _csv.WriteField(message?.Id.ToString() ?? "");
        _csv.WriteField(message is null ? "" : index.ToString(CultureInfo.InvariantCulture));
        _csv.WriteField(message?.Role.ToWireName() ?? "");
        _csv.WriteField(message is null ? "" : Time(message.CreatedAt));
        _csv.WriteField(message is null ? "" : Encoding.UTF8.GetString(message.Content.Span));
        if (Options.IncludeToolCalls)
        {
            _csv.WriteField(message is null || message.ToolCalls.Count == 0 ? "" : ToolCallsJson(message));
        }
        if (Options.IncludeMetadata)
        {
            _csv.WriteField(Encoding.UTF8.GetString(session.MetadataJson.Span));
        }
    }

    private static string ToolCallsJson(MessageRecord message)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, SessionJson.WriterOptions))
        {
            SessionJson.WriteToolCalls(writer, message.ToolCalls);
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static string Time(DateTime value) => value.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    public override async ValueTask WriteFooterAsync(CancellationToken cancellationToken = default)
    {
        await _csv.FlushAsync(cancellationToken);
    }

    public override async ValueTask DisposeAsync()
    {
        await _csv.DisposeAsync();
        await base.DisposeAsync();
    }
}
