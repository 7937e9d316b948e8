using System.Text.Json;
using ExportStudio.Core.Exporting.Reading;

namespace ExportStudio.Core.Exporting.Writers;

/// <summary>Stored JSON re-written for reading (the transcript formats show it indented).</summary>
internal static class ToolCallJson
{
    /// <summary>A stored JSON value, as the writer formats it.</summary>
    /// <exception cref="JsonException">The value is not valid JSON.</exception>
    public static void WriteValue(Utf8JsonWriter writer, ReadOnlyMemory<byte> value)
    {
        using var document = JsonDocument.Parse(value);
        document.RootElement.WriteTo(writer);
    }

    /// <summary>A tool call as <c>{ "arguments": …, "result": … }</c>.</summary>
    /// <exception cref="JsonException">A value is not valid JSON.</exception>
    public static void WriteCall(Utf8JsonWriter writer, ToolCallRecord call)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("arguments"u8);
        WriteValue(writer, call.ArgumentsJson);
        writer.WritePropertyName("result"u8);
        if (call.ResultJson is { } result)
        {
            WriteValue(writer, result);
        }
        else
        {
            writer.WriteNullValue();
        }
        writer.WriteEndObject();
    }
}
