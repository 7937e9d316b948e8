using System.Text.Json;
using ExportStudio.Core.Data;
using ExportStudio.Core.Exporting;

namespace ExportStudio.Core.Importing.Sources;

/// <summary>
/// A resumable pass over the bytes of an ExportStudio document or JSON Lines file: progress is committed
/// only at value boundaries, so when a value is cut by the end of the buffer, parsing resumes from its
/// start once more bytes have arrived.
/// </summary>
internal sealed class ExportStudioDocumentParser
{
    private enum Phase { Start, DocumentProperties, DocumentSessions, Lines, Done }

    private enum Step { Continue, NeedMoreData }

    /// <summary>The top-level keys of a JSON export's document (its header and its sessions).</summary>
    internal static readonly HashSet<string> DocumentKeys = ["version", "exportedAt", "generator", "filters", "options", "sessionCount", "messageCount", "sessions"];
    private static readonly JsonReaderOptions ReaderOptions = new() { AllowMultipleValues = true, MaxDepth = 128 };
    private Phase _phase = Phase.Start;
    private JsonReaderState _state = new(ReaderOptions);
    private string? _pendingProperty;

    public long BytesBefore { get; set; }
    public int SessionNumber { get; private set; }
    public bool Done => _phase == Phase.Done;

    /// <summary>What an incremental export says it holds (its header, or its first line), once read.</summary>
    public ExportIncrement? Increment { get; private set; }

    /// <summary>Where the reader stands in the data, and the last value boundary it may resume from.</summary>
    private ref struct Cursor(JsonReaderState state)
    {
        public int Offset; // where the current reader starts within the data
        public int Committed;
        public JsonReaderState State = state;

        public void Commit(ref Utf8JsonReader reader)
        {
            Committed = Offset + (int)reader.BytesConsumed;
            State = reader.CurrentState;
        }
    }

    /// <summary>Parses what it can, adding whole sessions; returns the bytes fully consumed.</summary>
    public int Parse(ReadOnlySpan<byte> data, bool final, List<ChatSession> sessions)
    {
        var cursor = new Cursor(_state);
        var reader = new Utf8JsonReader(data, final, _state);
        try
        {
            while (true)
            {
                var step = _phase switch
                {
                    Phase.Start => ReadStart(data, final, ref reader, ref cursor),
                    Phase.DocumentProperties => ReadDocumentProperty(data, ref reader, ref cursor),
                    Phase.DocumentSessions or Phase.Lines => ReadSession(data, ref reader, ref cursor, sessions),
                    _ => ReadEnd(ref reader, ref cursor),
                };
                if (step == Step.NeedMoreData)
                {
                    _state = cursor.State;
                    return cursor.Committed;
                }
            }
        }
        catch (JsonException exception)
        {
            if (final && cursor.Offset + reader.BytesConsumed >= data.Length - 1)
            {
                throw new ImportFormatException($"The file ends early, inside session #{SessionNumber + 1}: it is truncated.", exception);
            }
            var message = exception.Message.Split(" Path:")[0].Split(" LineNumber:")[0];
            throw new ImportFormatException($"The file is not valid JSON after session #{SessionNumber} (near byte {BytesBefore + cursor.Offset + reader.BytesConsumed}): {message}", exception);
        }
    }

    /// <summary>At the end of the data: an empty file or a document cut short is an error, JSON Lines may end anywhere between lines.</summary>
    public void CheckComplete()
    {
        if (_phase == Phase.Start)
        {
            throw new ImportFormatException("The file is empty: expected an ExportStudio JSON export or JSON Lines.");
        }
        if (_phase is Phase.DocumentProperties or Phase.DocumentSessions)
        {
            throw new ImportFormatException($"The JSON document ends early, after session #{SessionNumber}: the file is truncated.");
        }
    }

    /// <summary>The first object's first property tells a document from JSON Lines.</summary>
    private Step ReadStart(ReadOnlySpan<byte> data, bool final, ref Utf8JsonReader reader, ref Cursor cursor)
    {
        if (!reader.Read())
        {
            return Step.NeedMoreData;
        }
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new ImportFormatException($"The file starts with {Describe(reader.TokenType)}; an ExportStudio export is a JSON object (a document) or one session object per line.");
        }
        var objectStart = cursor.Offset + (int)reader.TokenStartIndex;
        if (!reader.Read())
        {
            return Step.NeedMoreData;
        }
        if (reader.TokenType == JsonTokenType.PropertyName && DocumentKeys.Contains(reader.GetString()!))
        {
            _phase = Phase.DocumentProperties;
            _pendingProperty = reader.GetString();
            cursor.Commit(ref reader);
        }
        else
        {
            // JSON Lines: read this object again, whole, as the first session (or as the increment line of
            // an incremental export).
            var increment = reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("increment"u8);
            reader = new Utf8JsonReader(data[objectStart..], final, cursor.State);
            cursor.Offset = objectStart;
            if (increment)
            {
                if (!reader.Read() || !reader.TrySkip())
                {
                    return Step.NeedMoreData;
                }
                using var line = JsonDocument.Parse(data[objectStart..(objectStart + (int)reader.BytesConsumed)].ToArray());
                Increment = ReadIncrement(line.RootElement.GetProperty("increment"));
                cursor.Commit(ref reader);
            }
            _phase = Phase.Lines;
        }
        return Step.Continue;
    }

    /// <summary>The increment's range and deleted ids; anything else in its shape is refused with what is expected.</summary>
    private static ExportIncrement ReadIncrement(JsonElement increment)
    {
        const string Shape = "it must be {\"fromSequence\": a number or null, \"toSequence\": a number, \"deletedSessionIds\": [session ids]}";
        if (increment.ValueKind != JsonValueKind.Object)
        {
            throw new ImportFormatException($"The increment is {increment.ValueKind.ToString().ToLowerInvariant()}; {Shape}.");
        }
        long? from = increment.TryGetProperty("fromSequence", out var fromValue) && fromValue.ValueKind != JsonValueKind.Null
            ? fromValue.TryGetInt64(out var f) ? f : throw new ImportFormatException($"The increment's fromSequence is not a whole number; {Shape}.")
            : null;
        long to = increment.TryGetProperty("toSequence", out var toValue) && toValue.TryGetInt64(out var t)
            ? t : throw new ImportFormatException($"The increment has no whole-number toSequence; {Shape}.");
        var deleted = new List<Guid>();
        if (increment.TryGetProperty("deletedSessionIds", out var ids))
        {
            if (ids.ValueKind != JsonValueKind.Array)
            {
                throw new ImportFormatException($"The increment's deletedSessionIds is not an array; {Shape}.");
            }
            var index = 0;
            foreach (var id in ids.EnumerateArray())
            {
                if (id.ValueKind != JsonValueKind.String || !Guid.TryParse(id.GetString(), out var sessionId))
                {
                    throw new ImportFormatException($"The increment's deletedSessionIds[{index}] is not a session id; session ids are GUIDs such as 3f2504e0-4f89-41d3-9a0c-0305e82c3301.");
                }
                deleted.Add(sessionId);
                index++;
            }
        }
        return new ExportIncrement(from, to, deleted);
    }

    /// <summary>One property of the document's header; "sessions" opens the array of sessions.</summary>
    private Step ReadDocumentProperty(ReadOnlySpan<byte> data, ref Utf8JsonReader reader, ref Cursor cursor)
    {
        if (_pendingProperty is null)
        {
            if (!reader.Read())
            {
                return Step.NeedMoreData;
            }
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                _phase = Phase.Done;
                cursor.Commit(ref reader);
                return Step.Continue;
            }
            _pendingProperty = reader.GetString();
            cursor.Commit(ref reader);
        }
        if (!reader.Read())
        {
            return Step.NeedMoreData;
        }
        if (_pendingProperty == "sessions")
        {
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw new ImportFormatException($"\"sessions\" is {Describe(reader.TokenType)}; it must be an array of session objects.");
            }
            _phase = Phase.DocumentSessions;
        }
        else if (_pendingProperty == "version")
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var version) || version != 1)
            {
                throw new ImportFormatException($"The document's version is {ValueText(ref reader)}; this ExportStudio reads version 1.");
            }
        }
        else if (_pendingProperty == "increment")
        {
            var start = cursor.Offset + (int)reader.TokenStartIndex;
            if (!reader.TrySkip())
            {
                return Step.NeedMoreData;
            }
            using var value = JsonDocument.Parse(data[start..(cursor.Offset + (int)reader.BytesConsumed)].ToArray());
            Increment = ReadIncrement(value.RootElement);
        }
        else if (!reader.TrySkip())
        {
            return Step.NeedMoreData;
        }
        _pendingProperty = null;
        cursor.Commit(ref reader);
        return Step.Continue;
    }

    /// <summary>One whole session object (of the document's array, or one line), parsed once all its bytes are here.</summary>
    private Step ReadSession(ReadOnlySpan<byte> data, ref Utf8JsonReader reader, ref Cursor cursor, List<ChatSession> sessions)
    {
        if (!reader.Read())
        {
            return Step.NeedMoreData;
        }
        if (_phase == Phase.DocumentSessions && reader.TokenType == JsonTokenType.EndArray)
        {
            _phase = Phase.DocumentProperties;
        }
        else
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new ImportFormatException($"Session #{SessionNumber + 1} is {Describe(reader.TokenType)}; each session must be a JSON object.");
            }
            // A file ExportStudio wrote is read in one pass; anything else, or a session the data holds only
            // part of yet, is found whole first and then read on its own, which names what is wrong.
            if (ExportStudioSessionReader.TryReadAt(ref reader, data[cursor.Offset..]) is { } session)
            {
                SessionNumber++;
                sessions.Add(session);
                cursor.Commit(ref reader);
                return Step.Continue;
            }
            var start = cursor.Offset + (int)reader.TokenStartIndex;
            if (!reader.TrySkip())
            {
                return Step.NeedMoreData;
            }
            SessionNumber++;
            sessions.Add(ExportStudioSessionParser.Parse(data[start..(cursor.Offset + (int)reader.BytesConsumed)], SessionNumber));
        }
        cursor.Commit(ref reader);
        return Step.Continue;
    }

    /// <summary>After the document's closing brace nothing may follow.</summary>
    private static Step ReadEnd(ref Utf8JsonReader reader, ref Cursor cursor)
    {
        if (reader.Read())
        {
            throw new ImportFormatException("The file continues after the end of the JSON document; expected nothing more.");
        }
        cursor.Commit(ref reader);
        return Step.NeedMoreData;
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartArray => "an array",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    private static string ValueText(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => $"\"{reader.GetString()}\"",
        JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
        _ => Describe(reader.TokenType),
    };
}
