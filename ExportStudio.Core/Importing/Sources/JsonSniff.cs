using System.Text.Json;

namespace ExportStudio.Core.Importing.Sources;

/// <summary>
/// What the first bytes of a document show of its structure, read with <see cref="Utf8JsonReader"/> as far
/// as they go: whether it is an array or an object, and the property names of its first record (the first
/// object of the array, or the object itself). Sources are told apart by those names — a ChatGPT
/// conversation has a <c>mapping</c>, a Claude one <c>chat_messages</c> — and never by a file's name.
/// </summary>
public sealed class JsonSniff
{
    /// <summary>How much of a document is looked at: enough for the first keys of any source's first record.</summary>
    public const int HeadBytes = 64 * 1024;

    private readonly List<string> _keys = [];

    private JsonSniff()
    {
    }

    /// <summary>Array, Object, or Undefined when the document does not start as JSON.</summary>
    public JsonValueKind Top { get; private set; }

    /// <summary>The document is an empty array: a valid export of nothing.</summary>
    public bool IsEmptyArray { get; private set; }

    /// <summary>The first record's property names, in order.</summary>
    public IReadOnlyList<string> Keys => _keys;

    /// <summary>The first record's "generator" value, which ExportStudio's own documents carry.</summary>
    public string? Generator { get; private set; }

    public bool Has(string key) => _keys.Contains(key, StringComparer.Ordinal);

    public static JsonSniff Of(ReadOnlySpan<byte> head, bool wholeDocument)
    {
        var sniff = new JsonSniff();
        if (head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            head = head[3..];
        }
        var reader = new Utf8JsonReader(head, wholeDocument, new JsonReaderState(new JsonReaderOptions { MaxDepth = 1 << 16, AllowMultipleValues = true }));
        try
        {
            sniff.Read(ref reader);
        }
        catch (JsonException)
        {
            // What was read so far stands: a JSON Lines file's second line, or a head that is not JSON at all.
        }
        return sniff;
    }

    private void Read(ref Utf8JsonReader reader)
    {
        if (!reader.Read() || reader.TokenType is not (JsonTokenType.StartArray or JsonTokenType.StartObject))
        {
            return;
        }
        Top = reader.TokenType == JsonTokenType.StartArray ? JsonValueKind.Array : JsonValueKind.Object;
        if (Top == JsonValueKind.Array)
        {
            if (!reader.Read())
            {
                return;
            }
            IsEmptyArray = reader.TokenType == JsonTokenType.EndArray;
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return;
            }
        }
        var depth = reader.CurrentDepth;
        while (reader.Read() && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth))
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == depth + 1)
            {
                var name = reader.GetString()!;
                _keys.Add(name);
                if (name == "generator" && reader.Read() && reader.TokenType == JsonTokenType.String)
                {
                    Generator = reader.GetString();
                }
            }
        }
    }
}
