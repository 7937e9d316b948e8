using System.Text.Json;
using ExportStudio.Core.Exporting.Reading;

namespace ExportStudio.Core.Exporting.Writers;

/// <summary>
/// JSON Lines: one session object per line, each line ended by <c>\n</c>. No header line, except for an
/// incremental run, whose first line is <c>{"increment":{…}}</c> (an object without an id, so no session).
/// </summary>
internal sealed class JsonLinesExportWriter(Stream output, ExportOptions options) : ExportWriter(options)
{
    private readonly Stream _output = output;
    private readonly System.Buffers.ArrayBufferWriter<byte> _buffer = new(FlushThreshold * 2);
    private Utf8JsonWriter? _writer;

    public override ValueTask WriteHeaderAsync(ExportDocumentHeader header, CancellationToken cancellationToken = default)
    {
        if (header.Increment is { } increment)
        {
            _writer = new Utf8JsonWriter(_buffer, SessionJson.WriterOptions);
            _writer.WriteStartObject();
            SessionJson.WriteIncrement(_writer, increment);
            _writer.WriteEndObject();
            _writer.Flush();
            System.Buffers.BuffersExtensions.Write(_buffer, "\n"u8);
        }
        return ValueTask.CompletedTask;
    }

    public override async ValueTask WriteSessionAsync(SessionRecord session, CancellationToken cancellationToken = default)
    {
        // One writer per line: each session is its own top-level value.
        if (_writer is null)
        {
            _writer = new Utf8JsonWriter(_buffer, SessionJson.WriterOptions);
        }
        else
        {
            _writer.Reset(_buffer);
        }
        SessionJson.WriteSession(_writer, session, Options);
        _writer.Flush();
        System.Buffers.BuffersExtensions.Write(_buffer, "\n"u8);
        if (_buffer.WrittenCount >= FlushThreshold)
        {
            await FlushAsync(cancellationToken);
        }
    }

    public override ValueTask WriteFooterAsync(CancellationToken cancellationToken = default) => FlushAsync(cancellationToken);

    private async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        await _output.WriteAsync(_buffer.WrittenMemory, cancellationToken);
        _buffer.ResetWrittenCount();
    }

    public override async ValueTask DisposeAsync()
    {
        if (_writer is not null)
        {
            await _writer.DisposeAsync();
        }
        await base.DisposeAsync();
    }
}
