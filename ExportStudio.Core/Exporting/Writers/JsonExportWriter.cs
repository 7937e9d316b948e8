using System.Text.Json;
using ExportStudio.Core.Exporting.Reading;

namespace ExportStudio.Core.Exporting.Writers;

/// <summary>The JSON document, version 1: a header, then the sessions array, written session by session.</summary>
internal sealed class JsonExportWriter(Stream output, ExportOptions options) : ExportWriter(options)
{
    private readonly Utf8JsonWriter _writer = new(output, SessionJson.WriterOptions);

    public override async ValueTask WriteHeaderAsync(ExportDocumentHeader header, CancellationToken cancellationToken = default)
    {
        _writer.WriteStartObject();
        _writer.WriteNumber("version", 1);
        _writer.WriteString("exportedAt", header.ExportedAt);
        _writer.WriteString("generator", header.Generator);
        SessionJson.WriteFilters(_writer, header.Filters);
        SessionJson.WriteOptions(_writer, header.Options);
        _writer.WriteNumber("sessionCount", header.SessionCount);
        _writer.WriteNumber("messageCount", header.MessageCount);
        if (header.Increment is { } increment)
        {
            SessionJson.WriteIncrement(_writer, increment);
        }
        _writer.WriteStartArray("sessions");
        await _writer.FlushAsync(cancellationToken);
    }

    public override async ValueTask WriteSessionAsync(SessionRecord session, CancellationToken cancellationToken = default)
    {
        SessionJson.WriteSession(_writer, session, Options);
        if (_writer.BytesPending >= FlushThreshold)
        {
            await _writer.FlushAsync(cancellationToken);
        }
    }

    public override async ValueTask WriteFooterAsync(CancellationToken cancellationToken = default)
    {
        _writer.WriteEndArray();
        _writer.WriteEndObject();
        await _writer.FlushAsync(cancellationToken);
    }

    public override async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        await base.DisposeAsync();
    }
}
