using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ExportStudio.Core.Importing.Sources;

/// <summary>Small JSON helpers the readers share: reading optional values leniently, and writing text as JSON.</summary>
internal static class JsonText
{
    private static readonly JsonWriterOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A string property, or null when it is missing, null or not a string.</summary>
    public static string? String(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A property of any kind, or default (Undefined) when missing or when <paramref name="element"/> is not an object.</summary>
    public static JsonElement Property(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : default;

    public static bool Has(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    public static bool IsTrue(this JsonElement element, string name) => element.Property(name).ValueKind == JsonValueKind.True;

    /// <summary>The items of an array property; none when it is missing or not an array.</summary>
    public static IEnumerable<JsonElement> Items(this JsonElement element, string name) => element.Property(name).Items();

    public static IEnumerable<JsonElement> Items(this JsonElement array) =>
        array.ValueKind == JsonValueKind.Array ? array.EnumerateArray() : [];

    /// <summary>The string items of an array property.</summary>
    public static List<string> Strings(this JsonElement element, string name) =>
        element.Items(name).Where(i => i.ValueKind == JsonValueKind.String).Select(i => i.GetString()!).Where(s => s.Length > 0).ToList();

    /// <summary>Text as a JSON string literal, non-ASCII kept readable.</summary>
    public static string Quote(string text)
    {
        var buffer = new ArrayBufferWriter<byte>(text.Length + 16);
        using (var writer = new Utf8JsonWriter(buffer, Relaxed))
        {
            writer.WriteStringValue(text);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// Text that a source wrote as JSON (tool arguments, tool results) as that JSON when it is an object or an
    /// array, otherwise as a JSON string holding the text: the value is always valid JSON, and structure is kept.
    /// </summary>
    public static string AsJson(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length > 1 && (trimmed[0] == '{' || trimmed[0] == '['))
        {
            try
            {
                using var document = JsonDocument.Parse(trimmed);
                return trimmed;
            }
            catch (JsonException)
            {
                // Text that only looks like JSON.
            }
        }
        return Quote(text);
    }

    /// <summary>A value as JSON: objects and arrays as they are, strings through <see cref="AsJson(string)"/>.</summary>
    public static string AsJson(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => AsJson(value.GetString()!),
        JsonValueKind.Undefined => "{}",
        _ => value.GetRawText(),
    };
}
