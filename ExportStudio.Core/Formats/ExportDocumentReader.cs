using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using ExportStudio.Core.Sessions;

namespace ExportStudio.Core.Formats;

/// <summary>
/// Reads sessions back from a JSON export document (version 1) or JSON Lines, streaming: one session is in
/// memory at a time, however large the file. Which of the two it is shows in the first object's first
/// property: a document starts with its header ("version", …), a JSON Lines file with a session ("id", …).
/// </summary>
public static class ExportDocumentReader
{
    private const int InitialBuffer = 1 << 20;
    private const int MaxSessionBytes = 256 << 20;
    private static readonly HashSet<string> DocumentKeys = ["version", "exportedAt", "generator", "filters", "options", "sessionCount", "messageCount", "sessions"];

    public static async IAsyncEnumerable<ChatSession> ReadSessionsAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var parser = new Parser();
        var buffer = ArrayPool<byte>.Shared.Rent(InitialBuffer);
        try
        {
            int start = 0, end = 0;
            var final = false;
            while (true)
            {
                if (!final)
                {
                    if (start > 0)
                    {
                        buffer.AsSpan(start, end - start).CopyTo(buffer);
                        end -= start;
                        start = 0;
                    }
                    if (end == buffer.Length)
                    {
                        if (buffer.Length >= MaxSessionBytes)
                        {
                            throw new ImportFormatException($"Session #{parser.SessionNumber + 1} is larger than {MaxSessionBytes / (1 << 20)} MB; sessions that large cannot be imported.");
                        }
                        var grown = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, end).CopyTo(grown);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = grown;
                    }
                    var read = await stream.ReadAsync(buffer.AsMemory(end), cancellationToken);
                    end += read;
                    final = read == 0;
                }

                if (parser.BytesBefore == 0 && start == 0 && end >= 3 && buffer.AsSpan(0, 3).SequenceEqual((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
                {
                    start = 3; // a UTF-8 byte order mark, from editors on some systems
                    parser.BytesBefore = 3;
                }
                var sessions = new List<ChatSession>();
                var consumed = parser.Parse(buffer.AsSpan(start, end - start), final, sessions);
                parser.BytesBefore += consumed;
                start += consumed;
                foreach (var session in sessions)
                {
                    yield return session;
                }
                if (parser.Done)
                {
                    yield break;
                }
                if (final)
                {
                    if (parser.SessionNumber == 0 && !parser.SawAnything)
                    {
                        throw new ImportFormatException("The file is empty: expected an ExportStudio JSON export or JSON Lines.");
                    }
                    if (parser.InDocument)
                    {
                        throw new ImportFormatException($"The JSON document ends early, after session #{parser.SessionNumber}: the file is truncated.");
                    }
                    yield break;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// A resumable pass over the bytes: progress is committed only at value boundaries, so when a value is
    /// cut by the end of the buffer, parsing resumes from its start once more bytes have arrived.
    /// </summary>
    private sealed class Parser
    {
        private enum Phase { Start, DocumentProperties, DocumentSessions, Lines, Done }

        private static readonly JsonReaderOptions ReaderOptions = new() { AllowMultipleValues = true, MaxDepth = 128 };
        private Phase _phase = Phase.Start;
        private JsonReaderState _state = new(ReaderOptions);
        private string? _pendingProperty;

        public long BytesBefore { get; set; }
        public int SessionNumber { get; private set; }
        public bool SawAnything { get; private set; }
        public bool Done => _phase == Phase.Done;
        public bool InDocument => _phase is Phase.DocumentProperties or Phase.DocumentSessions;

        /// <summary>Parses what it can, adding whole sessions; returns the bytes fully consumed.</summary>
        public int Parse(ReadOnlySpan<byte> data, bool final, List<ChatSession> sessions)
        {
            var offset = 0; // where the current reader starts within data
            var committed = 0;
            var committedState = _state;
            var reader = new Utf8JsonReader(data, final, _state);
            try
            {
                while (true)
                {
                    switch (_phase)
                    {
                        case Phase.Start:
                        {
                            if (!reader.Read())
                            {
                                return Save(committed, committedState);
                            }
                            SawAnything = true;
                            if (reader.TokenType != JsonTokenType.StartObject)
                            {
                                throw new ImportFormatException($"The file starts with {Describe(reader.TokenType)}; an ExportStudio export is a JSON object (a document) or one session object per line.");
                            }
                            var objectStart = offset + (int)reader.TokenStartIndex;
                            if (!reader.Read())
                            {
                                return Save(committed, committedState);
                            }
                            if (reader.TokenType == JsonTokenType.PropertyName && DocumentKeys.Contains(reader.GetString()!))
                            {
                                _phase = Phase.DocumentProperties;
                                _pendingProperty = reader.GetString();
                                committed = offset + (int)reader.BytesConsumed;
                                committedState = reader.CurrentState;
                            }
                            else
                            {
                                // JSON Lines: read this object again, whole, as the first session.
                                _phase = Phase.Lines;
                                reader = new Utf8JsonReader(data[objectStart..], final, committedState);
                                offset = objectStart;
                            }
                            break;
                        }
                        case Phase.DocumentProperties:
                        {
                            var name = _pendingProperty;
                            if (name is null)
                            {
                                if (!reader.Read())
                                {
                                    return Save(committed, committedState);
                                }
                                if (reader.TokenType == JsonTokenType.EndObject)
                                {
                                    _phase = Phase.Done;
                                    committed = offset + (int)reader.BytesConsumed;
                                    committedState = reader.CurrentState;
                                    break;
                                }
                                _pendingProperty = reader.GetString();
                                committed = offset + (int)reader.BytesConsumed;
                                committedState = reader.CurrentState;
                                name = _pendingProperty;
                            }
                            if (!reader.Read())
                            {
                                return Save(committed, committedState);
                            }
                            if (name == "sessions")
                            {
                                if (reader.TokenType != JsonTokenType.StartArray)
                                {
                                    throw new ImportFormatException($"\"sessions\" is {Describe(reader.TokenType)}; it must be an array of session objects.");
                                }
                                _phase = Phase.DocumentSessions;
                            }
                            else if (name == "version")
                            {
                                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var version) || version != 1)
                                {
                                    throw new ImportFormatException($"The document's version is {ValueText(ref reader)}; this ExportStudio reads version 1.");
                                }
                            }
                            else if (!reader.TrySkip())
                            {
                                return Save(committed, committedState);
                            }
                            _pendingProperty = null;
                            committed = offset + (int)reader.BytesConsumed;
                            committedState = reader.CurrentState;
                            break;
                        }
                        case Phase.DocumentSessions or Phase.Lines:
                        {
                            if (!reader.Read())
                            {
                                return Save(committed, committedState);
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
                                var start = offset + (int)reader.TokenStartIndex;
                                if (!reader.TrySkip())
                                {
                                    return Save(committed, committedState);
                                }
                                SessionNumber++;
                                sessions.Add(SessionParser.Parse(data[start..(offset + (int)reader.BytesConsumed)], SessionNumber));
                            }
                            committed = offset + (int)reader.BytesConsumed;
                            committedState = reader.CurrentState;
                            break;
                        }
                        default:
                        {
                            if (reader.Read())
                            {
                                throw new ImportFormatException("The file continues after the end of the JSON document; expected nothing more.");
                            }
                            return Save(offset + (int)reader.BytesConsumed, reader.CurrentState);
                        }
                    }
                }
            }
            catch (JsonException exception)
            {
                if (final && offset + reader.BytesConsumed >= data.Length - 1)
                {
                    throw new ImportFormatException($"The file ends early, inside session #{SessionNumber + 1}: it is truncated.", exception);
                }
                var message = exception.Message.Split(" Path:")[0].Split(" LineNumber:")[0];
                throw new ImportFormatException($"The file is not valid JSON after session #{SessionNumber} (near byte {BytesBefore + offset + reader.BytesConsumed}): {message}", exception);
            }
        }

        private int Save(int committed, JsonReaderState state)
        {
            _state = state;
            return committed;
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
}
