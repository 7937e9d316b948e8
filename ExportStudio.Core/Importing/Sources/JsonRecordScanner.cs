using System.Text.Json;

namespace ExportStudio.Core.Importing.Sources;

/// <summary>
/// Finds the next whole record in the bytes it is given, keeping only where it is between calls (inside the
/// top-level array or between values): a record cut by the end of the data is looked at again, from its
/// start, once more bytes are there.
/// </summary>
internal sealed class JsonRecordScanner
{
    private static readonly JsonReaderOptions Options = new() { MaxDepth = 1 << 16 };
    private State _state = State.Start;

    private enum State { Start, ArrayFirst, ArrayNext, ArrayValue, Values, End }

    public int Number { get; private set; }

    public JsonLayout Layout { get; private set; } = JsonLayout.Values;

    /// <summary>The bytes consumed, and the record found (the caller disposes it), or done at the end of the document.</summary>
    /// <param name="offset">Bytes of the stream before <paramref name="data"/>, for messages.</param>
    public (int Consumed, JsonDocument? Record, bool Done) Next(ReadOnlySpan<byte> data, bool final, long offset)
    {
        var position = 0;
        while (true)
        {
            position = SkipSpace(data, position, offset);
            if (position == data.Length)
            {
                return final ? (position, null, Finish()) : (position, null, false);
            }
            var next = data[position];
            switch (_state)
            {
                case State.Start when next == (byte)'[':
                    (_state, Layout) = (State.ArrayFirst, JsonLayout.Array);
                    position++;
                    continue;
                case State.Start:
                    _state = State.Values;
                    continue;
                case State.ArrayFirst when next == (byte)']':
                case State.ArrayNext when next == (byte)']':
                    _state = State.End;
                    position++;
                    continue;
                case State.ArrayNext when next == (byte)',':
                    _state = State.ArrayValue;
                    position++;
                    continue;
                case State.ArrayNext:
                    throw new ImportFormatException($"The file is not valid JSON after record #{Number} (near byte {offset + position}): expected ',' or ']' between the records of its array.");
                case State.End:
                    throw new ImportFormatException($"The file continues after the end of its JSON array (near byte {offset + position}); expected nothing more.");
            }
            var (length, record) = ReadValue(data[position..], final, offset + position);
            if (record is null)
            {
                return (position, null, false);
            }
            _state = Layout == JsonLayout.Array ? State.ArrayNext : State.Values;
            return (position + length, record, false);
        }
    }

    private bool Finish() => _state switch
    {
        State.Start => throw new ImportFormatException("The file is empty: there is nothing to import."),
        State.ArrayFirst or State.ArrayNext or State.ArrayValue => throw new ImportFormatException($"The file ends early, after record #{Number}, before its array is closed: it is truncated."),
        _ => true,
    };

    /// <summary>One whole value from the start of <paramref name="data"/>, or no record when its end is not there yet.</summary>
    private (int Length, JsonDocument? Record) ReadValue(ReadOnlySpan<byte> data, bool final, long at)
    {
        var reader = new Utf8JsonReader(data, final, new JsonReaderState(Options));
        try
        {
            if (!reader.Read() || (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && !reader.TrySkip()))
            {
                return final
                    ? throw new ImportFormatException($"The file ends early, inside record #{Number + 1}: it is truncated.")
                    : (0, null);
            }
            var length = (int)reader.BytesConsumed;
            Number++;
            var whole = new Utf8JsonReader(data[..length], isFinalBlock: true, new JsonReaderState(Options));
            return (length, JsonDocument.ParseValue(ref whole));
        }
        catch (JsonException exception)
        {
            var message = exception.Message.Split(" Path:")[0].Split(" LineNumber:")[0];
            throw new ImportFormatException($"The file is not valid JSON in record #{Number + 1} (near byte {at + reader.BytesConsumed}): {message}", exception);
        }
    }

    /// <summary>Spaces, tabs and line ends between records; a byte order mark at the very start (editors write one).</summary>
    private static int SkipSpace(ReadOnlySpan<byte> data, int position, long offset)
    {
        if (offset == 0 && position == 0 && data.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            position = 3;
        }
        while (position < data.Length && data[position] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            position++;
        }
        return position;
    }
}
