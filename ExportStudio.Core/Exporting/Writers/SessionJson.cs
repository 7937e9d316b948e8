using System.Text.Encodings.Web;
using System.Text.Json;
using ExportStudio.Core.Compression;
using ExportStudio.Core.Data;
using ExportStudio.Core.Exporting.Jobs;
using ExportStudio.Core.Exporting.Pipeline;
using ExportStudio.Core.Exporting.Reading;
using ExportStudio.Core.Sessions;

namespace ExportStudio.Core.Exporting.Writers;

/// <summary>The session object shared by the JSON document and JSON Lines.</summary>
internal static class SessionJson
{
    /// <summary>
    /// Non-ASCII text stays readable (a file download, never embedded in HTML, so the relaxed encoder's
    /// HTML-unsafe characters are harmless); quotes, backslashes and control characters are still escaped.
    /// </summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = false };

    public static void WriteSession(Utf8JsonWriter writer, SessionRecord session, ExportOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("id"u8, session.Id);
        writer.WriteString("title"u8, session.Title);
        writer.WriteString("createdAt"u8, session.CreatedAt);
        writer.WriteString("updatedAt"u8, session.UpdatedAt);
        writer.WriteString("model"u8, session.Model);
        writer.WriteStartArray("tags"u8);
        foreach (var tag in session.Tags)
        {
            writer.WriteStringValue(tag);
        }
        writer.WriteEndArray();
        if (options.IncludeMetadata)
        {
            writer.WritePropertyName("metadata"u8);
            writer.WriteRawValue(session.MetadataJson.Span);
        }
        if (options.IncludeMessages)
        {
            writer.WriteStartArray("messages"u8);
            foreach (var message in session.Messages)
            {
                WriteMessage(writer, message, options);
            }
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
    }

    /// <summary>One session on its own, as UTF-8 JSON.</summary>
    public static byte[] ToUtf8(SessionRecord session, ExportOptions options)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            WriteSession(writer, session, options);
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteMessage(Utf8JsonWriter writer, MessageRecord message, ExportOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("id"u8, message.Id);
        writer.WriteString("role"u8, message.Role.ToWireName());
        Utf8JsonText.WriteString(writer, "content"u8, message.Content.Span);
        writer.WriteString("createdAt"u8, message.CreatedAt);
        if (options.IncludeToolCalls)
        {
            writer.WritePropertyName("toolCalls"u8);
            WriteToolCalls(writer, message.ToolCalls);
        }
        writer.WriteEndObject();
    }

    /// <summary>A message's tool calls as a JSON array (also the CSV writer's tool_calls cell).</summary>
    public static void WriteToolCalls(Utf8JsonWriter writer, IEnumerable<ToolCallRecord> calls)
    {
        writer.WriteStartArray();
        foreach (var call in calls)
        {
            writer.WriteStartObject();
            writer.WriteString("id"u8, call.Id);
            writer.WriteString("name"u8, call.Name);
            writer.WritePropertyName("arguments"u8);
            writer.WriteRawValue(call.ArgumentsJson.Span);
            writer.WritePropertyName("result"u8);
            if (call.ResultJson is { } result)
            {
                writer.WriteRawValue(result.Span);
            }
            else
            {
                writer.WriteNullValue();
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    public static void WriteFilters(Utf8JsonWriter writer, ExportFilters filters)
    {
        writer.WriteStartObject("filters");
        WriteOptionalTime(writer, "from", filters.From);
        WriteOptionalTime(writer, "to", filters.To);
        writer.WriteStartArray("sessionIds");
        foreach (var id in filters.SessionIds)
        {
            writer.WriteStringValue(id);
        }
        writer.WriteEndArray();
        WriteStrings(writer, "models", filters.Models);
        WriteStrings(writer, "tags", filters.Tags);
        if (filters.Search is null)
        {
            writer.WriteNull("search");
        }
        else
        {
            writer.WriteString("search", filters.Search);
        }
        writer.WriteEndObject();
    }

    /// <summary>The <c>increment</c> object of an incremental run: the range of changes it holds and the sessions deleted in it.</summary>
    public static void WriteIncrement(Utf8JsonWriter writer, ExportIncrement increment)
    {
        writer.WriteStartObject("increment"u8);
        if (increment.FromSequence is { } from)
        {
            writer.WriteNumber("fromSequence"u8, from);
        }
        else
        {
            writer.WriteNull("fromSequence"u8);
        }
        writer.WriteNumber("toSequence"u8, increment.ToSequence);
        writer.WriteStartArray("deletedSessionIds"u8);
        foreach (var id in increment.DeletedSessionIds)
        {
            writer.WriteStringValue(id);
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public static void WriteOptions(Utf8JsonWriter writer, ExportOptions options)
    {
        writer.WriteStartObject("options");
        writer.WriteBoolean("includeMessages", options.IncludeMessages);
        writer.WriteBoolean("includeMetadata", options.IncludeMetadata);
        writer.WriteBoolean("includeToolCalls", options.IncludeToolCalls);
        writer.WriteString("compressionFormat", options.CompressionFormat.GetWireName());
        if (options.CompressionLevel is { } level)
        {
            writer.WriteNumber("compressionLevel", level);
        }
        else
        {
            writer.WriteNull("compressionLevel");
        }
        writer.WriteEndObject();
    }

    private static void WriteOptionalTime(Utf8JsonWriter writer, string name, DateTime? value)
    {
        if (value is { } time)
        {
            writer.WriteString(name, time);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }
        writer.WriteEndArray();
    }
}
